import type { EventFilter, Position, RecordedEvent } from '@koppelstuk/event-store';
import type { EntityManager } from 'typeorm';

/** What `apply` gets: the runner's transaction and the schema to write to (live, or the rebuild's scratch copy). */
export interface ApplyContext {
  /** Bound to the runner's open transaction: everything written through it commits with the checkpoint. */
  readonly manager: EntityManager;
  /** Write only to `${schema}.<table>`: during a rebuild this is the scratch schema, not the live one. */
  readonly schema: string;
}

/** A read model fed from the global log. One definition per read model; the runner does the rest. */
export interface ProjectionDefinition {
  /** Unique per database, e.g. 'inbox' or 'outcomes': the checkpoint row and the lease are keyed by it. */
  readonly name: string;
  /** PostgreSQL schema holding the live tables (created by the service's own TypeORM migrations). */
  readonly schema: string;
  /** The tables this projection owns in that schema; a rebuild copies and replaces exactly these. */
  readonly tables: readonly string[];
  /** Passed to subscribeToAll, so events the projection ignores are not even read. */
  readonly filter?: EventFilter;
  /**
   * Applies events, in log order, inside the runner's transaction. It may be called again with the same
   * events after a rollback (retries, crashes), so it must depend only on the events and the tables.
   */
  apply(events: readonly RecordedEvent[], context: ApplyContext): Promise<void>;
}

export type ProjectionState = 'starting' | 'active' | 'standby' | 'failed' | 'stopped';

export interface ProjectionFailure {
  /** The poison event, or null when the runner stopped for another reason (e.g. a fenced checkpoint). */
  readonly eventId: string | null;
  readonly message: string;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly state: ProjectionState;
  /** The position of the last applied event (exclusive start of the next read), or null before the first. */
  readonly checkpoint: Position | null;
  /** Events applied since the projection was created or last rebuilt. */
  readonly eventsApplied: number;
  /** The last position of the global log readers could see at the last refresh (at most a second old). */
  readonly head: Position | null;
  /**
   * `head.prepare − checkpoint.prepare`, at least 0, and 0 when caught up: the distance in the log's sequence
   * (PostgreSQL: event rows; KurrentDB: bytes of log). An indication of size, not an event count.
   */
  readonly positionsBehind: bigint;
  /** 0 when caught up; otherwise now − recordedAt of the last applied event; null when nothing was applied yet. */
  readonly secondsBehind: number | null;
  readonly failure: ProjectionFailure | null;
}

export interface RebuildReport {
  /** Events replayed into the fresh tables (including the final catch-up to the live checkpoint). */
  readonly events: number;
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

/** Structured enough for pino/Nest adapters, simple enough for console. */
export interface ProjectionLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}
