import type { CombinedError } from 'urql';
import { HttpApiError } from '../auth/portal-config';

export interface ApiProblem {
  /** extensions.code, or NETWORK / UNKNOWN. */
  readonly code: string;
  readonly message: string;
  readonly field: string | null;
}

const KNOWN = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'QUERY_TOO_COSTLY',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
  'NETWORK',
]);

/** What went wrong, per error: the stable code and the server's message (never the raw response). */
export function problemsOf(error: CombinedError | Error | null | undefined): ApiProblem[] {
  if (!error) return [];
  if (error instanceof HttpApiError) return [{ code: KNOWN.has(error.code) ? error.code : 'UNKNOWN', message: error.message, field: null }];
  const combined = error as Partial<CombinedError>;
  if (combined.graphQLErrors && combined.graphQLErrors.length > 0) {
    const seen = new Set<string>();
    return combined.graphQLErrors
      .map((e) => {
        const code = String(e.extensions?.['code'] ?? 'UNKNOWN');
        const field = e.extensions?.['field'];
        return { code: KNOWN.has(code) ? code : 'UNKNOWN', message: e.message, field: typeof field === 'string' ? field : null };
      })
      .filter((p) => {
        const key = `${p.code}|${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }
  if (combined.networkError) return [{ code: 'NETWORK', message: combined.networkError.message, field: null }];
  return [{ code: 'UNKNOWN', message: error.message, field: null }];
}
