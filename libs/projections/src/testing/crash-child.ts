/**
 * The process the crash harness starts, kills and restarts: one projection runner on the given databases,
 * until the projection reaches the given position. Run with
 *   node --require libs/projections/src/testing/register-swc.cjs libs/projections/src/testing/crash-child.ts '<ChildConfig JSON>'
 */
import { parsePosition, PostgresEventStore } from '@koppelstuk/event-store';
import { DataSource, type MigrationInterface } from 'typeorm';
import { projectionsMigration } from '../checkpoints/checkpoints-migration';
import type { ProjectionDefinition, ProjectionLogger } from '../projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { KILL_AFTER_APPLY_VARIABLE, type ChildConfig, type ChildMessage, type ModuleExport } from './crash-protocol';

type MigrationClass = new () => MigrationInterface;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ChildConfig;
  const killAfterApply = Number(process.env[KILL_AFTER_APPLY_VARIABLE] || 0);
  const createProjection = await loadExport<() => ProjectionDefinition>(config.projection);
  const migrations = await loadExport<readonly MigrationClass[]>(config.migrations);
  const projection = createProjection();

  const store = await PostgresEventStore.connect({ connectionString: config.eventStoreUrl, poolSize: 3 });
  const dataSource = new DataSource({
    type: 'postgres',
    url: config.readModelUrl,
    migrations: [projectionsMigration, ...migrations],
    migrationsTransactionMode: 'each',
    poolSize: 4,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();

  const runner = new ProjectionRunner({
    store,
    dataSource,
    projection,
    batchSize: config.batchSize,
    retryBaseMs: 20,
    // The killed predecessor's session may hold the lease for a moment longer.
    standbyRetryMs: 100,
    logger: stderrLogger,
    hooks: {
      async afterApply(batchNumber) {
        if (batchNumber !== killAfterApply) return;
        // The read-model rows of this batch are written, its checkpoint update is not: die right here.
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => undefined);
      },
      afterCommit: (batch) => void send({ type: 'committed', batch }),
    },
  });
  await runner.start();
  await send({ type: 'started', schema: projection.schema, tables: projection.tables, state: runner.status().state });
  await runner.waitForPosition(parsePosition(config.untilPosition), config.timeoutMs);
  const { eventsApplied } = runner.status();
  await runner.stop();
  await dataSource.destroy();
  await store.close();
  await send({ type: 'finished', eventsApplied });
  process.disconnect?.();
}

async function loadExport<T>(reference: ModuleExport): Promise<T> {
  const loaded = (await import(reference.module)) as Record<string, unknown>;
  const value = loaded[reference.exportName];
  if (value === undefined) throw new Error(`${reference.module} has no export named "${reference.exportName}"`);
  return value as T;
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

const stderrLogger: ProjectionLogger = {
  info: (message, details) => process.stderr.write(`info: ${message} ${details ? JSON.stringify(details) : ''}\n`),
  warn: (message, details) => process.stderr.write(`warn: ${message} ${details ? JSON.stringify(details) : ''}\n`),
  error: (message, details) => process.stderr.write(`error: ${message} ${details ? JSON.stringify(details) : ''}\n`),
};

main().catch((error: unknown) => {
  process.stderr.write(`crash-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
