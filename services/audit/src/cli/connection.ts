import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { resolveDatabase, type ResolvedDatabase } from '@koppelstuk/database';
import { connectEventStore, type EventStore } from '@koppelstuk/event-store';
import { PersonalDataTables1764000000000 } from '@koppelstuk/personal-data';
import { projectionsMigration } from '@koppelstuk/projections';
import { ConfigurationError } from '@koppelstuk/service-kit';
import { auditMigrations } from '../chain/audit-tables';
import { loadChainSigner, SigningKeyError, type ChainSigner } from '../chain/chain-signer';
import { loadAuditConfig, type AuditConfig } from '../config';
import { CliError, EXIT, usageError } from './exit-codes';

/** What every command works with: the audit tables (and other read models) and the event store. */
export interface Connection {
  readonly config: AuditConfig;
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** The installation's checkpoint signer, generated on first use outside production (as the service does). */
  signer(): ChainSigner;
  /** The installation's signing key id, if a key exists, without ever creating one. */
  installationKeyId(): string | null;
}

export function cliConfig(env: NodeJS.ProcessEnv): AuditConfig {
  try {
    return loadAuditConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) throw usageError(error.message);
    throw error;
  }
}

/**
 * Connects the way the services do: DATABASE_URL, or else the embedded PostgreSQL server of this
 * installation (started if none runs, stopped again afterwards if this process started it); the event store
 * per EVENT_STORE. Migrations run like at a service start, so the audit tables exist. Anything failing here
 * is "cannot connect" (exit 3), with the reason.
 */
export async function withConnection<T>(env: NodeJS.ProcessEnv, work: (connection: Connection) => Promise<T>): Promise<T> {
  const config = cliConfig(env);
  let database: ResolvedDatabase | null = null;
  let dataSource: DataSource | null = null;
  let store: EventStore | null = null;
  try {
    try {
      database = await resolveDatabase({
        ...env,
        ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}),
        KOPPELSTUK_DATA_DIR: config.KOPPELSTUK_DATA_DIR,
        KOPPELSTUK_EMBEDDED_PG_PORT: String(config.KOPPELSTUK_EMBEDDED_PG_PORT),
      });
      dataSource = new DataSource({
        type: 'postgres',
        url: database.url,
        applicationName: 'koppelstuk-audit-cli',
        poolSize: 4,
        migrations: [PersonalDataTables1764000000000, projectionsMigration, ...auditMigrations],
        migrationsTableName: 'koppelstuk_audit_migrations',
        migrationsTransactionMode: 'each',
        logging: false,
      });
      await dataSource.initialize();
      await dataSource.runMigrations();
      store =
        config.EVENT_STORE === 'kurrentdb'
          ? await connectEventStore({ kind: 'kurrentdb', connectionString: config.KURRENTDB_CONNECTION_STRING as string })
          : await connectEventStore({ kind: 'postgres', connectionString: database.url, poolSize: 4, applicationName: 'koppelstuk-audit-cli' });
    } catch (error) {
      throw new CliError(EXIT.cannotConnect, `Cannot connect: ${(error as Error).message}`);
    }
    const connected = { config, dataSource, store };
    return await work({
      ...connected,
      signer: () => signerOf(config),
      installationKeyId: () => installationKeyId(config),
    });
  } finally {
    await store?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (database?.embedded?.owned) await database.embedded.stop().catch(() => undefined);
  }
}

function signerOf(config: AuditConfig): ChainSigner {
  try {
    return loadChainSigner({ keyFile: config.KOPPELSTUK_AUDIT_SIGNING_KEY_FILE, dataDir: config.KOPPELSTUK_DATA_DIR, production: config.NODE_ENV === 'production' });
  } catch (error) {
    if (error instanceof SigningKeyError) throw usageError(error.message);
    throw error;
  }
}

function installationKeyId(config: AuditConfig): string | null {
  const generated = join(resolve(config.KOPPELSTUK_DATA_DIR), 'audit-signing-key.pem');
  if (!config.KOPPELSTUK_AUDIT_SIGNING_KEY_FILE && !existsSync(generated)) return null;
  return signerOf(config).keyId;
}
