import { useQuery } from 'urql';
import type { Session } from '../auth/session';
import { MeQuery } from '../graphql/operations';

/** The signed-in user's organisation as the directory knows it (name, kind, municipality code). */
export function useOrganisation(session: Session) {
  const [result] = useQuery({ query: MeQuery, variables: { id: session.organisationId }, requestPolicy: 'cache-first' });
  return result.data?.organisation ?? null;
}
