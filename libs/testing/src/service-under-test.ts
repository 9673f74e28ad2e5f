import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DevIssuer } from '@koppelstuk/auth';
import { createTestDatabase, defaultTestServer, type TestDatabase, type TestServer } from '@koppelstuk/database';
import { PostgresEventStore } from '@koppelstuk/event-store';
import type { Role } from '@koppelstuk/domain';

export interface ServiceUnderTest {
  readonly url: string;
  readonly app: INestApplication;
  readonly database: TestDatabase;
  /** A second connection to the same event store, for arranging and inspecting events directly. */
  readonly store: PostgresEventStore;
  readonly issuer: DevIssuer;
  readonly dataDir: string;
  token(organisationId: string, role: Role, userId?: string): Promise<string>;
  /** POST a GraphQL operation with a bearer token (or none). */
  graphql<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  readonly status: number;
  readonly data: T | null;
  readonly errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * Boots a service's Nest module in this process against a fresh database (on DATABASE_URL's server or an
 * embedded one), with its own development issuer, listening on a free port: the service exactly as it
 * runs, reached over HTTP with real JWTs.
 */
export async function startServiceForTest(
  build: (env: NodeJS.ProcessEnv) => DynamicModule,
  options: {
    label: string;
    env?: Record<string, string>;
    server?: TestServer;
    /** Run against another service's database, keys and issuer: several services as one network. */
    shareWith?: ServiceUnderTest;
  } = { label: 'service' },
): Promise<ServiceUnderTest> {
  const shared = options.shareWith;
  const server = shared ? null : (options.server ?? (await defaultTestServer()));
  const ownsServer = !shared && !options.server;
  const database = shared ? shared.database : await createTestDatabase(server as TestServer, options.label);
  const dataDir = shared ? shared.dataDir : mkdtempSync(join(tmpdir(), `koppelstuk-${options.label}-`));
  const issuer = shared ? shared.issuer : await DevIssuer.loadOrCreate(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    KOPPELSTUK_DATA_DIR: dataDir,
    ...options.env,
  };
  const app = await NestFactory.create(build(env), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const store = await PostgresEventStore.connect({ connectionString: database.url, poolSize: 4 });
  return {
    url,
    app,
    database,
    store,
    issuer,
    dataDir,
    token: (organisationId, role, userId = `${organisationId}.${role}`) => issuer.issue({ userId, organisationId, roles: [role] }),
    async graphql<T>(token: string | null, query: string, variables?: Record<string, unknown>) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T | null; errors?: GraphQLResponse<T>['errors'] };
      return { status: response.status, data: body.data ?? null, ...(body.errors ? { errors: body.errors } : {}) };
    },
    async close() {
      await app.close();
      await store.close();
      if (shared) return;
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
      if (ownsServer) await (server as TestServer).stop();
    },
  };
}
