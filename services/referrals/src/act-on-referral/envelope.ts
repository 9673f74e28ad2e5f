import type { CommandEnvelope, RequestContext } from '@koppelstuk/service-kit';

export interface MutationInput {
  readonly clientMutationId?: string | null;
  readonly expectedVersion?: number | null;
}

export function envelopeFor(context: RequestContext, input: MutationInput, commandType: string): CommandEnvelope {
  return {
    actor: context.principal,
    correlationId: context.correlationId,
    idempotencyKey: input.clientMutationId ?? null,
    expectedVersion: input.expectedVersion ?? null,
    commandType,
  };
}
