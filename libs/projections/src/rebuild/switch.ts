import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { QueryRunner } from 'typeorm';
import { deleteCheckpoint, moveCheckpoint } from '../checkpoints/checkpoint-store';
import type { ProjectionDefinition } from '../projection';
import type { ScratchProgress } from './replay';
import { swapTables } from './scratch-schema';

export interface SwitchInput {
  readonly store: EventStore;
  readonly projection: ProjectionDefinition;
  readonly scratchSchema: string;
  readonly rebuildCheckpointName: string;
  readonly batchSize: number;
  readonly scratch: ScratchProgress;
  /** The live checkpoint, which stays put: the switch runs inside the live runner's loop, between batches. */
  readonly live: Position | null;
}

export type SwitchOutcome = { readonly kind: 'switched'; readonly events: number } | { readonly kind: 'fenced' };

/**
 * One transaction on the lease connection: bring the scratch tables to the live checkpoint, swap them in,
 * and point the live checkpoint at what they now hold. If the replay already went past the live checkpoint,
 * the checkpoint moves forward to the replay's position (those events are in the new tables).
 */
export async function switchToRebuild(queryRunner: QueryRunner, input: SwitchInput): Promise<SwitchOutcome> {
  await queryRunner.startTransaction();
  try {
    const caughtUp = await catchUp(queryRunner, input);
    await swapTables(queryRunner, input.projection.schema, input.scratchSchema, input.projection.tables);
    const target = later(caughtUp.position, input.live);
    const moved = await moveCheckpoint(
      queryRunner,
      input.projection.name,
      input.live,
      target,
      caughtUp.lastRecordedAt,
      'replace',
      caughtUp.events,
    );
    if (!moved) {
      await queryRunner.rollbackTransaction();
      return { kind: 'fenced' };
    }
    await deleteCheckpoint(queryRunner, input.rebuildCheckpointName);
    await queryRunner.commitTransaction();
    return { kind: 'switched', events: caughtUp.events };
  } catch (error) {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}

/** Applies the events after the scratch position up to and including the live checkpoint. */
async function catchUp(queryRunner: QueryRunner, input: SwitchInput): Promise<ScratchProgress> {
  let progress = input.scratch;
  const live = input.live;
  if (live === null || (progress.position !== null && comparePositions(progress.position, live) >= 0)) return progress;
  const from = progress.position;
  let chunk: RecordedEvent[] = [];
  const flush = async () => {
    const last = chunk[chunk.length - 1];
    if (!last) return;
    await input.projection.apply(chunk, { manager: queryRunner.manager, schema: input.scratchSchema });
    progress = { position: last.position, events: progress.events + chunk.length, lastRecordedAt: last.recordedAt };
    chunk = [];
  };
  for await (const event of input.store.readAll({ fromPosition: from ?? 'start', filter: input.projection.filter })) {
    if (from !== null && comparePositions(event.position, from) <= 0) continue;
    if (comparePositions(event.position, live) > 0) break;
    chunk.push(event);
    if (chunk.length >= input.batchSize) await flush();
  }
  await flush();
  if (progress.position === null || comparePositions(progress.position, live) !== 0) {
    // The live checkpoint is the position of an event this projection applied, so reading must reach it.
    throw new Error(`Rebuild of "${input.projection.name}" could not replay the log up to the live checkpoint`);
  }
  return progress;
}

function later(a: Position | null, b: Position | null): Position | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}
