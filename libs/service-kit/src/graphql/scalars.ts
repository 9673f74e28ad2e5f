import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('A DateTime is an ISO 8601 instant such as 2026-03-01T09:30:00Z', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return new Date(value).toISOString();
}

/** ISO 8601 instants, always answered in UTC with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 instant, e.g. 2026-03-01T09:30:00.000Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parse(value)),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('A DateTime is written as a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});

/** Calendar dates (YYYY-MM-DD), e.g. for "as filed on" reports. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, e.g. 2026-03-31',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new GraphQLError('A Date is written as YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !/^\d{4}-\d{2}-\d{2}$/.test(ast.value)) {
      throw new GraphQLError('A Date is written as YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return ast.value;
  },
});

/** Whole euro cents, 0 … 2^53: money never travels as a float. */
export const CentsScalar = new GraphQLScalarType({
  name: 'Cents',
  description: 'A whole number of euro cents',
  serialize: (value) => Number(value),
  parseValue: (value) => parseCents(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Cents are a whole number', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseCents(Number(ast.value));
  },
});

function parseCents(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GraphQLError('Cents are a whole, non-negative number', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}
