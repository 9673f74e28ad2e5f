import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthenticationError, type Principal, type TokenVerifier } from '@koppelstuk/auth';
import { correlationIdOf } from '../logging/logging.module';
import { appError } from './errors';

/** What every resolver knows about the request: who asks (verified here, never taken from the gateway on trust). */
export interface RequestContext {
  readonly principal: Principal;
  readonly correlationId: string;
}

export async function createRequestContext(request: IncomingMessage & { id?: string }, verifier: TokenVerifier): Promise<RequestContext> {
  try {
    const principal = await verifier.verify(request.headers.authorization);
    return { principal, correlationId: request.id ?? correlationIdOf(request) };
  } catch (error) {
    if (error instanceof AuthenticationError) throw appError('UNAUTHENTICATED', error.message);
    throw error;
  }
}

/** `@Ctx() context: RequestContext` in a resolver. */
export const Ctx = createParamDecorator((_data: unknown, execution: ExecutionContext): RequestContext => {
  return GqlExecutionContext.create(execution).getContext<RequestContext>();
});
