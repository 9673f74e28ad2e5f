import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { appError, Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { envelopeFor } from '../act-on-referral/envelope';
import { inInputTerms } from '../act-on-referral/input-fields';
import { OpenReferrals } from '../process/open-referrals';
import { ReferralReader } from '../read-referral/referral-reader';
import { MakeReferral, type MakeReferralInput } from './make-referral';

@Resolver()
export class MakeReferralResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: ReferralReader,
    private readonly openReferrals: OpenReferrals,
  ) {}

  @Mutation('makeReferral')
  async makeReferral(@Args('input') input: MakeReferralInput, @Ctx() context: RequestContext) {
    const { referralId } = await inInputTerms('MakeReferral', () =>
      this.commands.execute<MakeReferral, { referralId: string }>(
        new MakeReferral(input, envelopeFor(context, { clientMutationId: input.clientMutationId ?? null }, 'MakeReferral')),
      ),
    );
    const referral = await this.reader.load(referralId, context.principal);
    if (!referral) throw appError('NOT_FOUND', 'The referral was made but is not visible to you');
    const others = await this.openReferrals.sameCompany(input.cityId, input.entrepreneur.kvkNumber, referralId);
    const warnings = others.length
      ? [
          {
            code: 'DUPLICATE_OPEN_REFERRALS',
            message: `KvK ${input.entrepreneur.kvkNumber} already has ${others.length} open referral(s) in this city`,
            referralIds: others,
          },
        ]
      : [];
    return { clientMutationId: input.clientMutationId ?? null, referral, warnings };
  }
}
