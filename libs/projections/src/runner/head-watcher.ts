import { comparePositions, type EventFilter, type EventStore, type Position } from '@koppelstuk/event-store';
import type { Progress } from './progress';

/**
 * Keeps Progress.head fresh for lag reporting: one cheap head query per interval and after each batch,
 * never more than one at a time. With a filter it also asks whether any matching event is still pending,
 * because a filtered projection's checkpoint can legitimately stay behind the head forever.
 */
export class HeadWatcher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly filter: EventFilter | undefined,
    private readonly progress: Progress,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.refresh(), this.intervalMs);
    // Status reporting must never keep a process alive.
    this.timer.unref();
    void this.refresh();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.look().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async look(): Promise<void> {
    try {
      const head = await this.store.headPosition();
      const checkpoint = this.progress.checkpoint;
      const behind = head !== null && (checkpoint === null || comparePositions(checkpoint, head) < 0);
      const idle = behind && this.filter !== undefined && !(await this.matchingEventAfter(checkpoint));
      this.progress.observedHead(head, idle ? head : null);
    } catch {
      // Keep the last known head; the next tick tries again. Lag reporting must not disturb applying.
    }
  }

  private async matchingEventAfter(checkpoint: Position | null): Promise<boolean> {
    // readAll's fromPosition is inclusive: the checkpoint's own event may come back first.
    for await (const event of this.store.readAll({ fromPosition: checkpoint ?? 'start', filter: this.filter, maxCount: 2 })) {
      if (checkpoint === null || comparePositions(event.position, checkpoint) > 0) return true;
    }
    return false;
  }
}
