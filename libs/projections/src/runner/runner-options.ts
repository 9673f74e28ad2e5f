import type { EventStore, Position } from '@koppelstuk/event-store';
import type { DataSource } from 'typeorm';
import type { ProjectionDefinition, ProjectionLogger } from '../projection';
import { assertIdentifier, scratchSchemaOf } from '../rebuild/identifiers';

/** Test seams for the crash harness; services leave them out. */
export interface RunnerHooks {
  /** Inside the batch transaction, after apply() returned and before the checkpoint update. */
  afterApply?(batchNumber: number): void | Promise<void>;
  /** After a batch (or, while looking for a poison event, a single event) committed. */
  afterCommit?(batchNumber: number, checkpoint: Position): void;
}

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /**
   * The read model's database. The runner keeps one of its pool's connections for the lease and takes
   * another during a rebuild: give the pool at least three.
   */
  readonly dataSource: DataSource;
  readonly projection: ProjectionDefinition;
  /**
   * Most events per transaction. Default 2000: a batch's fixed cost (transaction, fenced checkpoint update,
   * commit, next page) is then a small part of a catch-up or rebuild; live batches are as small as what arrived.
   */
  readonly batchSize?: number;
  /** Attempts per batch, and then per single event, before the runner stops as failed. Default 5. */
  readonly maxAttempts?: number;
  /** First back-off after a failed attempt; doubles each time. Default 200 ms. */
  readonly retryBaseMs?: number;
  /** How often a standby tries to take the lease. Default 2000 ms. */
  readonly standbyRetryMs?: number;
  /** How often the log's head is looked up for lag reporting (also after every batch). Default 1000 ms. */
  readonly headRefreshMs?: number;
  /** Default: console. */
  readonly logger?: ProjectionLogger;
  readonly hooks?: RunnerHooks;
}

export type ResolvedRunnerOptions = Required<ProjectionRunnerOptions>;

const consoleLogger: ProjectionLogger = {
  info: (message, details) => console.info(message, details ?? ''),
  warn: (message, details) => console.warn(message, details ?? ''),
  error: (message, details) => console.error(message, details ?? ''),
};

/** Defaults, and a clear error at construction for anything that would otherwise fail much later. */
export function resolveRunnerOptions(options: ProjectionRunnerOptions): ResolvedRunnerOptions {
  const { projection } = options;
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(projection.name)) {
    // ':' is reserved: a rebuild's own checkpoint is "<name>:rebuild".
    throw new RangeError(`Projection name "${projection.name}" must be 1-100 characters of A-Z, a-z, 0-9, '_', '.', '-'`);
  }
  assertIdentifier('schema', projection.schema);
  scratchSchemaOf(projection.schema);
  if (projection.tables.length === 0) throw new RangeError(`Projection "${projection.name}" must own at least one table`);
  for (const table of projection.tables) assertIdentifier('table', table);
  return {
    store: options.store,
    dataSource: options.dataSource,
    projection,
    batchSize: atLeast('batchSize', options.batchSize ?? 2000, 1),
    maxAttempts: atLeast('maxAttempts', options.maxAttempts ?? 5, 1),
    retryBaseMs: atLeast('retryBaseMs', options.retryBaseMs ?? 200, 0),
    standbyRetryMs: atLeast('standbyRetryMs', options.standbyRetryMs ?? 2000, 1),
    headRefreshMs: atLeast('headRefreshMs', options.headRefreshMs ?? 1000, 1),
    logger: options.logger ?? consoleLogger,
    hooks: options.hooks ?? {},
  };
}

function atLeast(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name} must be an integer of at least ${minimum}, got ${value}`);
  return value;
}
