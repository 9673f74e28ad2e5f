import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore, type Position } from '@koppelstuk/event-store';
import { PersonalDataTables1764000000000 } from '@koppelstuk/personal-data';
import { ProjectionRunner, projectionsMigration } from '@koppelstuk/projections';
import { realSealer, ReferralWriter, writeReferralMix } from '@koppelstuk/testing';
import { auditMigrations } from '../../chain/audit-tables';
import { chainProjection } from '../../chain/chain.projection';
import { loadChainSigner, type ChainSigner } from '../../chain/chain-signer';

export const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A database with a referral history written through the real deciders and the hash chain over it. */
export interface ChainBed {
  readonly database: TestDatabase;
  readonly store: PostgresEventStore;
  readonly dataSource: DataSource;
  readonly writer: ReferralWriter;
  readonly sealer: ReturnType<typeof realSealer>;
  readonly signer: ChainSigner;
  readonly dataDir: string;
  /** Waits (bounded) until the chain holds everything appended so far. */
  catchUp(): Promise<void>;
  /** Recomputes the chain from the log as it is now (what someone rewriting log and chain together would do). */
  rebuildChain(): Promise<void>;
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function chainBed(server: TestServer, label: string, options: { events: number; checkpointEvery?: number; seed?: number }): Promise<ChainBed> {
  const database = await createTestDatabase(server, label);
  const dataDir = mkdtempSync(join(tmpdir(), `koppelstuk-audit-${label}-`));
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    migrations: [PersonalDataTables1764000000000, projectionsMigration, ...auditMigrations],
    // The service's own migrations table: the CLI (and the service) find the migrations already applied.
    migrationsTableName: 'koppelstuk_audit_migrations',
    migrationsTransactionMode: 'each',
    poolSize: 6,
    poolErrorHandler: () => undefined,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 4 });
  const sealer = realSealer(database.url, dataDir);
  const writer = new ReferralWriter(store, sealer.seal);
  if (options.events > 0) await writeReferralMix(writer, { events: options.events, seed: options.seed ?? 11 });
  const signer = loadChainSigner({ dataDir, production: false });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projection: chainProjection({ signer, checkpointEvery: options.checkpointEvery ?? 1000 }),
    logger: quietLogger,
  });
  await runner.start();
  const bed: ChainBed = {
    database,
    store,
    dataSource,
    writer,
    sealer,
    signer,
    dataDir,
    async catchUp() {
      const head = await store.headPosition();
      if (head) await runner.waitForPosition(head as Position, 60_000);
    },
    async rebuildChain() {
      await runner.rebuild();
    },
    sql: async <Row>(text: string, params: unknown[] = []) => (await dataSource.query(text, params)) as Row[],
    async close() {
      await runner.stop();
      await sealer.close();
      await store.close();
      await dataSource.destroy();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await bed.catchUp();
  return bed;
}
