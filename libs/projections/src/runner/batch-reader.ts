import type { RecordedEvent, Subscription } from '@koppelstuk/event-store';
import { INTERRUPTED, unlessInterrupted, type Interrupt } from './signals';

const NOT_READY: unique symbol = Symbol('not-ready');

/**
 * Turns a subscription into batches without adding latency: wait for one event, then take whatever else
 * is already available (events of a page the store has read resolve in microtasks; the next page needs a
 * round trip) up to the batch size. A pull that is not ready yet is kept for the next batch, so no event
 * is lost between batches.
 */
export class BatchReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private pending: Promise<IteratorResult<RecordedEvent>> | null = null;

  constructor(private readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next batch (at least one event), or an empty one when interrupted while waiting for the first. */
  async nextBatch(maxSize: number, interrupt: Interrupt): Promise<RecordedEvent[]> {
    const first = await unlessInterrupted(this.pull(), interrupt);
    if (first === INTERRUPTED) return [];
    this.pending = null;
    if (first.done) throw new Error('the event store subscription ended while the projection was running');
    const batch = [first.value];
    while (batch.length < maxSize) {
      const next = await Promise.race([this.pull(), nextMacrotask()]);
      if (next === NOT_READY || next.done) break;
      this.pending = null;
      batch.push(next.value);
    }
    return batch;
  }

  async close(): Promise<void> {
    // An abandoned pull may still settle (or fail, e.g. on a dead connection); nobody will look at it.
    this.pending?.catch(() => undefined);
    await this.subscription.stop();
  }

  private pull(): Promise<IteratorResult<RecordedEvent>> {
    this.pending ??= this.iterator.next();
    return this.pending;
  }
}

function nextMacrotask(): Promise<typeof NOT_READY> {
  return new Promise((resolve) => setImmediate(() => resolve(NOT_READY)));
}
