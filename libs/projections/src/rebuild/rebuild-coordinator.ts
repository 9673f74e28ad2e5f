import type { EventStore, Position } from '@koppelstuk/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import { deleteCheckpoint } from '../checkpoints/checkpoint-store';
import type { ProjectionDefinition, ProjectionLogger, RebuildReport } from '../projection';
import type { RetryPolicy } from '../runner/retrying-applier';
import { errorMessage } from '../runner/signals';
import { rebuildCheckpointOf, scratchSchemaOf } from './identifiers';
import { replayIntoScratch, type ScratchProgress } from './replay';
import { createScratchTables, dropScratchSchema } from './scratch-schema';
import { switchToRebuild } from './switch';

export interface RebuildDependencies extends RetryPolicy {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly projection: ProjectionDefinition;
  readonly batchSize: number;
  readonly logger: ProjectionLogger;
  /** The live runner's checkpoint right now. */
  liveCheckpoint(): Position | null;
  /** Interrupts the live loop so that it picks the switch up between two batches. */
  wakeLiveLoop(): void;
}

interface SwitchRequest {
  readonly scratch: ScratchProgress;
  readonly session: AbortSignal;
  resolve(events: number): void;
  reject(error: Error): void;
}

export type SwitchResult = 'none' | 'switched' | 'fenced' | 'error';

/**
 * Connects the two halves of a rebuild: the replay runs beside the live loop (its own connection, its own
 * checkpoint), the switch runs inside the live loop between two batches, so the live runner is paused,
 * not racing, while its tables are replaced.
 */
export class RebuildCoordinator {
  private request: SwitchRequest | null = null;
  private running = false;

  constructor(private readonly deps: RebuildDependencies) {}

  /** `session` is aborted when the live runner stops serving; the rebuild is then abandoned. */
  async rebuild(session: AbortSignal): Promise<RebuildReport> {
    const { projection, dataSource, logger } = this.deps;
    if (this.running) throw new Error(`A rebuild of projection "${projection.name}" is already running`);
    this.running = true;
    const scratchSchema = scratchSchemaOf(projection.schema);
    const checkpointName = rebuildCheckpointOf(projection.name);
    const startedAt = performance.now();
    try {
      logger.info(`Projection "${projection.name}": rebuild started into ${scratchSchema}`);
      await dataSource.transaction((manager) => createScratchTables(manager, projection.schema, scratchSchema, projection.tables));
      const scratch = await replayIntoScratch({ ...this.deps, scratchSchema, checkpointName, signal: session });
      const events = await this.awaitSwitch(scratch, session);
      const durationMs = performance.now() - startedAt;
      const report: RebuildReport = {
        events,
        durationMs: Math.round(durationMs),
        eventsPerSecond: Math.round(events / Math.max(durationMs / 1000, 0.001)),
      };
      logger.info(`Projection "${projection.name}": rebuilt and switched`, { ...report });
      return report;
    } catch (error) {
      // The live tables were never touched (a failed switch rolls back); only the scratch copy goes.
      await dropScratchSchema(dataSource, scratchSchema).catch(() => undefined);
      await deleteCheckpoint(dataSource, checkpointName).catch(() => undefined);
      logger.warn(`Projection "${projection.name}": rebuild failed; the live tables are unchanged`, { error: errorMessage(error) });
      throw error;
    } finally {
      this.running = false;
    }
  }

  /** For the live loop, between batches, on the lease connection: performs a requested switch, if any. */
  async switchIfRequested(queryRunner: QueryRunner): Promise<SwitchResult> {
    const request = this.request;
    if (!request) return 'none';
    this.request = null;
    if (request.session.aborted) {
      request.reject(this.abandoned());
      return 'none';
    }
    const { projection } = this.deps;
    try {
      const outcome = await switchToRebuild(queryRunner, {
        store: this.deps.store,
        projection,
        scratchSchema: scratchSchemaOf(projection.schema),
        rebuildCheckpointName: rebuildCheckpointOf(projection.name),
        batchSize: this.deps.batchSize,
        scratch: request.scratch,
        live: this.deps.liveCheckpoint(),
      });
      if (outcome.kind === 'fenced') {
        request.reject(new Error(`Projection "${projection.name}": the checkpoint moved while the rebuild was being switched in`));
        return 'fenced';
      }
      request.resolve(outcome.events);
      return 'switched';
    } catch (error) {
      request.reject(error instanceof Error ? error : new Error(errorMessage(error)));
      return 'error';
    }
  }

  /** The live runner stopped serving: a switch waiting for it can no longer happen. */
  abandon(): void {
    this.request?.reject(this.abandoned());
    this.request = null;
  }

  private awaitSwitch(scratch: ScratchProgress, session: AbortSignal): Promise<number> {
    return new Promise((resolve, reject) => {
      if (session.aborted) return reject(this.abandoned());
      this.request = { scratch, session, resolve, reject };
      this.deps.wakeLiveLoop();
    });
  }

  private abandoned(): Error {
    return new Error(`Projection "${this.deps.projection.name}" stopped serving before the rebuild could be switched in`);
  }
}
