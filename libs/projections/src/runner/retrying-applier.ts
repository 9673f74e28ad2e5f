import { formatPosition, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { QueryRunner } from 'typeorm';
import type { ProjectionFailure, ProjectionLogger } from '../projection';
import { commitBatch, type BatchTarget } from './commit-batch';
import { errorMessage, sleep } from './signals';

export type ApplyOutcome =
  | { readonly kind: 'committed' }
  /** Stop was requested during a back-off; nothing of the batch is stored. */
  | { readonly kind: 'stopped' }
  /** The connection (and with it the lease) is gone; whatever was not committed is rolled back. */
  | { readonly kind: 'connection-lost' }
  | { readonly kind: 'failed'; readonly failure: ProjectionFailure };

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
}

export interface ApplierContext extends RetryPolicy {
  readonly queryRunner: QueryRunner;
  readonly target: BatchTarget;
  readonly logger: ProjectionLogger;
  readonly stopSignal: AbortSignal;
  /** Where the checkpoint is now (moves as events are committed). */
  checkpoint(): Position | null;
  /** Called after each commit with the events it stored. */
  committed(events: readonly RecordedEvent[]): void;
  /** After a failed attempt: is the connection still usable (and, for the live runner, the lease held)? */
  connectionHealthy(): Promise<boolean>;
  afterApply?(): void | Promise<void>;
}

/**
 * Applies a batch, retrying with exponential back-off. When the whole batch keeps failing, the events are
 * applied one by one so that everything before the poison event is stored and the poison event itself is
 * identified; nothing after it is applied and nothing is skipped.
 */
export async function applyWithRetry(context: ApplierContext, batch: readonly RecordedEvent[]): Promise<ApplyOutcome> {
  const whole = await attempt(context, batch);
  if (whole.kind !== 'gave-up') return whole;
  const [only] = batch;
  if (batch.length === 1 && only) return poison(only, whole.error);
  context.logger.warn(`Projection "${context.target.projection.name}": a batch of ${batch.length} events failed ` +
    `${context.maxAttempts} times; applying its events one at a time to find the one that fails`, {
    error: errorMessage(whole.error),
  });
  for (const event of batch) {
    const single = await attempt(context, [event]);
    if (single.kind === 'gave-up') return poison(event, single.error);
    if (single.kind !== 'committed') return single;
  }
  return { kind: 'committed' };
}

type AttemptOutcome = ApplyOutcome | { readonly kind: 'gave-up'; readonly error: unknown };

async function attempt(context: ApplierContext, events: readonly RecordedEvent[]): Promise<AttemptOutcome> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    const expected = context.checkpoint();
    try {
      const result = await commitBatch(context.queryRunner, context.target, expected, events, context.afterApply);
      if (result === 'fenced') return fenced(context, expected);
      context.committed(events);
      return { kind: 'committed' };
    } catch (error) {
      // A dead connection is not the events' fault: do not count it towards the poison verdict.
      if (!(await context.connectionHealthy())) return { kind: 'connection-lost' };
      if (attemptNumber >= context.maxAttempts) return { kind: 'gave-up', error };
      const delayMs = context.retryBaseMs * 2 ** (attemptNumber - 1);
      context.logger.warn(`Projection "${context.target.projection.name}": applying ${describe(events)} failed ` +
        `(attempt ${attemptNumber} of ${context.maxAttempts}); retrying in ${delayMs} ms`, { error: errorMessage(error) });
      await sleep(delayMs, context.stopSignal);
      if (context.stopSignal.aborted) return { kind: 'stopped' };
    }
  }
}

function poison(event: RecordedEvent, error: unknown): ApplyOutcome {
  return { kind: 'failed', failure: { eventId: event.id, message: errorMessage(error) } };
}

function fenced(context: ApplierContext, expected: Position | null): AttemptOutcome {
  const message =
    `the checkpoint "${context.target.checkpointName}" is no longer at ${expected ? formatPosition(expected) : 'the start'}: ` +
    'another writer moved it, so this runner rolled back its batch and stopped';
  return { kind: 'failed', failure: { eventId: null, message } };
}

function describe(events: readonly RecordedEvent[]): string {
  const [first] = events;
  return events.length === 1 && first ? `event ${first.id} (${first.type} in ${first.stream})` : `a batch of ${events.length} events`;
}
