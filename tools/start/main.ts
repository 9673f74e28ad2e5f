import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DevIssuer } from '@koppelstuk/auth';
import { resolveDatabase } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import { seedDirectory } from '@koppelstuk/seed';
import { seedDemoReferrals } from './demo-referrals';

/**
 * `npm start`: the whole network on one machine. The embedded PostgreSQL (or DATABASE_URL), the demo
 * directory on first run, every service as its own process, then the gateway; it prints where to go
 * and tokens to go there with. Ctrl-C stops everything it started, the database last.
 */
const root = resolve(__dirname, '..', '..', '..');
const env = process.env;
const dataDir = resolve(env['KOPPELSTUK_DATA_DIR'] ?? join(root, '.koppelstuk'));
const host = env['HOST'] ?? '127.0.0.1';
const gatewayPort = Number(env['GATEWAY_PORT'] ?? 4000);
const SERVICES = [
  { name: 'directory', port: Number(env['DIRECTORY_PORT'] ?? 4002) },
  { name: 'referrals', port: Number(env['REFERRALS_PORT'] ?? 4001) },
  { name: 'inbox', port: Number(env['INBOX_PORT'] ?? 4003) },
  { name: 'outcomes', port: Number(env['OUTCOMES_PORT'] ?? 4004) },
  { name: 'audit', port: Number(env['AUDIT_PORT'] ?? 4005) },
];

const children: { name: string; process: ChildProcess }[] = [];
let stopDatabase: (() => Promise<void>) | null = null;
let stopping = false;

async function main(): Promise<void> {
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  say(`Koppelstuk is starting (data in ${dataDir})`);
  const database = await resolveDatabase({ ...env, KOPPELSTUK_DATA_DIR: dataDir });
  stopDatabase = database.embedded?.owned ? () => (database.embedded as { stop(): Promise<void> }).stop() : null;
  say(database.embedded ? `embedded PostgreSQL 18 on 127.0.0.1:${database.embedded.port}` : 'PostgreSQL from DATABASE_URL');
  if (database.embedded && !database.embedded.dataDir.startsWith(`${dataDir}/`)) {
    // Root's checkout in a private folder: the postgres user could not reach it (see startEmbeddedPostgres).
    say(`its cluster is in ${database.embedded.dataDir} (linked from ${dataDir}/postgres), where the postgres user can reach it`);
  }

  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 2 });
  const seeded = await seedDirectory(store);
  await store.close();
  if (seeded.eventsAppended > 0) say(`demo directory: ${seeded.organisations} organisations (${seeded.eventsAppended} events)`);

  // Before the services start, so they all find this installation's development key rather than making one.
  const issuer = await DevIssuer.loadOrCreate(dataDir);
  const common = { ...env, NODE_ENV: env['NODE_ENV'] ?? 'development', DATABASE_URL: database.url, KOPPELSTUK_DATA_DIR: dataDir, HOST: host };
  const urls = Object.fromEntries(SERVICES.map((s) => [`${s.name.toUpperCase()}_URL`, `http://${host}:${s.port}/graphql`]));
  for (const service of SERVICES) start(service.name, { ...common, PORT: String(service.port) });
  await Promise.all(SERVICES.map((s) => ready(s.name, `http://${host}:${s.port}/health/ready`)));
  start('gateway', { ...common, ...urls, PORT: String(gatewayPort) });
  const gateway = `http://${host}:${gatewayPort}`;
  await ready('gateway', `${gateway}/health/ready`);

  const tokens = {
    city: await issuer.issue({ userId: 'gm0141-almelo.officer', organisationId: 'gm0141-almelo', roles: ['city_officer'] }),
    partner: await issuer.issue({ userId: 'rabobank.agent', organisationId: 'rabobank', roles: ['partner_agent'] }),
    auditor: await issuer.issue({ userId: 'rekenkamer-g40.auditor', organisationId: 'rekenkamer-g40', roles: ['auditor'] }),
    admin: await issuer.issue({ userId: 'g40-programmabureau.admin', organisationId: 'g40-programmabureau', roles: ['admin'] }),
  };
  const demo = await seedDemoReferrals(`${gateway}/graphql`, tokens);
  if (demo > 0) say(`demo referrals: ${demo} made through the gateway`);

  process.stdout.write(
    [
      '',
      `  Koppelstuk is running.`,
      `  Portal:   ${gateway}/`,
      `  GraphQL:  ${gateway}/graphql`,
      `  Logs:     ${join(dataDir, 'logs')}`,
      '',
      '  Development tokens (valid 8 hours; more with `npm run token -- --org <id> --role <role>`):',
      `  city officer, Gemeente Almelo:  ${tokens.city}`,
      `  partner agent, Rabobank:        ${tokens.partner}`,
      `  auditor, Rekenkamer G40:        ${tokens.auditor}`,
      `  admin, G40 programmabureau:     ${tokens.admin}`,
      '',
      '  Try, as the Rabobank agent:',
      `  TOKEN=${tokens.partner}`,
      `  curl -s ${gateway}/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
      `    -d '{"query":"{ inbox(first: 5) { totalCount edges { node { id status entrepreneur { businessName } city { name } slaDueAt } } } }"}'`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

function start(name: string, environment: NodeJS.ProcessEnv): void {
  const log = createWriteStream(join(dataDir, 'logs', `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'dist', 'services', name, 'src', 'main.js')], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (!stopping) process.stderr.write(`[${name}] ${chunk}`);
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${join(dataDir, 'logs', `${name}.log`)}`);
    void shutdown(1);
  });
  children.push({ name, process: child });
}

async function ready(name: string, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) {
        say(`${name} ready`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s; see ${join(dataDir, 'logs', `${name}.log`)}`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  const gateway = children.filter((c) => c.name === 'gateway');
  const rest = children.filter((c) => c.name !== 'gateway');
  await Promise.all(gateway.map(stopChild));
  await Promise.all(rest.map(stopChild));
  if (stopDatabase) await stopDatabase();
  say('stopped');
  process.exit(code);
}

function stopChild({ process: child }: { process: ChildProcess }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

function say(message: string): void {
  process.stdout.write(`koppelstuk: ${message}\n`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  process.stderr.write(`koppelstuk: ${(error as Error).message}\n`);
  void shutdown(1);
});
