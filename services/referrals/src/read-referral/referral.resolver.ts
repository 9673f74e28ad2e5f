import { Args, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { OutcomeRecorded, ReferralMade } from '@koppelstuk/domain';
import { Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { ReferralReader, type ReferralView } from './referral-reader';

const typeOf = (view: ReferralView, type: string) => view.events.filter((event) => event.type === type);

/** Reads of a referral come straight from its stream: always current, never a projection's lag. */
@Resolver('Referral')
export class ReferralResolver {
  constructor(private readonly reader: ReferralReader) {}

  @Query('referral')
  referral(@Args('id') id: string, @Ctx() context: RequestContext): Promise<ReferralView | null> {
    return this.reader.load(id, context.principal);
  }

  @ResolveReference()
  // Entity lookups get Apollo's (reference, context) as they are: Nest's parameter decorators would
  // read the wrong argument here, so the context is taken undecorated.
  reference(reference: { id: string }, context: RequestContext): Promise<ReferralView | null> {
    return this.reader.load(reference.id, context.principal);
  }

  @ResolveField('id') id(@Parent() view: ReferralView) {
    return view.referral.referralId;
  }
  @ResolveField('version') version(@Parent() view: ReferralView) {
    return view.version;
  }
  @ResolveField('status') status(@Parent() view: ReferralView) {
    return view.referral.status;
  }
  @ResolveField('city') city(@Parent() view: ReferralView) {
    return { __typename: 'Organisation', id: view.referral.cityId };
  }
  @ResolveField('partner') partner(@Parent() view: ReferralView) {
    return { __typename: 'Organisation', id: view.referral.partnerId };
  }
  @ResolveField('partnerKind') partnerKind(@Parent() view: ReferralView) {
    return view.referral.partnerKind;
  }
  @ResolveField('service') service(@Parent() view: ReferralView) {
    return { __typename: 'Service', id: view.referral.serviceId };
  }
  @ResolveField('needCategory') needCategory(@Parent() view: ReferralView) {
    return view.referral.needCategory;
  }
  @ResolveField('entrepreneur') entrepreneur(@Parent() view: ReferralView) {
    return view.referral.entrepreneur;
  }
  @ResolveField('personalData') personalData(@Parent() view: ReferralView) {
    return view.personalData;
  }
  @ResolveField('sentAt') sentAt(@Parent() view: ReferralView) {
    return view.referral.sentAt;
  }
  @ResolveField('journeyRootId') journeyRootId(@Parent() view: ReferralView) {
    return view.referral.journeyRootId;
  }
  @ResolveField('consent') consent(@Parent() view: ReferralView) {
    return { ...view.referral.consent, subjectId: view.referral.subjectId };
  }

  @ResolveField('contact')
  async contact(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    const made = view.events[0] as (typeof view.events)[number];
    const personal = (await this.reader.reveal(view, made.id, ['contactName', 'contactEmail', 'contactPhone'], context)) as ReferralMade['data']['personal'] | null;
    return personal ? { name: personal.contactName, email: personal.contactEmail, phone: personal.contactPhone } : null;
  }

  @ResolveField('needDescription')
  async needDescription(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    const made = view.events[0] as (typeof view.events)[number];
    const personal = (await this.reader.reveal(view, made.id, ['needDescription'], context)) as ReferralMade['data']['personal'] | null;
    return personal?.needDescription ?? null;
  }

  @ResolveField('forwardedFrom')
  forwardedFrom(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    const from = view.referral.forwardedFromReferralId;
    return from ? this.reader.load(from, context.principal) : null;
  }

  @ResolveField('forwardedTo')
  forwardedTo(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    const to = view.referral.forwardedToReferralId;
    return to ? this.reader.load(to, context.principal) : null;
  }

  @ResolveField('declineReason')
  declineReason(@Parent() view: ReferralView) {
    const declined = typeOf(view, 'ReferralDeclined')[0];
    return declined ? declined.data['reason'] : null;
  }

  @ResolveField('informationExchanges')
  async informationExchanges(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    const exchanges: { requestedAt: string; question: string | null; providedAt: string | null; answer: string | null }[] = [];
    for (const event of view.events) {
      if (event.type === 'InformationRequested') {
        const text = await this.reader.reveal(view, event.id, ['informationQuestion'], context);
        exchanges.push({ requestedAt: event.data['requestedAt'] as string, question: (text?.['text'] as string) ?? null, providedAt: null, answer: null });
      } else if (event.type === 'InformationProvided') {
        const last = exchanges[exchanges.length - 1];
        const text = await this.reader.reveal(view, event.id, ['informationAnswer'], context);
        if (last) Object.assign(last, { providedAt: event.data['providedAt'] as string, answer: (text?.['text'] as string) ?? null });
      }
    }
    return exchanges;
  }

  @ResolveField('outcomes')
  async outcomes(@Parent() view: ReferralView, @Ctx() context: RequestContext) {
    return Promise.all(
      typeOf(view, 'OutcomeRecorded').map(async (event) => {
        const data = event.data as unknown as OutcomeRecorded['data'];
        const note = data.personal ? await this.reader.reveal(view, event.id, ['outcomeNote'], context) : null;
        return {
          id: data.outcomeId,
          code: data.code,
          amountCents: data.amountCents,
          occurredAt: data.occurredAt,
          recordedAt: data.recordedAt,
          jobsRetained: data.jobsRetained,
          jobsCreated: data.jobsCreated,
          note: (note?.['text'] as string) ?? null,
        };
      }),
    );
  }
}
