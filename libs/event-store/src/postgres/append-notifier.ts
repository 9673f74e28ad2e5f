import { Client, type ClientConfig } from 'pg';
import { APPENDED_CHANNEL } from './migrations';

/**
 * One LISTEN connection per store, shared by all its subscriptions. Waiters compare a generation
 * counter so that a notification arriving between "read" and "wait" is never lost. If the connection
 * drops, waiters fall back to their poll interval while it reconnects.
 */
export class AppendNotifier {
  private client: Client | null = null;
  private starting: Promise<void> | null = null;
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(private readonly config: ClientConfig) {}

  get currentGeneration(): number {
    return this.generation;
  }

  /** Resolves once LISTEN is in place (or has failed, in which case waiters poll). */
  ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.starting ??= this.listen().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Waits for a notification newer than `sinceGeneration`, at most `timeoutMs`, or until aborted. */
  wait(sinceGeneration: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.generation !== sinceGeneration || signal.aborted || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.wakeAll();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({ ...this.config, application_name: 'koppelstuk-event-store-listener' });
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`listen ${APPENDED_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Anything appended while we were not listening must be looked at.
      this.wakeAll();
    } catch {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private dropped(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.wakeAll();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.ensureListening();
    }, 1000);
    this.reconnectTimer.unref();
  }

  private wakeAll(): void {
    this.generation += 1;
    for (const wake of [...this.waiters]) wake();
  }
}
