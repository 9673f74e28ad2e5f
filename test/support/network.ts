import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevIssuer } from '@koppelstuk/auth';
import { createTestDatabase, defaultTestServer, freePort, type TestDatabase, type TestServer } from '@koppelstuk/database';
import type { Role } from '@koppelstuk/domain';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { seedDirectory } from '@koppelstuk/seed';

export const ROOT = resolve(__dirname, '..', '..');
const SUBGRAPHS = ['directory', 'referrals', 'inbox', 'outcomes', 'audit'] as const;

export interface Network {
  readonly gatewayUrl: string;
  readonly database: TestDatabase;
  readonly dataDir: string;
  readonly issuer: DevIssuer;
  readonly logs: string;
  token(organisationId: string, role: Role, userId?: string): Promise<string>;
  graphql<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export interface GraphQLResult<T> {
  readonly status: number;
  readonly data: T | null;
  readonly errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * The whole network as `npm start` runs it — every service a separate process from the build, the
 * gateway in front — on a fresh database (DATABASE_URL's server, else an embedded one) with the demo
 * directory and its own development issuer.
 */
export async function startNetwork(label = 'e2e', extraEnv: Record<string, string> = {}): Promise<Network> {
  execFileSync(process.execPath, [join(ROOT, 'tools', 'build.mjs')], { stdio: 'ignore' });
  const server: TestServer = await defaultTestServer();
  const database = await createTestDatabase(server, label);
  const dataDir = mkdtempSync(join(tmpdir(), `koppelstuk-${label}-`));
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
  await seedDirectory(store);
  await store.close();
  const issuer = await DevIssuer.loadOrCreate(dataDir);
  const children: ChildProcess[] = [];
  const base = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: database.url, KOPPELSTUK_DATA_DIR: dataDir, HOST: '127.0.0.1', ...extraEnv };
  const ports: Record<string, number> = {};
  for (const name of SUBGRAPHS) ports[name] = await freePort();
  const spawnService = (name: string, env: NodeJS.ProcessEnv) => {
    const log = createWriteStream(join(dataDir, `${name}.log`));
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'services', name, 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    children.push(child);
  };
  for (const name of SUBGRAPHS) spawnService(name, { ...base, PORT: String(ports[name]) });
  await Promise.all(SUBGRAPHS.map((name) => waitReady(`http://127.0.0.1:${ports[name]}/health/ready`, name, dataDir)));
  const gatewayPort = await freePort();
  spawnService('gateway', {
    ...base,
    PORT: String(gatewayPort),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`])),
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  await waitReady(`${gatewayUrl}/health/ready`, 'gateway', dataDir);

  const post = async (body: string | Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, body: await response.text() };
  };
  return {
    gatewayUrl,
    database,
    dataDir,
    issuer,
    logs: dataDir,
    token: (organisationId, role, userId = `${organisationId}.${role}`) => issuer.issue({ userId, organisationId, roles: [role] }),
    async graphql<T>(token: string | null, query: string, variables?: Record<string, unknown>) {
      const { status, body } = await post(JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
      const parsed = JSON.parse(body) as { data?: T | null; errors?: GraphQLResult<T>['errors'] };
      return { status, data: parsed.data ?? null, ...(parsed.errors ? { errors: parsed.errors } : {}) };
    },
    post,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(force);
                done();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      await database.drop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, name: string, dataDir: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // still starting
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s (logs in ${dataDir})`);
}

/** Polls until `probe` returns a value (a liveness bound, not a performance assertion). */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}
