import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { appError, Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { envelopeFor, type MutationInput } from '../act-on-referral/envelope';
import { inInputTerms } from '../act-on-referral/input-fields';
import { ReferralReader } from '../read-referral/referral-reader';
import { ForwardReferral } from './forward-referral';

@Resolver()
export class ForwardReferralResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: ReferralReader,
  ) {}

  @Mutation('forwardReferral')
  async forward(
    @Args('input') input: MutationInput & { referralId: string; toPartnerId: string; toServiceId: string; reason?: string | null },
    @Ctx() context: RequestContext,
  ) {
    const { toReferralId } = await inInputTerms('ForwardReferral', () =>
      this.commands.execute<ForwardReferral, { toReferralId: string }>(
        new ForwardReferral(
          input.referralId,
          { toPartnerId: input.toPartnerId, toServiceId: input.toServiceId, reason: input.reason ?? null },
          envelopeFor(context, input, 'ForwardReferral'),
        ),
      ),
    );
    const referral = await this.reader.load(input.referralId, context.principal);
    if (!referral) throw appError('NOT_FOUND', 'No referral with this id exists, or it is not visible to you');
    return { clientMutationId: input.clientMutationId ?? null, referral, forwardedToReferralId: toReferralId };
  }
}
