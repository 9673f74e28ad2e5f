import { createTestDatabase, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore, type PostgresEventStoreOptions } from '@koppelstuk/event-store';
import { DataSource, type MigrationInterface } from 'typeorm';
import { projectionsMigration } from '../checkpoints/checkpoints-migration';
import type { ProjectionLogger } from '../projection';

type MigrationClass = new () => MigrationInterface;

/** A read-model DataSource the way a service builds one: migrations, never synchronize. */
export async function openDataSource(url: string, migrations: readonly MigrationClass[], poolSize = 6): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [projectionsMigration, ...migrations],
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize,
    // pool.end() may race a forced drop of the database at the end of a test.
    poolErrorHandler: () => undefined,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

/** One test's own database with the event store and the read model in it, and a way to clean it all up. */
export interface TestBed {
  readonly database: TestDatabase;
  readonly store: PostgresEventStore;
  /** Another "process": its own event store client and DataSource on the same database. */
  instance(): Promise<{ store: PostgresEventStore; dataSource: DataSource }>;
  dataSource(): Promise<DataSource>;
  dispose(): Promise<void>;
}

export async function createTestBed(
  server: TestServer,
  label: string,
  migrations: readonly MigrationClass[],
  storeOptions: Partial<PostgresEventStoreOptions> = {},
): Promise<TestBed> {
  const database = await createTestDatabase(server, label);
  const stores: PostgresEventStore[] = [];
  const dataSources: DataSource[] = [];
  const connectStore = async () => {
    const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 6, ...storeOptions });
    stores.push(store);
    return store;
  };
  const openReadModel = async () => {
    const dataSource = await openDataSource(database.url, migrations);
    dataSources.push(dataSource);
    return dataSource;
  };
  const store = await connectStore();
  return {
    database,
    store,
    instance: async () => ({ store: await connectStore(), dataSource: await openReadModel() }),
    dataSource: openReadModel,
    async dispose() {
      for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      for (const each of stores) await each.close().catch(() => undefined);
      await database.drop();
    },
  };
}

/** Keeps log lines for assertions instead of printing them. */
export function memoryLogger(): ProjectionLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, details?: Record<string, unknown>) => {
    lines.push(`${level}: ${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * Waits until `condition` holds. The timeout is a liveness bound with a clear message, never a
 * performance assertion.
 */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
