import { GraphQLError } from 'graphql';
import { appError, formatErrorFor } from './errors';

describe('what clients see of errors', () => {
  const logged: unknown[] = [];
  const production = formatErrorFor(true, (error) => logged.push(error));
  const development = formatErrorFor(false, () => undefined);

  it('keeps typed errors with their stable code, without stack traces', () => {
    const error = appError('NOT_FOUND', 'No referral with this id exists, or it is not visible to you');
    const shown = production({ message: error.message, extensions: { code: 'NOT_FOUND', stacktrace: ['at x'] } }, error);
    expect(shown).toEqual({ message: error.message, extensions: { code: 'NOT_FOUND' } });
  });

  it('hides anything unexpected behind a generic message, and logs it', () => {
    const failure = new Error('connect ECONNREFUSED 10.0.0.7:5432');
    const shown = production({ message: failure.message, path: ['inbox'] }, failure);
    expect(shown).toEqual({ message: 'Something went wrong on our side; the error has been logged', path: ['inbox'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toContain(failure);
  });

  it('removes field suggestions in production, so the schema cannot be probed through errors', () => {
    const message = 'Cannot query field "inboks" on type "Query". Did you mean "inbox"?';
    const error = new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(production({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error).message).toBe('Cannot query field "inboks" on type "Query".');
    expect(development({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error).message).toBe(message);
  });
});
