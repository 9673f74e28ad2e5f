import { formatPosition, type EventStore, type Position, type RecordedEvent } from '@koppelstuk/event-store';
import type { DataSource } from 'typeorm';
import { ensureCheckpoint, markFailed, readCheckpoint } from '../checkpoints/checkpoint-store';
import type {
  ProjectionDefinition,
  ProjectionFailure,
  ProjectionLogger,
  ProjectionState,
  ProjectionStatus,
  RebuildReport,
} from '../projection';
import { RebuildCoordinator } from '../rebuild/rebuild-coordinator';
import { BatchReader } from './batch-reader';
import { HeadWatcher } from './head-watcher';
import { Lease } from './lease';
import { Progress } from './progress';
import { applyWithRetry } from './retrying-applier';
import { resolveRunnerOptions, type ProjectionRunnerOptions, type RunnerHooks } from './runner-options';
import { errorMessage, Interrupt, sleep } from './signals';

type ServeOutcome = 'stopped' | 'failed' | 'reacquire';

/**
 * Runs one projection: exactly one active instance per projection and database (advisory-lock lease),
 * batches applied together with their checkpoint in one transaction, live wake-up through the event store
 * subscription, retries and poison-event detection, rebuild-and-swap while serving, and lag reporting.
 * See README.md for the guarantees and why they hold.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly dataSource: DataSource;
  private readonly projection: ProjectionDefinition;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly standbyRetryMs: number;
  private readonly logger: ProjectionLogger;
  private readonly hooks: RunnerHooks;

  private state: ProjectionState = 'starting';
  private failure: ProjectionFailure | null = null;
  private readonly progress = new Progress();
  private readonly heads: HeadWatcher;
  private readonly interrupt = new Interrupt();
  private readonly stopController = new AbortController();
  private loop: Promise<void> | null = null;
  /** Aborted when the current lease session ends; a rebuild belongs to one session. */
  private session: AbortController | null = null;
  private readonly rebuilds: RebuildCoordinator;
  private batchNumber = 0;
  private decided: () => void = () => undefined;
  private readonly firstDecision = new Promise<void>((resolve) => {
    this.decided = resolve;
  });

  constructor(options: ProjectionRunnerOptions) {
    const resolved = resolveRunnerOptions(options);
    this.store = resolved.store;
    this.dataSource = resolved.dataSource;
    this.projection = resolved.projection;
    this.batchSize = resolved.batchSize;
    this.maxAttempts = resolved.maxAttempts;
    this.retryBaseMs = resolved.retryBaseMs;
    this.standbyRetryMs = resolved.standbyRetryMs;
    this.logger = resolved.logger;
    this.hooks = resolved.hooks;
    this.rebuilds = new RebuildCoordinator({
      store: this.store,
      dataSource: this.dataSource,
      projection: this.projection,
      batchSize: this.batchSize,
      maxAttempts: this.maxAttempts,
      retryBaseMs: this.retryBaseMs,
      logger: this.logger,
      liveCheckpoint: () => this.progress.checkpoint,
      wakeLiveLoop: () => this.interrupt.fire(),
    });
    this.heads = new HeadWatcher(this.store, this.projection.filter, this.progress, resolved.headRefreshMs);
  }

  /** Starts the loop; resolves once this instance is active or a standby (or failed to become either). */
  async start(): Promise<void> {
    if (this.loop) throw new Error(`Projection runner "${this.projection.name}" was already started`);
    await assertMigrated(this.dataSource);
    this.heads.start();
    this.loop = this.run().catch((error: unknown) => {
      // run() handles its own errors; this is the last line of defence against a bug.
      this.logger.error(`Projection "${this.projection.name}" stopped unexpectedly`, { error: errorMessage(error) });
      this.failure = { eventId: null, message: errorMessage(error) };
      this.setState('failed');
    });
    await this.firstDecision;
  }

  /** Finishes or rolls back the batch in progress, gives up the lease, and stops. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.interrupt.fire();
    await this.loop;
    await this.heads.stop();
    if (this.state !== 'failed') this.setState('stopped');
    this.progress.rejectAll(new Error(`Projection runner "${this.projection.name}" was stopped`));
  }

  status(): ProjectionStatus {
    return {
      name: this.projection.name,
      state: this.state,
      checkpoint: this.progress.checkpoint,
      eventsApplied: this.progress.eventsApplied,
      head: this.progress.head,
      positionsBehind: this.progress.positionsBehind(),
      secondsBehind: this.progress.secondsBehind(new Date()),
      failure: this.failure,
    };
  }

  /**
   * Resolves once every event up to `position` this projection cares about is applied (read-your-writes:
   * pass the position an append returned). On a standby it follows the active instance's checkpoint, as
   * often as it retries the lease.
   */
  waitForPosition(position: Position, timeoutMs: number): Promise<void> {
    if (this.progress.reached(position)) return Promise.resolve();
    if (this.state === 'failed' || this.state === 'stopped') return Promise.reject(this.unavailable());
    // A position the filter skips is only known to be passed once the head moved beyond it.
    if (this.projection.filter) void this.heads.refresh();
    return this.progress.waitFor(position, timeoutMs, () => {
      const checkpoint = this.progress.checkpoint;
      return `projection "${this.projection.name}" is ${this.state} at ${checkpoint ? formatPosition(checkpoint) : 'the start'}`;
    });
  }

  /**
   * Replays the whole log into fresh copies of the tables while the live ones keep serving, then swaps
   * them in (see README.md). Only the active instance can rebuild: the swap happens inside its loop.
   */
  async rebuild(): Promise<RebuildReport> {
    const session = this.session;
    if (this.state !== 'active' || !session) {
      throw new Error(`Projection "${this.projection.name}" can only be rebuilt by its active runner; this one is ${this.state}`);
    }
    return this.rebuilds.rebuild(session.signal);
  }

  private async run(): Promise<void> {
    const stopping = this.stopController.signal;
    while (!stopping.aborted) {
      let lease: Lease | null = null;
      try {
        lease = await Lease.tryAcquire(this.dataSource, this.projection.name);
      } catch (error) {
        this.logger.warn(`Projection "${this.projection.name}" could not try to take its lease; retrying`, { error: errorMessage(error) });
      }
      if (!lease) {
        this.setState('standby');
        await this.followActiveInstance();
        await sleep(this.standbyRetryMs, stopping);
        continue;
      }
      const outcome = await this.serve(lease);
      await lease.release().catch(() => undefined);
      if (outcome === 'failed') return;
    }
  }

  /** Applies batches while this instance holds the lease. */
  private async serve(lease: Lease): Promise<ServeOutcome> {
    const session = new AbortController();
    this.session = session;
    let reader: BatchReader | null = null;
    try {
      const checkpoint = await ensureCheckpoint(lease.queryRunner, this.projection.name);
      if (checkpoint.status === 'failed') {
        this.logger.warn(
          `Projection "${this.projection.name}" had stopped at event ${checkpoint.failedEventId}: ${checkpoint.failure}. ` +
            'Trying again from its checkpoint (a fixed version may have been deployed).',
        );
      }
      this.progress.load(checkpoint);
      this.failure = null;
      this.setState('active');
      this.logger.info(`Projection "${this.projection.name}" is active`, {
        checkpoint: checkpoint.position ? formatPosition(checkpoint.position) : null,
      });
      reader = this.openReader();
      for (;;) {
        this.interrupt.clear();
        if (this.stopController.signal.aborted) return 'stopped';
        const switched = await this.rebuilds.switchIfRequested(lease.queryRunner);
        if (switched !== 'none') {
          const outcome = await this.afterSwitch(lease, switched);
          if (outcome) return outcome;
          // The checkpoint may have moved forward to the rebuild's position: resubscribe from there.
          await reader.close();
          reader = this.openReader();
          continue;
        }
        const batch = await reader.nextBatch(this.batchSize, this.interrupt);
        if (batch.length === 0) continue;
        const outcome = await this.applyBatch(lease, batch);
        if (outcome) return outcome;
      }
    } catch (error) {
      if (this.stopController.signal.aborted) return 'stopped';
      // E.g. the subscription could not read the log. Nothing half-done is stored: start over from the checkpoint.
      this.logger.error(`Projection "${this.projection.name}" hit an error; starting over from its stored checkpoint`, {
        error: errorMessage(error),
      });
      await sleep(this.standbyRetryMs, this.stopController.signal);
      return 'reacquire';
    } finally {
      session.abort();
      this.session = null;
      this.rebuilds.abandon();
      await reader?.close().catch(() => undefined);
    }
  }

  private openReader(): BatchReader {
    const fromPosition = this.progress.checkpoint ?? 'start';
    return new BatchReader(this.store.subscribeToAll({ fromPosition, filter: this.projection.filter }));
  }

  /** Returns null to go on with the next batch. */
  private async applyBatch(lease: Lease, batch: readonly RecordedEvent[]): Promise<ServeOutcome | null> {
    const batchNumber = ++this.batchNumber;
    const { afterApply, afterCommit } = this.hooks;
    const outcome = await applyWithRetry(
      {
        queryRunner: lease.queryRunner,
        target: { projection: this.projection, schema: this.projection.schema, checkpointName: this.projection.name },
        maxAttempts: this.maxAttempts,
        retryBaseMs: this.retryBaseMs,
        logger: this.logger,
        stopSignal: this.stopController.signal,
        checkpoint: () => this.progress.checkpoint,
        committed: (events) => {
          this.progress.committed(events);
          // Only for someone waiting (a filtered projection learns that a position it skips is passed from the
          // head): otherwise the once-a-second refresh keeps lag reporting fresh enough, and two more queries
          // per batch (per event, when live) cost every projection of every service (bench/).
          if (this.progress.waiting) void this.heads.refresh();
          if (afterCommit && this.progress.checkpoint) afterCommit(batchNumber, this.progress.checkpoint);
        },
        connectionHealthy: () => lease.isHeld(),
        afterApply: afterApply ? () => afterApply(batchNumber) : undefined,
      },
      batch,
    );
    switch (outcome.kind) {
      case 'committed':
        return null;
      case 'stopped':
        return 'stopped';
      case 'connection-lost':
        this.logger.warn(`Projection "${this.projection.name}" lost its lease connection; its last batch was rolled back`);
        return 'reacquire';
      case 'failed':
        await this.fail(lease, outcome.failure);
        return 'failed';
    }
  }

  /** Returns null to go on serving. */
  private async afterSwitch(lease: Lease, result: 'switched' | 'fenced' | 'error'): Promise<ServeOutcome | null> {
    switch (result) {
      case 'switched':
        this.progress.load(await ensureCheckpoint(lease.queryRunner, this.projection.name));
        return null;
      case 'fenced':
        await this.fail(lease, { eventId: null, message: 'the checkpoint moved while a rebuild was being switched in; nothing was switched' });
        return 'failed';
      case 'error':
        // Rolled back: the live tables and checkpoint are untouched and keep serving, unless the lease went too.
        return (await lease.isHeld()) ? null : 'reacquire';
    }
  }

  /** Stops for good (until restarted): records a poison event in the checkpoint row, never a fencing loss. */
  private async fail(lease: Lease, failure: ProjectionFailure): Promise<void> {
    this.failure = failure;
    this.setState('failed');
    this.logger.error(`Projection "${this.projection.name}" stopped: ${failure.message}`, { eventId: failure.eventId });
    if (failure.eventId !== null) {
      await markFailed(lease.queryRunner, this.projection.name, this.progress.checkpoint, failure.eventId, failure.message).catch(
        (error: unknown) => this.logger.error('Could not record the failure in the checkpoint row', { error: errorMessage(error) }),
      );
    }
    this.progress.rejectAll(this.unavailable());
  }

  /** A standby reports (and lets callers wait on) the active instance's progress. */
  private async followActiveInstance(): Promise<void> {
    try {
      const checkpoint = await readCheckpoint(this.dataSource, this.projection.name);
      if (checkpoint) this.progress.load(checkpoint);
    } catch {
      // Only reporting suffers; the next retry looks again.
    }
  }

  private unavailable(): Error {
    const failure = this.failure;
    if (!failure) return new Error(`Projection runner "${this.projection.name}" is ${this.state}`);
    return new Error(`Projection "${this.projection.name}" failed${failure.eventId ? ` at event ${failure.eventId}` : ''}: ${failure.message}`);
  }

  private setState(state: ProjectionState): void {
    this.state = state;
    if (state !== 'starting') this.decided();
  }
}

async function assertMigrated(dataSource: DataSource): Promise<void> {
  const rows = (await dataSource.query(`select to_regclass('projections.checkpoints') is not null as present`)) as { present: boolean }[];
  if (!rows[0]?.present) {
    throw new Error('The table projections.checkpoints does not exist: add projectionsMigration to the DataSource migrations and run them');
  }
}
