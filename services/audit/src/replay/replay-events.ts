import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { ProjectionDefinition } from '@koppelstuk/projections';
import type { DataSource } from 'typeorm';

export interface ReplayBounds {
  /** Only events recorded at or before this moment (the log as it stood then). */
  readonly asOf?: Date | null;
  /** Only events up to and including this position (what a live checkpoint or a saved replay reflects). */
  readonly until?: Position | null;
  readonly batchSize?: number;
  readonly onProgress?: (eventsRead: number) => void;
}

export interface ReplayRun {
  /** Events applied. */
  readonly events: number;
  /** The last event applied, or null. */
  readonly position: Position | null;
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

/**
 * Applies the log, in order and in batches, to the projection's tables in `schema` (a scratch schema): the
 * projection's own `apply`, so the replay runs exactly the code the live read model runs. No checkpoint: a
 * replay is always from zero. Recording times are not ordered like positions (a transaction records its start),
 * so the as-of bound skips later events one by one instead of stopping at the first.
 */
export async function replayInto(
  store: EventStore,
  dataSource: DataSource,
  projection: ProjectionDefinition,
  schema: string,
  bounds: ReplayBounds = {},
): Promise<ReplayRun> {
  const started = performance.now();
  const batchSize = bounds.batchSize ?? 500;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let events = 0;
  let read = 0;
  let position: Position | null = null;
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await runner.startTransaction();
    try {
      await projection.apply(batch, { manager: runner.manager, schema });
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
    events += batch.length;
    position = (batch[batch.length - 1] as RecordedEvent).position;
    batch = [];
  };
  try {
    for await (const event of store.readAll({ filter: projection.filter })) {
      if (bounds.until && comparePositions(event.position, bounds.until) > 0) break;
      read += 1;
      if (read % 500 === 0) bounds.onProgress?.(read);
      if (bounds.asOf && event.recordedAt.getTime() > bounds.asOf.getTime()) continue;
      batch.push(event);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    bounds.onProgress?.(read);
  } finally {
    await runner.release();
  }
  const durationMs = performance.now() - started;
  return { events, position, durationMs: Math.round(durationMs), eventsPerSecond: Math.round(events / Math.max(durationMs / 1000, 0.001)) };
}
