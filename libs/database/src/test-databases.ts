import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded/embedded-postgres';

/** A PostgreSQL server that tests create their own databases on. */
export interface TestServer {
  readonly kind: 'system' | 'embedded';
  /** A connection string to the server's maintenance database. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** The server named by DATABASE_URL, or null when none is configured. */
export function systemTestServer(env: NodeJS.ProcessEnv = process.env): TestServer | null {
  const url = env['DATABASE_URL'];
  if (!url) return null;
  return { kind: 'system', adminUrl: url, stop: async () => undefined };
}

/** A throwaway embedded PostgreSQL server in a temporary directory, deleted when stopped. */
export async function startEmbeddedTestServer(): Promise<TestServer> {
  const server = await startEmbeddedPostgres({
    dataDir: join(tmpdir(), `koppelstuk-test-pg-${process.pid}-${randomBytes(4).toString('hex')}`),
    port: await freePort(),
    persistent: false,
    // Durability is not what these servers are for; this keeps test runs fast.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  return { kind: 'embedded', adminUrl: server.connectionString(), stop: () => server.stop() };
}

/** DATABASE_URL's server when set, otherwise a new embedded one: the same tests run on both. */
export async function defaultTestServer(): Promise<TestServer> {
  return systemTestServer() ?? (await startEmbeddedTestServer());
}

export async function createTestDatabase(server: TestServer, label = 'test'): Promise<TestDatabase> {
  const name = `kst_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(5).toString('hex')}`;
  await withClient(server.adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withClient(server.adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
