import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { TokenVerifier } from '@koppelstuk/auth';
import { TOKEN_VERIFIER } from '../infrastructure/tokens';
import { formatErrorFor } from './errors';
import { GraphQLErrorPassthroughFilter } from './graphql-error.filter';
import { createRequestContext } from './request-context';
import { CentsScalar, DateScalar, DateTimeScalar } from './scalars';

/** The repository's schema/ folder (from sources, the build, or a container image that copies it). */
export function schemaDirectory(from: string = __dirname): string {
  const configured = process.env['KOPPELSTUK_SCHEMA_DIR'];
  if (configured) return configured;
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'schema', 'subgraphs'))) return join(dir, 'schema');
  }
  throw new Error('Cannot find the schema/ folder; set KOPPELSTUK_SCHEMA_DIR');
}

const sdlFile = (name: string) => join(schemaDirectory(), 'subgraphs', `${name}.graphql`);

function scalarsUsedBy(sdl: string) {
  return {
    ...(/\bscalar DateTime\b/.test(sdl) ? { DateTime: DateTimeScalar } : {}),
    ...(/\bscalar Date\b/.test(sdl) ? { Date: DateScalar } : {}),
    ...(/\bscalar Cents\b/.test(sdl) ? { Cents: CentsScalar } : {}),
  };
}

/**
 * A federation v2 subgraph, schema-first: its SDL is schema/subgraphs/<name>.graphql, the contract the
 * gateway composes. Every request's bearer token is verified here again.
 */
export function subgraphModule(name: string, production: boolean): DynamicModule {
  const logger = new Logger(`graphql:${name}`);
  const graphql = GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [TOKEN_VERIFIER],
    useFactory: (verifier: TokenVerifier) => ({
      typePaths: [sdlFile(name)],
      path: '/graphql',
      introspection: !production,
      playground: false,
      includeStacktraceInErrorResponses: false,
      resolvers: scalarsUsedBy(readFileSync(sdlFile(name), 'utf8')),
      context: ({ req }: { req: Parameters<typeof createRequestContext>[0] }) => createRequestContext(req, verifier),
      formatError: formatErrorFor(production, (error) => logger.error(error)),
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    }),
  });
  return { module: SubgraphModule, imports: [graphql], providers: [{ provide: APP_FILTER, useClass: GraphQLErrorPassthroughFilter }] };
}

@Module({})
class SubgraphModule {}
