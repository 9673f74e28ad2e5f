import { getNullableType, GraphQLError, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

/** Rejects queries nested deeper than `max` before anything is planned or sent to a subgraph. */
export const depthRule = (max: number) => depthLimit(max);

/** What an unpaged list (a referral's journey, an organisation's services) is assumed to hold. */
const ASSUMED_LIST_SIZE = 10;

/**
 * Lists cost what they may return: a field with a `first` argument counts its children `first` times, so
 * `inbox(first: 100) { edges { node { … } } }` is priced as the hundred rows it asks for; any other list
 * counts them ASSUMED_LIST_SIZE times, so nesting lists inside lists multiplies, as it does on the servers.
 * A connection's `edges` are already counted by its `first`.
 */
const listEstimator: ComplexityEstimator = ({ args, field, type, childComplexity }) => {
  const children = Math.max(1, childComplexity);
  if (typeof args['first'] === 'number') return 1 + Math.max(1, Math.min(args['first'], 1000)) * children;
  const isList = isListType(getNullableType(field.type));
  if (!isList || (field.name === 'edges' && type.name.endsWith('Connection'))) return undefined;
  return 1 + ASSUMED_LIST_SIZE * children;
};

export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      ...(operationName ? { operationName } : {}),
      estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Pricing coerces the variables first: a missing or ill-typed variable is the caller's error, as it would be
    // when executing (BAD_USER_INPUT, 400), not an unexpected one.
    if (error instanceof GraphQLError && /^Variable "\$/.test(error.message)) {
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
    }
    throw error;
  }
}

export function assertAffordable(cost: number, max: number): void {
  if (cost > max) {
    throw new GraphQLError(`This query costs ${cost}, more than the ${max} allowed; ask for fewer fields or smaller pages`, {
      // A client error (400), whichever runtime refuses it; the http extension never reaches the response body.
      extensions: { code: 'QUERY_TOO_COSTLY', cost, maximumCost: max, http: { status: 400 } },
    });
  }
}
