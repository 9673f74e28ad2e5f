import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { createGatewayRuntime, type GatewayConfigSupergraph, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
// The HTTP executor Hive Gateway itself depends on (its usual transport package, @graphql-mesh/transport-http,
// is a thin wrapper around it that is not installed here).
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { formatErrorFor } from '@koppelstuk/service-kit';
import { assertAffordable, depthRule, queryCost } from './limits';
import type { GatewayContext, GatewayRuntime, RuntimeOptions } from './runtime';

/** What the Node handler hands the runtime as its server context; Hive merges it into the GraphQL context. */
interface ServerContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly koppelstuk: GatewayContext;
}

/**
 * Hive Gateway (@graphql-hive/gateway-runtime) on the same checked-in supergraph, with the behaviour of the
 * Apollo runtime: the token is verified (by the same context function) before the request is even parsed,
 * the caller's token and the correlation id go on to every subgraph and nothing else does, the same depth
 * rule and cost limit, the same error shapes (codes, status, formatting) and no introspection in production.
 */
export async function createHiveRuntime(options: RuntimeOptions): Promise<GatewayRuntime> {
  const formatError = formatErrorFor(options.production, options.logError);
  const runtime = createGatewayRuntime<{ koppelstuk: GatewayContext }>({
    supergraph: options.supergraphSdl,
    // The subgraphs' addresses come from the configuration, not from the URLs in the checked-in supergraph.
    transportEntries: Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [name, { location: url }])),
    transports: { http: httpTransport },
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: 'error',
    // Errors are shaped by formatErrorFor below, exactly as for the Apollo runtime.
    maskedErrors: false,
    // Subgraph errors pass through with their own codes and, as Apollo Gateway adds it, extensions.serviceName.
    subgraphErrors: { errorCode: false, subgraphNameProp: 'serviceName' },
    // Nest's request id is the correlation id (x-correlation-id), as for the Apollo runtime.
    requestId: false,
    // As Apollo Server's CSRF prevention: a GET or a "simple" POST needs one of these headers.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight'] },
    ...(options.production ? { disableIntrospection: {} } : {}),
    propagateHeaders: {
      fromClientToSubgraphs: ({ context }) => {
        const gateway = (context as Partial<{ koppelstuk: GatewayContext }>).koppelstuk;
        return gateway ? { authorization: gateway.authorization, 'x-correlation-id': gateway.correlationId } : {};
      },
    },
    plugins: () => [apolloShapedErrors(formatError), limits(options.maxDepth, options.maxCost)],
  });

  const handler: RequestHandler = async (request, response, next) => {
    let koppelstuk: GatewayContext;
    try {
      // Before anything else, as Apollo Server runs its context function before parsing.
      koppelstuk = await options.context(request);
    } catch (error) {
      const graphqlError = error instanceof GraphQLError ? error : new GraphQLError('Unexpected error', { originalError: error as Error });
      const status = (graphqlError.extensions['http'] as { status?: number } | undefined)?.status ?? 500;
      response.status(status).json({ errors: [formatError(graphqlError.toJSON(), error)] });
      return;
    }
    try {
      // Hive merges this server context ({ req, res } and ours) into the GraphQL context and sends the response.
      const context: ServerContext = { req: request, res: response, koppelstuk };
      // (requestListener takes extra server-context arguments; its declared type does not say so.)
      const listen = runtime.requestListener as unknown as (req: IncomingMessage, res: ServerResponse, context: ServerContext) => Promise<void>;
      await listen(request, response, context);
    } catch (error) {
      next(error);
    }
  };
  return { handler, stop: async () => runtime.dispose() };
}

/** Subgraph requests over HTTP POST with the runtime's fetch, so that its hooks (header propagation) apply. */
const httpTransport = {
  getSubgraphExecutor: ({ transportEntry, fetch }) =>
    buildHTTPExecutor({
      endpoint: transportEntry.location as string,
      ...(fetch ? { fetch: fetch as never } : {}),
      headers: Object.fromEntries(transportEntry.headers ?? []),
    }),
} satisfies Extract<NonNullable<GatewayConfigSupergraph['transports']>, Record<string, unknown>>[string];

/**
 * Apollo Server's codes for requests that fail before execution (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
 * with status 400), and every error of the response through the shared formatError.
 */
function apolloShapedErrors(formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): GatewayPlugin {
  const tagged = (error: GraphQLError, code: string) =>
    new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code, http: { status: 400 } },
    });
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, parseOptions) => {
        try {
          return parseFn(source, parseOptions);
        } catch (error) {
          throw error instanceof GraphQLError ? tagged(error, 'GRAPHQL_PARSE_FAILED') : error;
        }
      });
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((error) => (error.extensions['code'] ? error : tagged(error, 'GRAPHQL_VALIDATION_FAILED'))));
      };
    },
    onResultProcess({ result, setResult }) {
      const format = (one: ExecutionResult): ExecutionResult =>
        one.errors?.length ? { ...one, errors: one.errors.map((error) => shapeError(error, formatError)) } : one;
      if (Array.isArray(result)) setResult(result.map((one) => format(one as ExecutionResult)));
      else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(format(result as ExecutionResult));
    },
  };
}

/**
 * One error as the Apollo runtime would send it: through formatError (codes, masking, no suggestions in
 * production), Hive's own request errors (no code, an HTTP status such as 400, 403 or 405) as BAD_REQUEST, and
 * the HTTP status kept in extensions.http, which Hive turns into the response status and leaves out of the body.
 */
function shapeError(error: GraphQLError, formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): GraphQLError {
  const http = error.extensions?.['http'] as { status?: number } | undefined;
  const requestError = !error.extensions?.['code'] && http?.status !== undefined && http.status >= 400 && http.status < 500;
  const status = requestError ? (http?.status === 405 ? 405 : 400) : http?.status;
  const formatted = formatError(requestError ? { ...error.toJSON(), extensions: { ...error.extensions, code: 'BAD_REQUEST' } } : error.toJSON(), error);
  // A masked error keeps nothing of the original; any other keeps its locations in the query.
  const masked = formatted.extensions?.['code'] === 'INTERNAL_SERVER_ERROR' && formatted.message !== error.message;
  return new GraphQLError(formatted.message, {
    ...(masked ? {} : { nodes: error.nodes, source: error.source, positions: error.positions }),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { ...formatted.extensions, ...(status ? { http: { status } } : {}) },
  });
}

/** The depth rule during validation and the cost limit after it, before anything is planned or sent to a subgraph. */
function limits(maxDepth: number, maxCost: number): GatewayPlugin {
  const depth = depthRule(maxDepth) as ValidationRule;
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(depth);
    },
    onExecute({ args, setResultAndStopExecution }) {
      try {
        assertAffordable(queryCost(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>, args.operationName ?? undefined), maxCost);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
      }
    },
  };
}
