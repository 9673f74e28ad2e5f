import type { RequestHandler } from 'express';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { formatErrorFor } from '@koppelstuk/service-kit';
import { assertAffordable, depthRule, queryCost } from './limits';
import type { GatewayContext, GatewayRuntime, RuntimeOptions } from './runtime';

/** Sends the caller's token and the request's correlation id on to every subgraph. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('principal' in context)) return;
    request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set('x-correlation-id', context.correlationId);
  }
}

/** The gateway only ever sends string bodies; Node's fetch accepts them (its types differ on Buffers only). */
const nodeFetch = fetch as unknown as NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/** Apollo Gateway (@apollo/gateway) behind Apollo Server 5, on a static, checked-in supergraph. */
export async function createApolloRuntime(options: RuntimeOptions): Promise<GatewayRuntime> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Node's own fetch (undici, keep-alive) instead of the default make-fetch-happen, whose agent builds a stack
    // trace for every subgraph request (bench/ gateway profile).
    buildService: ({ name, url }) => new ForwardingDataSource({ url: options.subgraphUrls[name] ?? url, fetcher: nodeFetch }),
  });
  const costLimit: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          assertAffordable(queryCost(schema, document, request.variables ?? {}, request.operationName ?? undefined), options.maxCost);
        },
      };
    },
  };
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    // Nest owns the process lifecycle (SIGTERM → close): Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    validationRules: [depthRule(options.maxDepth)],
    formatError: formatErrorFor(options.production, options.logError),
    plugins: [costLimit, ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const handler: RequestHandler = expressMiddleware(server, { context: ({ req }) => options.context(req) });
  return { handler, stop: () => server.stop() };
}
