/** How the crash harness and its child process talk (argv in, IPC messages out). */

/** A module (absolute path) and the name of one of its exports. */
export interface ModuleExport {
  readonly module: string;
  readonly exportName: string;
}

export interface ChildConfig {
  readonly eventStoreUrl: string;
  readonly readModelUrl: string;
  /** Exports a factory `() => ProjectionDefinition`. */
  readonly projection: ModuleExport;
  /** Exports an array of TypeORM migration classes creating the projection's tables. */
  readonly migrations: ModuleExport;
  readonly batchSize: number;
  /** The run is complete once the projection reached this position ("commit/prepare"). */
  readonly untilPosition: string;
  readonly timeoutMs: number;
}

/** Set to N to make the child SIGKILL itself after the N-th batch's apply() and before its checkpoint update. */
export const KILL_AFTER_APPLY_VARIABLE = 'KOPPELSTUK_TEST_KILL_AFTER_APPLY';

export type ChildMessage =
  | { readonly type: 'started'; readonly schema: string; readonly tables: readonly string[]; readonly state: string }
  | { readonly type: 'committed'; readonly batch: number }
  | { readonly type: 'finished'; readonly eventsApplied: number };
