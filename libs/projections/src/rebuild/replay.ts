import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { DataSource } from 'typeorm';
import { resetCheckpoint } from '../checkpoints/checkpoint-store';
import type { ProjectionDefinition, ProjectionLogger } from '../projection';
import { BatchReader } from '../runner/batch-reader';
import { applyWithRetry, type RetryPolicy } from '../runner/retrying-applier';
import { Interrupt } from '../runner/signals';

/** How far the scratch tables are. */
export interface ScratchProgress {
  readonly position: Position | null;
  readonly events: number;
  readonly lastRecordedAt: Date | null;
}

export interface ReplayOptions extends RetryPolicy {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly projection: ProjectionDefinition;
  readonly scratchSchema: string;
  readonly checkpointName: string;
  readonly batchSize: number;
  readonly logger: ProjectionLogger;
  /** Aborted when the live runner stops or loses its lease: the rebuild is then abandoned. */
  readonly signal: AbortSignal;
  /** The live runner's checkpoint right now. */
  liveCheckpoint(): Position | null;
}

/**
 * Replays the log from the start into the scratch tables, batch by batch with its own checkpoint (the same
 * exactly-once step as the live runner, on a connection of its own), until it has reached the live
 * checkpoint as it was at that moment. The last few events are applied by the switch itself.
 */
export async function replayIntoScratch(options: ReplayOptions): Promise<ScratchProgress> {
  const queryRunner = options.dataSource.createQueryRunner();
  const interrupt = new Interrupt();
  const onAbort = () => interrupt.fire();
  options.signal.addEventListener('abort', onAbort);
  const reader = new BatchReader(options.store.subscribeToAll({ fromPosition: 'start', filter: options.projection.filter }));
  let progress: ScratchProgress = { position: null, events: 0, lastRecordedAt: null };
  try {
    await resetCheckpoint(queryRunner, options.checkpointName);
    for (;;) {
      interrupt.clear();
      assertNotAbandoned(options);
      if (reached(progress.position, options.liveCheckpoint())) return progress;
      const batch = await reader.nextBatch(options.batchSize, interrupt);
      if (batch.length === 0) continue;
      const outcome = await applyWithRetry(
        {
          ...options,
          queryRunner,
          target: { projection: options.projection, schema: options.scratchSchema, checkpointName: options.checkpointName },
          stopSignal: options.signal,
          checkpoint: () => progress.position,
          committed: (events: readonly RecordedEvent[]) => {
            const last = events[events.length - 1];
            if (last) progress = { position: last.position, events: progress.events + events.length, lastRecordedAt: last.recordedAt };
          },
          connectionHealthy: async () => !queryRunner.isReleased && (await queryRunner.query('select 1').then(() => true, () => false)),
        },
        batch,
      );
      switch (outcome.kind) {
        case 'committed':
          break;
        case 'failed':
          throw new Error(
            `Rebuild of projection "${options.projection.name}" failed` +
              `${outcome.failure.eventId ? ` at event ${outcome.failure.eventId}` : ''}: ${outcome.failure.message}`,
          );
        case 'connection-lost':
          throw new Error(`Rebuild of projection "${options.projection.name}" lost its database connection`);
        case 'stopped':
          assertNotAbandoned(options);
      }
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await reader.close();
    await queryRunner.release();
  }
}

/** With nothing applied live yet, any position counts as reached: the switch catches up the rest. */
function reached(scratch: Position | null, live: Position | null): boolean {
  if (live === null) return true;
  return scratch !== null && comparePositions(scratch, live) >= 0;
}

function assertNotAbandoned(options: ReplayOptions): void {
  if (options.signal.aborted) {
    throw new Error(`Rebuild of projection "${options.projection.name}" abandoned: the live runner stopped or lost its lease`);
  }
}
