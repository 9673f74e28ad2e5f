import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

/**
 * Typed GraphQL errors (BAD_USER_INPUT, NOT_FOUND, …) are answers, not failures: hand them to Apollo as
 * they are instead of letting Nest log each one as an exception with a stack trace.
 */
@Catch(GraphQLError)
export class GraphQLErrorPassthroughFilter implements GqlExceptionFilter {
  catch(exception: GraphQLError): GraphQLError {
    return exception;
  }
}
