import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevIssuer } from '@koppelstuk/auth';
import { createTestDatabase, defaultTestServer, freePort, type TestDatabase, type TestServer } from '@koppelstuk/database';
import type { Role } from '@koppelstuk/domain';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { seedDirectory } from '@koppelstuk/seed';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const SUBGRAPHS = ['directory', 'referrals', 'inbox', 'outcomes', 'audit'] as const;
export type ServiceName = (typeof SUBGRAPHS)[number] | 'gateway';

export interface NetworkOptions {
  /** Names the database and the temporary folder. Default 'e2e'. */
  readonly label?: string;
  /** Environment for every process (e.g. GATEWAY_RUNTIME=hive). */
  readonly env?: Readonly<Record<string, string>>;
  /** The PostgreSQL server to create the network's database on; default DATABASE_URL's or a new embedded one (stopped with the network). */
  readonly server?: TestServer;
  /** Where the compiled services are; default dist/ of this checkout, built first. */
  readonly distDir?: string;
  /** Build into distDir first (tools/build.mjs --out distDir). Default true. */
  readonly build?: boolean;
  /** Extra node flags per process, e.g. --cpu-prof for a profile of one service. */
  readonly execArgv?: (service: ServiceName) => readonly string[];
}

/** Another gateway process on the same subgraphs (e.g. the other federation runtime). */
export interface ExtraGateway {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface Network {
  readonly gatewayUrl: string;
  readonly database: TestDatabase;
  readonly dataDir: string;
  readonly issuer: DevIssuer;
  readonly logs: string;
  /** The process id of every service, for resident-memory readings and profiles. */
  readonly pids: Readonly<Record<ServiceName, number>>;
  /** Each subgraph's /graphql URL. */
  readonly subgraphUrls: Readonly<Record<(typeof SUBGRAPHS)[number], string>>;
  token(organisationId: string, role: Role, userId?: string): Promise<string>;
  graphql<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  startGateway(env: Readonly<Record<string, string>>, label?: string): Promise<ExtraGateway>;
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
 * directory and its own development issuer. Used by the end-to-end tests (test/) and the benchmarks (bench/).
 */
export async function startNetwork(labelOrOptions: string | NetworkOptions = {}, extraEnv: Record<string, string> = {}): Promise<Network> {
  const options: NetworkOptions = typeof labelOrOptions === 'string' ? { label: labelOrOptions, env: extraEnv } : labelOrOptions;
  const label = options.label ?? 'e2e';
  const distDir = resolve(options.distDir ?? join(ROOT, 'dist'));
  if (options.build ?? true) {
    execFileSync(process.execPath, [join(ROOT, 'tools', 'build.mjs'), '--out', distDir], { stdio: 'ignore' });
  }
  const ownServer = !options.server;
  const server: TestServer = options.server ?? (await defaultTestServer());
  const database = await createTestDatabase(server, label);
  const dataDir = mkdtempSync(join(tmpdir(), `koppelstuk-${label}-`));
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
  await seedDirectory(store);
  await store.close();
  const issuer = await DevIssuer.loadOrCreate(dataDir);
  const children: ChildProcess[] = [];
  const base = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    KOPPELSTUK_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    ...options.env,
  };
  const pids: Partial<Record<ServiceName, number>> = {};
  const ports: Record<string, number> = {};
  for (const name of SUBGRAPHS) ports[name] = await freePort();
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<(typeof SUBGRAPHS)[number], string>;
  const spawnService = (name: ServiceName, env: NodeJS.ProcessEnv, logName: string = name) => {
    const log = createWriteStream(join(dataDir, `${logName}.log`));
    const child = spawn(process.execPath, [...(options.execArgv?.(name) ?? []), join(distDir, 'services', name, 'src', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    children.push(child);
    return child;
  };
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      child.kill('SIGTERM');
    });
  const stopAll = async (keepLogs = false) => {
    await Promise.all(children.map(stopChild));
    await database.drop().catch(() => undefined);
    if (ownServer) await server.stop();
    if (!keepLogs) rmSync(dataDir, { recursive: true, force: true });
  };
  const gatewayEnv = (port: number, env: Readonly<Record<string, string>> = {}) => ({
    ...base,
    PORT: String(port),
    ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]])),
    ...env,
  });

  let gatewayUrl: string;
  try {
    for (const name of SUBGRAPHS) pids[name] = spawnService(name, { ...base, PORT: String(ports[name]) }).pid;
    await Promise.all(SUBGRAPHS.map((name) => waitReady(`http://127.0.0.1:${ports[name]}/health/ready`, name, dataDir)));
    const gatewayPort = await freePort();
    pids.gateway = spawnService('gateway', gatewayEnv(gatewayPort)).pid;
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await waitReady(`${gatewayUrl}/health/ready`, 'gateway', dataDir);
  } catch (error) {
    await stopAll(true); // the error names the logs
    throw error;
  }

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
    pids: pids as Record<ServiceName, number>,
    subgraphUrls,
    token: (organisationId, role, userId = `${organisationId}.${role}`) => issuer.issue({ userId, organisationId, roles: [role] }),
    async graphql<T>(token: string | null, query: string, variables?: Record<string, unknown>) {
      const { status, body } = await post(JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
      const parsed = JSON.parse(body) as { data?: T | null; errors?: GraphQLResult<T>['errors'] };
      return { status, data: parsed.data ?? null, ...(parsed.errors ? { errors: parsed.errors } : {}) };
    },
    post,
    async startGateway(env, name = 'gateway-extra') {
      const port = await freePort();
      const child = spawnService('gateway', gatewayEnv(port, env), name);
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitReady(`${url}/health/ready`, name, dataDir);
      } catch (error) {
        await stopChild(child);
        throw error;
      }
      return { url, pid: child.pid as number, stop: () => stopChild(child) };
    },
    stop: () => stopAll(),
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
