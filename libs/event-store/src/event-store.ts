import type { Position } from './position';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who caused an event: a user acting for an organisation in some roles, or the system itself. */
export interface Actor {
  readonly userId: string;
  readonly organisationId: string | null;
  readonly roles: readonly string[];
}

/**
 * Metadata every event carries. Adapters store it as given; the named fields are required so that an
 * auditor can always answer who did what, why (causation) and as part of which request (correlation).
 */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: Actor;
  readonly schemaVersion: number;
  readonly [extra: string]: JsonValue | Actor | undefined;
}

export interface NewEvent<Data extends JsonObject = JsonObject> {
  /** A UUID chosen by the writer; re-sending the same ids to the same stream appends nothing. */
  readonly id: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/**
 * `any`: no check. `no_stream`: the stream must not exist. `stream_exists`: it must exist.
 * A bigint: the stream's last revision must be exactly this (revisions start at 0).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as expectedRevision on the next append. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last appended event. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the first revision (0n) forwards and to the last one backwards. */
  readonly fromRevision?: bigint;
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface EventFilter {
  /** Only events of streams whose name starts with one of these prefixes. */
  readonly streamPrefixes?: readonly string[];
  /** Only events of these types. */
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Inclusive: the event at this position is returned when it matches. */
  readonly fromPosition?: Position | 'start';
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive: a checkpoint (the last position processed). Defaults to 'start'; 'end' means only new events. */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly filter?: EventFilter;
}

/**
 * A catch-up subscription to the global log: every stored event after `fromPosition`, then live events,
 * in global order. Iterating pulls events; nothing more is read until the consumer asks (backpressure).
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; pending reads are abandoned. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The port every adapter implements and the conformance suite checks. */
export interface EventStore {
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events of one stream. An unknown stream yields nothing. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The global log in global order, from a position. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the last event in the global log that readers can see now, or null for an empty log. */
  headPosition(): Promise<Position | null>;
  close(): Promise<void>;
}
