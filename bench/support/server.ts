import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, freePort, startEmbeddedPostgres, systemTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';

export interface BenchServer extends TestServer {
  /** e.g. "PostgreSQL 18.1 (embedded), fsync on, synchronous_commit on" */
  readonly description: string;
  /** A fresh database, dropped with `drop()`. */
  database(label: string): Promise<TestDatabase>;
}

/**
 * DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary directory. Unlike the test
 * servers, the embedded one keeps PostgreSQL's durable defaults (fsync, synchronous_commit): a benchmark
 * measures what a deployment would see, and its baseline runs on the very same settings.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const system = systemTestServer();
  const server: TestServer =
    system ??
    (await (async () => {
      const embedded = await startEmbeddedPostgres({
        dataDir: join(tmpdir(), `koppelstuk-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`),
        port: await freePort(),
        persistent: false,
        settings: { max_connections: '300' },
      });
      return { kind: 'embedded' as const, adminUrl: embedded.connectionString(), stop: () => embedded.stop() };
    })());
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  let description: string;
  try {
    const { rows } = await client.query<{ version: string; fsync: string; sync: string; buffers: string }>(
      `select current_setting('server_version') as version, current_setting('fsync') as fsync,
              current_setting('synchronous_commit') as sync, current_setting('shared_buffers') as buffers`,
    );
    const row = rows[0];
    description = `PostgreSQL ${row?.version} (${server.kind}), fsync ${row?.fsync}, synchronous_commit ${row?.sync}, shared_buffers ${row?.buffers}`;
  } finally {
    await client.end();
  }
  return { ...server, description, database: (label) => createTestDatabase(server, `bench_${label}`) };
}
