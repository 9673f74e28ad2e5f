import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevIssuer } from '@koppelstuk/auth';
import { createTestDatabase, defaultTestServer, freePort, type TestDatabase, type TestServer } from '@koppelstuk/database';
import type { Role } from '@koppelstuk/domain';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { seedDirectory } from '@koppelstuk/seed';

/**
 * The whole network for the portal's browser tests, started the way `npm start` starts it (every service
 * its own process, then the gateway serving the portal's build), but against a fresh database on
 * DATABASE_URL's server or a throwaway embedded one, a temporary data directory and free ports. The
 * services run from their TypeScript sources (the same swc transform Jest uses), so nothing in dist/ is
 * touched while other work builds it.
 */
export const ROOT = resolve(__dirname, '..', '..', '..');
const REGISTER = join(ROOT, 'libs', 'projections', 'src', 'testing', 'register-swc.cjs');
export const SUBGRAPHS = ['directory', 'referrals', 'inbox', 'outcomes', 'audit'] as const;
export type Subgraph = (typeof SUBGRAPHS)[number];

export interface Network {
  readonly gatewayUrl: string;
  readonly dataDir: string;
  readonly issuer: DevIssuer;
  /** The subgraphs whose service exists in this checkout and is running. */
  readonly running: readonly Subgraph[];
  token(organisationId: string, role: Role, userId?: string): Promise<string>;
  graphql<T = Record<string, unknown>>(token: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  stop(): Promise<void>;
}

export interface NetworkOptions {
  readonly portalDir?: string;
  readonly log?: (line: string) => void;
  /** Keep the gateway on a fixed port (development); default a free one. */
  readonly gatewayPort?: number;
}

export async function startNetwork(options: NetworkOptions = {}): Promise<Network> {
  const log = options.log ?? (() => undefined);
  const server: TestServer = await defaultTestServer();
  const database: TestDatabase = await createTestDatabase(server, 'portal');
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelstuk-portal-'));
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  // Created once, before any service starts: concurrent first starts would each make their own.
  const issuer = await DevIssuer.loadOrCreate(dataDir);
  const masterKey = randomBytes(32).toString('base64');

  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
  await seedDirectory(store);
  await store.close();

  const children: { name: string; child: ChildProcess; logFile: WriteStream }[] = [];
  let stopping = false;
  const common: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    KOPPELSTUK_DATA_DIR: dataDir,
    KOPPELSTUK_MASTER_KEY: masterKey,
    DEADLINE_CHECK_INTERVAL_MS: '5000',
  };
  delete common['OIDC_ISSUER'];

  const start = (name: string, env: NodeJS.ProcessEnv) => {
    const logFile = createWriteStream(join(dataDir, 'logs', `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--require', REGISTER, join(ROOT, 'services', name, 'src', 'main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(logFile);
    child.stderr?.pipe(logFile);
    child.on('exit', (code, signal) => {
      if (!stopping) log(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${join(dataDir, 'logs', `${name}.log`)}`);
    });
    children.push({ name, child, logFile });
  };

  const stop = async () => {
    stopping = true;
    const gateway = children.filter((c) => c.name === 'gateway');
    await Promise.all(gateway.map(stopChild));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map(stopChild));
    await database.drop().catch(() => undefined);
    await server.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const running = SUBGRAPHS.filter((name) => existsSync(join(ROOT, 'services', name, 'src', 'main.ts')));
    const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (name) => [name, await freePort()] as const))) as Record<Subgraph, number>;
    for (const name of running) start(name, { ...common, PORT: String(ports[name]) });
    await Promise.all(running.map((name) => ready(name, `http://127.0.0.1:${ports[name]}/health/ready`, children, dataDir)));
    const gatewayPort = options.gatewayPort ?? (await freePort());
    const urls = Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`]));
    start('gateway', { ...common, ...urls, PORT: String(gatewayPort), ...(options.portalDir ? { PORTAL_DIR: options.portalDir } : {}) });
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await ready('gateway', `${gatewayUrl}/health/live`, children, dataDir);
    log(`network running: ${gatewayUrl} (${running.join(', ')}; data in ${dataDir})`);
    return {
      gatewayUrl,
      dataDir,
      issuer,
      running,
      token: (organisationId, role, userId = `${organisationId}.${role === 'partner_agent' ? 'agent' : role === 'city_officer' ? 'officer' : role}`) =>
        issuer.issue({ userId, organisationId, roles: [role] }),
      async graphql(token, query, variables = {}) {
        const response = await fetch(`${gatewayUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return response.json();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The gateway alone (no database, no subgraphs), with the given environment: for what happens before any
 * subgraph is asked, such as signing in with an OIDC provider.
 */
export async function startGatewayOnly(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'koppelstuk-portal-gateway-'));
  const logFile = createWriteStream(join(dataDir, 'gateway.log'));
  const port = await freePort();
  const unreachable = 'http://127.0.0.1:9/graphql';
  const child = spawn(process.execPath, ['--require', REGISTER, join(ROOT, 'services', 'gateway', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      KOPPELSTUK_DATA_DIR: dataDir,
      ...Object.fromEntries(SUBGRAPHS.map((name) => [`${name.toUpperCase()}_URL`, unreachable])),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  const stop = async () => {
    await stopChild({ child, logFile });
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await ready('gateway', `${url}/health/live`, [{ name: 'gateway', child }], dataDir);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function ready(name: string, url: string, children: { name: string; child: ChildProcess }[], dataDir: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const process = children.find((c) => c.name === name)?.child;
  while (Date.now() < deadline) {
    if (process && process.exitCode !== null) throw new Error(`${name} exited with code ${process.exitCode}; see ${join(dataDir, 'logs', `${name}.log`)}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s; see ${join(dataDir, 'logs', `${name}.log`)}`);
}

function stopChild({ child, logFile }: { child: ChildProcess; logFile: WriteStream }): Promise<void> {
  const done = () => new Promise<void>((resolveEnd) => logFile.end(() => resolveEnd()));
  if (child.exitCode !== null || child.signalCode !== null) return done();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      void done().then(resolveStop);
    });
    child.kill('SIGTERM');
  });
}

/** `node --require libs/projections/src/testing/register-swc.cjs services/portal/test/network.ts`: a network to develop against. */
if (require.main === module) {
  const port = Number(process.env['GATEWAY_PORT'] ?? 4000);
  startNetwork({ gatewayPort: port, log: (line) => process.stdout.write(`${line}\n`), portalDir: join(ROOT, 'services', 'portal', 'dist') })
    .then((network) => {
      process.stdout.write(`ready: ${network.gatewayUrl}\n`);
      const shutdown = () => void network.stop().then(() => process.exit(0));
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
