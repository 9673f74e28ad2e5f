import { Client, cacheExchange, fetchExchange, mapExchange } from 'urql';
import { clearSession, loadSession } from '../auth/session';

/**
 * The GraphQL client: the gateway's /graphql with the signed-in user's bearer token. urql's document
 * cache refetches the queries a mutation touches (by __typename); lists poll on their own. A refused
 * token ends the session, and the sign-in page says why.
 */
export function createApiClient(): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => {
      const session = loadSession();
      const headers: Record<string, string> = session ? { authorization: `Bearer ${session.token}` } : {};
      return { headers };
    },
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')) clearSession(true);
        },
      }),
      fetchExchange,
    ],
  });
}
