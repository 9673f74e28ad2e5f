import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import type { DeclineReason, OutcomeCode, ReferralCommand } from '@koppelstuk/domain';
import { appError, Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { ReferralReader } from '../read-referral/referral-reader';
import { ActOnReferral } from './act-on-referral';
import { envelopeFor, type MutationInput } from './envelope';
import { inInputTerms } from './input-fields';

interface ReferralInput extends MutationInput {
  readonly referralId: string;
}

type CommandFields<T> = T extends ReferralCommand ? Omit<T, 'actor' | 'at'> : never;

/** The referral steps after it was made; who may take each step is the decider's business. */
@Resolver()
export class ReferralActionsResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: ReferralReader,
  ) {}

  @Mutation('acceptReferral')
  accept(@Args('input') input: ReferralInput, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'AcceptReferral' });
  }

  @Mutation('declineReferral')
  decline(@Args('input') input: ReferralInput & { reason: DeclineReason; explanation?: string | null }, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'DeclineReferral', reason: input.reason, text: input.explanation ?? null });
  }

  @Mutation('requestInformation')
  requestInformation(@Args('input') input: ReferralInput & { question: string }, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'RequestInformation', question: input.question });
  }

  @Mutation('provideInformation')
  provideInformation(@Args('input') input: ReferralInput & { answer: string }, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'ProvideInformation', answer: input.answer });
  }

  @Mutation('startWork')
  startWork(@Args('input') input: ReferralInput, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'StartWork' });
  }

  @Mutation('withdrawReferral')
  withdraw(@Args('input') input: ReferralInput & { reason: string }, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'WithdrawReferral', reason: input.reason });
  }

  @Mutation('recordOutcome')
  recordOutcome(
    @Args('input')
    input: ReferralInput & {
      code: OutcomeCode;
      amountCents?: number | null;
      occurredAt?: string | null;
      jobsRetained?: number | null;
      jobsCreated?: number | null;
      note?: string | null;
    },
    @Ctx() context: RequestContext,
  ) {
    // A retried recordOutcome must name the same outcome, so its id follows from the idempotency key.
    const outcomeId = input.clientMutationId
      ? uuidv5(`${context.principal.organisationId}/${context.principal.userId}/${input.clientMutationId}/outcome`, OUTCOME_NAMESPACE)
      : uuidv4();
    return this.act(input, context, {
      type: 'RecordOutcome',
      outcomeId,
      code: input.code,
      amountCents: input.amountCents ?? null,
      // Taken before the command's own time, so a default never lies after the recording.
      occurredAt: input.occurredAt ?? new Date().toISOString(),
      jobsRetained: input.jobsRetained ?? null,
      jobsCreated: input.jobsCreated ?? null,
      note: input.note ?? null,
    });
  }

  @Mutation('closeReferral')
  close(@Args('input') input: ReferralInput, @Ctx() context: RequestContext) {
    return this.act(input, context, { type: 'CloseReferral' });
  }

  private async act(input: ReferralInput, context: RequestContext, fields: CommandFields<ReferralCommand>) {
    const command = { ...fields, actor: context.principal, at: new Date().toISOString() } as ReferralCommand;
    await inInputTerms(command.type, () => this.commands.execute(new ActOnReferral(input.referralId, command, envelopeFor(context, input, command.type))));
    const referral = await this.reader.load(input.referralId, context.principal);
    if (!referral) throw appError('NOT_FOUND', 'No referral with this id exists, or it is not visible to you');
    return { clientMutationId: input.clientMutationId ?? null, referral };
  }
}

const OUTCOME_NAMESPACE = '0c1c5c3e-2b9a-4f39-8f62-4a6f3f1d7e21';
