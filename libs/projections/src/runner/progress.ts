import { comparePositions, formatPosition, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { Checkpoint } from '../checkpoints/checkpoint-store';

interface Waiter {
  readonly position: Position;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * What the runner knows about how far it is: its checkpoint, the log's head, and who waits for a position.
 * Everything here is in memory and cheap to read, so status() never touches the database.
 */
export class Progress {
  checkpoint: Position | null = null;
  eventsApplied = 0;
  lastRecordedAt: Date | null = null;
  head: Position | null = null;
  /**
   * With a filter, the checkpoint stops at the last *matching* event, so it may never reach the head. This is
   * the head at a moment when no matching event lay between the checkpoint and it: everything up to here is
   * processed as far as this projection is concerned.
   */
  private idleThrough: Position | null = null;
  private readonly waiters = new Set<Waiter>();

  load(checkpoint: Checkpoint): void {
    this.checkpoint = checkpoint.position;
    this.eventsApplied = checkpoint.eventsApplied;
    this.lastRecordedAt = checkpoint.lastEventRecordedAt;
    this.notify();
  }

  committed(events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    this.checkpoint = last.position;
    this.eventsApplied += events.length;
    this.lastRecordedAt = last.recordedAt;
    this.notify();
  }

  observedHead(head: Position | null, idleThrough: Position | null): void {
    this.head = head;
    if (idleThrough && (!this.idleThrough || comparePositions(idleThrough, this.idleThrough) > 0)) this.idleThrough = idleThrough;
    this.notify();
  }

  /** Whether every event up to `position` that this projection cares about is applied. */
  reached(position: Position): boolean {
    const through = this.processedThrough();
    return through !== null && comparePositions(through, position) >= 0;
  }

  caughtUp(): boolean {
    return this.head === null || this.reached(this.head);
  }

  positionsBehind(): bigint {
    if (this.caughtUp() || this.head === null) return 0n;
    const behind = this.head.prepare - (this.checkpoint?.prepare ?? 0n);
    return behind > 0n ? behind : 0n;
  }

  secondsBehind(now: Date): number | null {
    if (this.caughtUp()) return 0;
    if (!this.lastRecordedAt) return null;
    return Math.max(0, (now.getTime() - this.lastRecordedAt.getTime()) / 1000);
  }

  waitFor(position: Position, timeoutMs: number, describe: () => string): Promise<void> {
    if (this.reached(position)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for position ${formatPosition(position)}: ${describe()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  get waiting(): boolean {
    return this.waiters.size > 0;
  }

  rejectAll(error: Error): void {
    for (const waiter of [...this.waiters]) {
      this.waiters.delete(waiter);
      waiter.reject(error);
    }
  }

  private processedThrough(): Position | null {
    if (!this.checkpoint) return this.idleThrough;
    if (!this.idleThrough) return this.checkpoint;
    return comparePositions(this.checkpoint, this.idleThrough) >= 0 ? this.checkpoint : this.idleThrough;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (!this.reached(waiter.position)) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
