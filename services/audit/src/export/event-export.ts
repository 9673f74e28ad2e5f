import { comparePositions, formatPosition, type EventStore, type JsonObject, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import { GENESIS_HASH } from '../chain/chain-hash';
import type { Sql } from '../chain/checkpoints';

/**
 * An event as exported for an auditor: the log's content as stored now (personal data as ciphertext) with its
 * place in the chain. With `previousHash` every line can be checked on its own, outside the system: the hash is
 * SHA-256 of the canonical JSON of ["koppelstuk-chain/1", commit, prepare, eventId, stream, revision, type,
 * recordedAt, data, metadata, previousHash] (see chain/chain-hash.ts and the README).
 */
export interface ExportedEvent extends Record<string, unknown> {
  readonly sequence: number;
  readonly position: string;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly actorUserId: string;
  readonly actorOrganisationId: string | null;
  /** Null when the chained event is no longer in the log (verification names such a gap). */
  readonly data: JsonObject | null;
  readonly metadata: JsonObject | null;
  /** Empty only when the row before it is missing from the chain table (verification names that too). */
  readonly previousHash: string;
  readonly hash: string;
}

export const EXPORTED_EVENT_COLUMNS = [
  'sequence',
  'position',
  'eventId',
  'stream',
  'revision',
  'type',
  'recordedAt',
  'actorUserId',
  'actorOrganisationId',
  'data',
  'metadata',
  'previousHash',
  'hash',
] as const satisfies readonly (keyof ExportedEvent)[];

interface ExportRow {
  sequence: number;
  commit_position: string;
  prepare_position: string;
  event_id: string;
  stream: string;
  revision: string;
  event_type: string;
  recorded_at: Date;
  actor_user_id: string;
  actor_organisation_id: string | null;
  previous_hash: string | null;
  hash: string;
}

export interface ExportRange {
  readonly from?: Date | null;
  readonly to?: Date | null;
}

/** The chained events recorded in the range, in log order, joined with the log's current content by position. */
export async function* exportedEvents(store: EventStore, sql: Sql, range: ExportRange, pageSize = 1000): AsyncGenerator<ExportedEvent> {
  let after = 0;
  let events: AsyncIterator<RecordedEvent> | null = null;
  let pending: RecordedEvent | null = null;
  try {
    for (;;) {
      const rows = (await sql.query(
        `select c.sequence::int as sequence, c.commit_position::text as commit_position, c.prepare_position::text as prepare_position,
                c.event_id, c.stream, c.revision::text as revision, c.event_type, c.recorded_at, c.actor_user_id, c.actor_organisation_id,
                (select p.hash from audit.chain p where p.sequence = c.sequence - 1) as previous_hash, c.hash
           from audit.chain c
          where c.sequence > $1 and ($2::timestamptz is null or c.recorded_at >= $2) and ($3::timestamptz is null or c.recorded_at <= $3)
          order by c.sequence limit $4`,
        [after, range.from ?? null, range.to ?? null, pageSize],
      )) as ExportRow[];
      for (const row of rows) {
        const position: Position = { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
        events ??= store.readAll({ fromPosition: position })[Symbol.asyncIterator]();
        // Walk the log forward to this row's position; events in between belong to rows outside the range.
        while (!pending || comparePositions(pending.position, position) < 0) {
          const step = await events.next();
          if (step.done) {
            pending = null;
            break;
          }
          pending = step.value;
        }
        const event = pending && comparePositions(pending.position, position) === 0 && pending.id === row.event_id ? pending : null;
        yield {
          sequence: row.sequence,
          position: formatPosition(position),
          eventId: row.event_id,
          stream: row.stream,
          revision: row.revision,
          type: row.event_type,
          recordedAt: (event?.recordedAt ?? row.recorded_at).toISOString(),
          actorUserId: row.actor_user_id,
          actorOrganisationId: row.actor_organisation_id,
          data: event?.data ?? null,
          metadata: (event?.metadata as JsonObject | undefined) ?? null,
          previousHash: row.previous_hash ?? (row.sequence === 1 ? GENESIS_HASH : ''),
          hash: row.hash,
        };
      }
      if (rows.length < pageSize) return;
      after = (rows[rows.length - 1] as ExportRow).sequence;
    }
  } finally {
    await events?.return?.();
  }
}
