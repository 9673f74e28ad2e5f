import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { DomainError } from '@koppelstuk/domain';

/** The stable `extensions.code` values clients may rely on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extra, ...(status ? { http: { status } } : {}) } });
}

export function fromDomainError(error: DomainError): GraphQLError {
  return appError(error.code, error.message, error.field ? { field: error.field } : {});
}

/** Codes Apollo Server itself produces for bad requests: shown as they are. */
const PASS_THROUGH = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COSTLY',
  'PAYLOAD_TOO_LARGE',
]);

/** The gateway reports an operationName that is not in the document without a code of its own. */
const OPERATION_NOT_FOUND = /^(Unknown operation named|Must provide operation name)/;

/**
 * What clients see of an error: typed errors as they are; anything unexpected as a generic
 * INTERNAL_SERVER_ERROR (the details go to the log, never to the caller). Field suggestions
 * ("Did you mean …?") are removed in production so the schema cannot be probed through errors.
 */
export function formatErrorFor(production: boolean, log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = OPERATION_NOT_FOUND.test(formatted.message) ? 'OPERATION_RESOLUTION_FAILURE' : formatted.extensions?.['code'];
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
      const message = production ? formatted.message.replace(/ ?Did you mean .+\?$/, '') : formatted.message;
      return { ...formatted, message, extensions: { ...extensions, code } };
    }
    log(error);
    return {
      message: 'Something went wrong on our side; the error has been logged',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
