import { randomBytes } from 'node:crypto';
import { formatPosition, parsePosition, type EventStore, type Position } from '@koppelstuk/event-store';
import { createScratchTables, dropScratchSchema, readCheckpoint } from '@koppelstuk/projections';
import { DataSource } from 'typeorm';
import { compareTables, type TableComparison } from './compare-tables';
import { READ_MODEL_FORMAT, type ReadModelFile } from './read-model-file';
import { replayInto, type ReplayRun } from './replay-events';
import type { ReplayTarget } from './replay-target';
import { snapshotTables, type TableSnapshot } from './table-snapshot';

export type Baseline = { readonly kind: 'live' } | { readonly kind: 'file'; readonly file: ReadModelFile } | { readonly kind: 'none' };

export interface ReplayRequest {
  /** Replay only the events recorded up to this moment. With a file baseline, defaults to the file's. */
  readonly asOf?: Date | null;
  readonly against: Baseline;
  readonly batchSize?: number;
  readonly onProgress?: (eventsRead: number) => void;
  /**
   * Runs on the replayed tables before their scratch schema is dropped, e.g. a read model's own report query
   * (its published figures) pointed at that schema, to compare with the same query on the live tables.
   */
  readonly inspect?: (scratchSchema: string) => Promise<void>;
}

export interface ReplayReport {
  readonly projection: string;
  readonly asOf: Date | null;
  readonly against: Baseline['kind'];
  readonly run: ReplayRun;
  readonly comparisons: readonly TableComparison[];
  readonly differences: number;
  /** The replayed tables, to keep and compare a later replay with. */
  readonly replayed: ReadModelFile;
}

/** Nothing sorts at or before it: "replay no event". */
const BEFORE_EVERYTHING: Position = { commit: 0n, prepare: 0n };

/**
 * Provable replay: rebuilds the projection from the events into a scratch schema (copies of its live tables,
 * dropped afterwards) and compares the result table by table, row by row by primary key, with the live read
 * model or a saved replay. The live tables and their checkpoint are read in one snapshot and the replay stops
 * at that checkpoint, so a projection that is merely behind or ahead never shows up as a difference.
 */
export async function replayProjection(store: EventStore, dataSource: DataSource, target: ReplayTarget, request: ReplayRequest): Promise<ReplayReport> {
  const { projection } = target;
  await ensureLiveTables(dataSource, target);
  const baseline = await loadBaseline(dataSource, target, request.against);
  const asOf = request.asOf ?? (request.against.kind === 'file' && request.against.file.asOf ? new Date(request.against.file.asOf) : null);
  const scratch = `${projection.schema}_replay_${randomBytes(4).toString('hex')}`;
  let run: ReplayRun;
  let replayed: TableSnapshot[];
  try {
    await createScratchTables(dataSource, projection.schema, scratch, projection.tables);
    run = await replayInto(store, dataSource, projection, scratch, { asOf, until: baseline.until, batchSize: request.batchSize, onProgress: request.onProgress });
    replayed = (await snapshotTables(dataSource, scratch, projection.tables)).tables;
    await request.inspect?.(scratch);
  } finally {
    await dropScratchSchema(dataSource, scratch);
  }
  const comparisons = baseline.tables
    ? replayed.map((table) => compareTables(baseline.tables?.find((t) => t.table === table.table) ?? { ...table, rows: [] }, table))
    : [];
  return {
    projection: projection.name,
    asOf,
    against: request.against.kind,
    run,
    comparisons,
    differences: comparisons.reduce((sum, comparison) => sum + comparison.differences.length, 0),
    replayed: {
      format: READ_MODEL_FORMAT,
      projection: projection.name,
      asOf: asOf?.toISOString() ?? null,
      position: run.position ? formatPosition(run.position) : null,
      createdAt: new Date().toISOString(),
      tables: replayed,
    },
  };
}

async function loadBaseline(
  dataSource: DataSource,
  target: ReplayTarget,
  against: Baseline,
): Promise<{ tables: readonly TableSnapshot[] | null; until: Position | null }> {
  const { projection } = target;
  switch (against.kind) {
    case 'none':
      return { tables: null, until: null };
    case 'file':
      if (against.file.projection !== projection.name) {
        throw new Error(`The file holds a replay of "${against.file.projection}", not of "${projection.name}"`);
      }
      return { tables: against.file.tables, until: against.file.position ? parsePosition(against.file.position) : BEFORE_EVERYTHING };
    case 'live': {
      const snapshot = await snapshotTables(dataSource, projection.schema, projection.tables, (runner) => readCheckpoint(runner, projection.name));
      return { tables: snapshot.tables, until: snapshot.extra?.position ?? BEFORE_EVERYTHING };
    }
  }
}

/** The scratch tables are copies of the live ones; if the owning service never ran here, its migrations make them. */
async function ensureLiveTables(dataSource: DataSource, target: ReplayTarget): Promise<void> {
  const { schema, tables } = target.projection;
  const [row] = (await dataSource.query(`select bool_and(to_regclass(format('%I.%I', $1::text, t)) is not null) as present from unnest($2::text[]) t`, [
    schema,
    tables,
  ])) as { present: boolean }[];
  if (row?.present) return;
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error(`The tables of "${target.projection.name}" do not exist and the database URL is unknown`);
  const migrator = new DataSource({
    type: 'postgres',
    url,
    migrations: [...target.migrations],
    migrationsTableName: target.migrationsTable,
    migrationsTransactionMode: 'each',
    poolSize: 1,
  });
  await migrator.initialize();
  try {
    await migrator.runMigrations();
  } finally {
    await migrator.destroy();
  }
}
