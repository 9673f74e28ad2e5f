import { resolve } from 'node:path';
import { DevIssuer } from '@koppelstuk/auth';
import { resolveDatabase } from '@koppelstuk/database';
import { connectEventStore, type EventStoreConfig } from '@koppelstuk/event-store';
import { seedDirectory } from '../seed-directory';

/**
 * `node dist/libs/seed/src/cli/main.js` (or `npm run seed`): the one-shot migrate-and-seed job.
 * Connects to the configured event store (on PostgreSQL that brings the event-store schema up to date),
 * registers the demo G40 directory through the same deciders as the admin mutations (idempotent), and,
 * without an identity provider, creates the development issuer's keys that every service then trusts.
 * Exit codes: 0 done, 1 failed, 78 configuration error.
 */
async function main(): Promise<void> {
  const env = process.env;
  const kind = env['EVENT_STORE'] ?? 'postgres';
  if (kind !== 'postgres' && kind !== 'kurrentdb') return fail(`EVENT_STORE must be postgres or kurrentdb (got '${kind}')`, 78);
  let config: EventStoreConfig;
  if (kind === 'kurrentdb') {
    const connectionString = env['KURRENTDB_CONNECTION_STRING'];
    if (!connectionString || !/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//.test(connectionString)) {
      return fail('EVENT_STORE=kurrentdb needs KURRENTDB_CONNECTION_STRING (a kurrentdb:// connection string)', 78);
    }
    config = { kind, connectionString };
  } else {
    if (env['DATABASE_URL'] !== undefined && !/^postgres(ql)?:\/\//.test(env['DATABASE_URL'])) {
      return fail('DATABASE_URL must be a postgres:// connection string', 78);
    }
    // Without DATABASE_URL: the embedded server of this installation, as every service would use.
    const database = await resolveDatabase(env);
    config = { kind, connectionString: database.url, poolSize: 2, applicationName: 'koppelstuk-seed' };
  }
  const store = await connectEventStore(config);
  try {
    const report = await seedDirectory(store);
    process.stdout.write(`seed: event store ${kind} ready; demo directory: ${report.organisations} organisations, ${report.eventsAppended} events appended\n`);
  } finally {
    await store.close();
  }
  if (!env['OIDC_ISSUER']) {
    const dataDir = resolve(env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk');
    await DevIssuer.loadOrCreate(dataDir);
    process.stdout.write(`seed: no OIDC_ISSUER, so the services trust the development issuer in ${dataDir}/dev-issuer\n`);
  }
  process.exit(0);
}

function fail(message: string, code: number): void {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(code);
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error), 1));
