import type { Position, RecordedEvent } from '@koppelstuk/event-store';
import type { QueryRunner } from 'typeorm';
import { advanceCheckpoint } from '../checkpoints/checkpoint-store';
import type { ProjectionDefinition } from '../projection';

export interface BatchTarget {
  readonly projection: ProjectionDefinition;
  /** The schema apply() writes to: the live one, or the rebuild's scratch schema. */
  readonly schema: string;
  /** The checkpoint row that moves with the writes: the projection's name, or `<name>:rebuild`. */
  readonly checkpointName: string;
}

/**
 * The exactly-once step: apply the events and move the checkpoint in ONE transaction. Either both are
 * stored or neither is, so a crash anywhere leaves the read model consistent with its checkpoint, and the
 * next run resumes right after the last stored event.
 *
 * Returns 'fenced' (after rolling back) when the checkpoint was no longer at `expected`.
 */
export async function commitBatch(
  queryRunner: QueryRunner,
  target: BatchTarget,
  expected: Position | null,
  events: readonly RecordedEvent[],
  afterApply?: () => void | Promise<void>,
): Promise<'committed' | 'fenced'> {
  await queryRunner.startTransaction();
  try {
    await target.projection.apply(events, { manager: queryRunner.manager, schema: target.schema });
    await afterApply?.();
    if (!(await advanceCheckpoint(queryRunner, target.checkpointName, expected, events))) {
      await queryRunner.rollbackTransaction();
      return 'fenced';
    }
    await queryRunner.commitTransaction();
    return 'committed';
  } catch (error) {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}
