import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { AuthModule } from '../auth/auth.module';
import { resolveDatabase, type ResolvedDatabase } from '@koppelstuk/database';
import { connectEventStore, type EventStore } from '@koppelstuk/event-store';
import { AccessLog, AccessRecorder, masterKeyFromEnv, PersonalDataCipher, PersonalDataTables1764000000000, SubjectKeyStore, sqlExecutor } from '@koppelstuk/personal-data';
import type { BaseConfig } from '../config/service-config';
import { EVENT_STORE, RESOLVED_DATABASE, SERVICE_CONFIG, SERVICE_NAME } from './tokens';

export interface InfrastructureOptions {
  readonly service: string;
  readonly config: BaseConfig;
  // TypeORM's own option types: entity classes and migration classes of the service.
  readonly entities?: MixedList<Function | string | EntitySchema>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  readonly migrations?: MixedList<Function | string>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  /**
   * Whether the service seals or opens entrepreneurs' personal data (default true). Without it the service
   * needs no master key and gets no subject-key store, cipher or access log.
   */
  readonly personalData?: boolean;
}

/**
 * The infrastructure of one service process: its database (DATABASE_URL or the embedded server), the
 * read-model DataSource with its migrations (never `synchronize`), the configured event store, token
 * verification and the personal-data cipher and access log.
 */
/** Resolves the database once per process (starting or attaching to the embedded server if needed). */
@Global()
@Module({})
class DatabaseModule {
  static forRoot(config: BaseConfig, env: NodeJS.ProcessEnv): DynamicModule {
    const provider: Provider = {
      provide: RESOLVED_DATABASE,
      useFactory: () =>
        resolveDatabase({
          ...env,
          ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}),
          KOPPELSTUK_EMBEDDED_PG_PORT: String(config.KOPPELSTUK_EMBEDDED_PG_PORT),
        }),
    };
    return { module: DatabaseModule, providers: [provider], exports: [provider] };
  }
}

@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  static forRoot(options: InfrastructureOptions): DynamicModule {
    const env = { ...process.env, KOPPELSTUK_DATA_DIR: options.config.KOPPELSTUK_DATA_DIR };
    const database = DatabaseModule.forRoot(options.config, env);
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: SERVICE_NAME, useValue: options.service },
      {
        provide: EVENT_STORE,
        inject: [RESOLVED_DATABASE],
        useFactory: (database: ResolvedDatabase) =>
          options.config.EVENT_STORE === 'kurrentdb'
            ? connectEventStore({ kind: 'kurrentdb', connectionString: options.config.KURRENTDB_CONNECTION_STRING as string })
            : connectEventStore({
                kind: 'postgres',
                connectionString: database.url,
                poolSize: options.config.DATABASE_POOL_SIZE,
                applicationName: `koppelstuk-${options.service}`,
              }),
      },
    ];
    const personalData = options.personalData ?? true;
    const personalDataProviders: Provider[] = personalData
      ? [
          {
            provide: SubjectKeyStore,
            inject: [DataSource],
            useFactory: (dataSource: DataSource) => new SubjectKeyStore(sqlExecutor(dataSource), masterKeyFromEnv(env)),
          },
          { provide: PersonalDataCipher, inject: [SubjectKeyStore], useFactory: (keys: SubjectKeyStore) => new PersonalDataCipher(keys) },
          { provide: AccessLog, inject: [DataSource], useFactory: (dataSource: DataSource) => new AccessLog(sqlExecutor(dataSource)) },
          { provide: AccessRecorder, inject: [AccessLog], useFactory: (log: AccessLog) => new AccessRecorder(log) },
        ]
      : [];
    const migrations = [...(personalData ? [PersonalDataTables1764000000000] : []), ...((options.migrations as unknown[]) ?? [])];
    return {
      module: InfrastructureModule,
      imports: [
        AuthModule.forRoot(options.config.KOPPELSTUK_DATA_DIR),
        database,
        TypeOrmModule.forRootAsync({
          imports: [database],
          inject: [RESOLVED_DATABASE],
          useFactory: (database: ResolvedDatabase) => ({
            type: 'postgres' as const,
            url: database.url,
            applicationName: `koppelstuk-${options.service}`,
            poolSize: options.config.DATABASE_POOL_SIZE,
            entities: options.entities ?? [],
            migrations: migrations as MixedList<Function>, // eslint-disable-line @typescript-eslint/no-unsafe-function-type
            // Run below, under a lock: replicas and projectors of one service start together.
            migrationsRun: false,
            migrationsTableName: `koppelstuk_${options.service.replace(/-/g, '_')}_migrations`,
            migrationsTransactionMode: 'each' as const,
            synchronize: false,
            logging: ['error' as const],
          }),
          dataSourceFactory: async (dataSourceOptions) => migrated(await new DataSource(dataSourceOptions as DataSourceOptions).initialize(), options.service),
        }),
      ],
      providers: [...providers, ...personalDataProviders],
      exports: [SERVICE_CONFIG, SERVICE_NAME, EVENT_STORE, ...(personalData ? [SubjectKeyStore, PersonalDataCipher, AccessLog, AccessRecorder] : [])],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
  }
}

/**
 * Runs the service's TypeORM migrations holding a session advisory lock named after the service, so that
 * API replicas and projectors starting at once migrate exactly once and never race each other.
 */
async function migrated(dataSource: DataSource, service: string): Promise<DataSource> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = `koppelstuk-migrations:${service}`;
  try {
    await runner.query('select pg_advisory_lock(hashtext($1))', [key]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
