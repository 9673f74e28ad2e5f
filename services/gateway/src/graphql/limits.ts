import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

/** Rejects queries nested deeper than `max` before anything is planned or sent to a subgraph. */
export const depthRule = (max: number) => depthLimit(max);

/**
 * Lists cost what they may return: a field with a `first` argument counts its children `first` times,
 * so `inbox(first: 100) { edges { node { journey { … } } } }` is priced as the hundred rows it asks for.
 */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args['first'] === 'number' ? Math.max(1, Math.min(args['first'], 1000)) : null;
  return first === null ? undefined : 1 + first * Math.max(1, childComplexity);
};

export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

export function assertAffordable(cost: number, max: number): void {
  if (cost > max) {
    throw new GraphQLError(`This query costs ${cost}, more than the ${max} allowed; ask for fewer fields or smaller pages`, {
      extensions: { code: 'QUERY_TOO_COSTLY', cost, maximumCost: max },
    });
  }
}
