import type { Position, RecordedEvent } from '@koppelstuk/event-store';
import type { QueryRunner } from 'typeorm';

export interface Checkpoint {
  readonly position: Position | null;
  readonly eventsApplied: number;
  readonly lastEventRecordedAt: Date | null;
  readonly status: 'active' | 'failed';
  readonly failedEventId: string | null;
  readonly failure: string | null;
}

/** Anything that can run SQL: a QueryRunner (inside or outside its transaction) or a DataSource. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface CheckpointRow {
  commit_position: string | null;
  prepare_position: string | null;
  events_applied: string;
  last_event_recorded_at: Date | null;
  status: 'active' | 'failed';
  failed_event_id: string | null;
  failure: string | null;
}

const SELECT = `select commit_position::text, prepare_position::text, events_applied::text, last_event_recorded_at,
  status, failed_event_id, failure from projections.checkpoints where name = $1`;

/** The checkpoint of `name`, or null when the projection never ran. */
export async function readCheckpoint(sql: SqlExecutor, name: string): Promise<Checkpoint | null> {
  const rows = (await sql.query(SELECT, [name])) as CheckpointRow[];
  const row = rows[0];
  return row ? toCheckpoint(row) : null;
}

/** Creates the row on first run (a projection starts before the first event) and returns it. */
export async function ensureCheckpoint(sql: SqlExecutor, name: string): Promise<Checkpoint> {
  await sql.query('insert into projections.checkpoints (name) values ($1) on conflict (name) do nothing', [name]);
  const checkpoint = await readCheckpoint(sql, name);
  if (!checkpoint) throw new Error(`checkpoint row "${name}" vanished right after it was created`);
  return checkpoint;
}

/** Starts a checkpoint from zero (a rebuild's scratch checkpoint). */
export async function resetCheckpoint(sql: SqlExecutor, name: string): Promise<void> {
  await sql.query('delete from projections.checkpoints where name = $1', [name]);
  await sql.query('insert into projections.checkpoints (name) values ($1)', [name]);
}

export async function deleteCheckpoint(sql: SqlExecutor, name: string): Promise<void> {
  await sql.query('delete from projections.checkpoints where name = $1', [name]);
}

/**
 * Moves the checkpoint from `expected` to the last of `events`, in the caller's transaction. Fenced: it only
 * matches while the row is still at `expected`, so a writer that lost its lease without noticing, or a
 * second writer, updates nothing. Returns false then; the caller must roll back.
 */
export async function advanceCheckpoint(
  queryRunner: QueryRunner,
  name: string,
  expected: Position | null,
  events: readonly RecordedEvent[],
): Promise<boolean> {
  const last = events[events.length - 1];
  if (!last) throw new Error('advanceCheckpoint needs at least one event');
  return moveCheckpoint(queryRunner, name, expected, last.position, last.recordedAt, 'add', events.length);
}

/**
 * Like advanceCheckpoint but to an explicit place, adding to or replacing the event count: a rebuild's
 * switch points the checkpoint at what the new tables hold.
 */
export async function moveCheckpoint(
  queryRunner: QueryRunner,
  name: string,
  expected: Position | null,
  to: Position | null,
  recordedAt: Date | null,
  mode: 'add' | 'replace',
  eventsApplied: number,
): Promise<boolean> {
  const result = await queryRunner.query(
    `update projections.checkpoints
        set commit_position = $2::numeric, prepare_position = $3::numeric,
            events_applied = ${mode === 'add' ? 'events_applied + ' : ''}$4::bigint,
            last_event_recorded_at = coalesce($5::timestamptz, last_event_recorded_at),
            updated_at = now(), status = 'active', failed_event_id = null, failure = null
      where name = $1 and ${fenceSql(6)}`,
    [name, to?.commit.toString() ?? null, to?.prepare.toString() ?? null, eventsApplied, recordedAt, ...fence(expected)],
    true,
  );
  return (result as { affected?: number }).affected === 1;
}

/** Records why the projection stopped. Fenced like a normal update; the position does not move. */
export async function markFailed(
  sql: SqlExecutor,
  name: string,
  at: Position | null,
  eventId: string | null,
  message: string,
): Promise<void> {
  await sql.query(
    `update projections.checkpoints set status = 'failed', failed_event_id = $2, failure = $3, updated_at = now()
      where name = $1 and ${fenceSql(4)}`,
    [name, eventId, message, ...fence(at)],
  );
}

/** The row is still where the caller last saw it; `is not distinct from` also matches the initial nulls. */
function fenceSql(firstParameter: number): string {
  return `commit_position is not distinct from $${firstParameter}::numeric
      and prepare_position is not distinct from $${firstParameter + 1}::numeric`;
}

function fence(position: Position | null): [string | null, string | null] {
  return [position?.commit.toString() ?? null, position?.prepare.toString() ?? null];
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    position:
      row.commit_position === null || row.prepare_position === null
        ? null
        : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    eventsApplied: Number(row.events_applied),
    lastEventRecordedAt: row.last_event_recorded_at,
    status: row.status,
    failedEventId: row.failed_event_id,
    failure: row.failure,
  };
}
