import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres';

export interface ResolvedDatabase {
  readonly url: string;
  /** The embedded server this process started or attached to; null with DATABASE_URL. */
  readonly embedded: EmbeddedPostgres | null;
}

export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATABASE_NAME = 'koppelstuk';

/**
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL server of this installation (data in
 * KOPPELSTUK_DATA_DIR, default ./.koppelstuk), started if it is not running yet, with its database.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  const configured = env['DATABASE_URL'];
  if (configured) return { url: configured, embedded: null };
  const dataDir = resolve(env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk');
  const port = Number(env['KOPPELSTUK_EMBEDDED_PG_PORT'] ?? DEFAULT_EMBEDDED_PORT);
  const embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, persistent: true, settings: { max_connections: '300' } });
  await embedded.ensureDatabase(DEFAULT_DATABASE_NAME);
  return { url: embedded.connectionString(DEFAULT_DATABASE_NAME), embedded };
}
