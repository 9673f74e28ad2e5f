import { Args, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { hasRole, type Role } from '@koppelstuk/domain';
import { isSealed, PersonalDataCipher, AccessRecorder } from '@koppelstuk/personal-data';
import { appError, Ctx, ProjectionRunners, type RequestContext } from '@koppelstuk/service-kit';
import { ReferralPages, type InboxReferral, type Page, type ReferralFilter } from './referral-page';

const overseer = (roles: readonly Role[]) => roles.includes('auditor') || roles.includes('admin');

@Resolver('Query')
export class InboxQueriesResolver {
  constructor(
    private readonly pages: ReferralPages,
    private readonly runners: ProjectionRunners,
  ) {}

  @Query('inbox')
  inbox(
    @Args('filter') filter: ReferralFilter | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('partnerId') partnerId: string | null,
    @Ctx() { principal }: RequestContext,
  ) {
    if (hasRole(principal, 'partner_agent')) return this.pages.page(principal, { column: 'partner_id', organisationId: principal.organisationId }, filter, first, after, 'inbox');
    if (overseer(principal.roles)) return this.pages.page(principal, { column: 'partner_id', organisationId: partnerId ?? null }, filter, first, after, 'inbox');
    throw appError('FORBIDDEN', 'The inbox is for partner agents; city officers use cityReferrals');
  }

  @Query('cityReferrals')
  cityReferrals(
    @Args('filter') filter: ReferralFilter | null,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Args('cityId') cityId: string | null,
    @Ctx() { principal }: RequestContext,
  ) {
    if (hasRole(principal, 'city_officer')) return this.pages.page(principal, { column: 'city_id', organisationId: principal.organisationId }, filter, first, after, 'city_tracker');
    if (overseer(principal.roles)) return this.pages.page(principal, { column: 'city_id', organisationId: cityId ?? null }, filter, first, after, 'city_tracker');
    throw appError('FORBIDDEN', "The referral tracker is for city officers; partners use their inbox");
  }

  @Query('inboxProjection')
  inboxProjection(@Ctx() { principal }: RequestContext) {
    if (!hasRole(principal, 'admin')) throw appError('FORBIDDEN', 'Projection status is for administrators');
    return this.runners.report('inbox');
  }
}

@Resolver('Referral')
export class InboxReferralResolver {
  constructor(
    private readonly pages: ReferralPages,
    private readonly cipher: PersonalDataCipher,
    private readonly recorder: AccessRecorder,
  ) {}

  @ResolveReference()
  // Entity lookups get Apollo's (reference, context) as they are: Nest's parameter decorators would
  // read the wrong argument here, so the context is taken undecorated.
  reference(reference: { id: string }, context: RequestContext): Promise<InboxReferral | null> {
    return this.pages.one(context.principal, reference.id, 'referral_detail');
  }

  @ResolveField('id') id(@Parent() r: InboxReferral) {
    return r.row.referralId;
  }
  @ResolveField('status') status(@Parent() r: InboxReferral) {
    return r.row.status;
  }
  @ResolveField('city') city(@Parent() r: InboxReferral) {
    return { __typename: 'Organisation', id: r.row.cityId };
  }
  @ResolveField('partner') partner(@Parent() r: InboxReferral) {
    return { __typename: 'Organisation', id: r.row.partnerId };
  }
  @ResolveField('partnerKind') partnerKind(@Parent() r: InboxReferral) {
    return r.row.partnerKind;
  }
  @ResolveField('needCategory') needCategory(@Parent() r: InboxReferral) {
    return r.row.needCategory;
  }
  @ResolveField('entrepreneur') entrepreneur(@Parent() r: InboxReferral) {
    return { kvkNumber: r.row.kvkNumber, businessName: r.row.businessName, sbiCode: r.row.sbiCode, sizeClass: r.row.sizeClass };
  }
  @ResolveField('personalData') personalData(@Parent() r: InboxReferral) {
    return r.personalData();
  }
  @ResolveField('sentAt') sentAt(@Parent() r: InboxReferral) {
    return r.row.sentAt;
  }
  @ResolveField('journeyRootId') journeyRootId(@Parent() r: InboxReferral) {
    return r.row.journeyRootId;
  }
  @ResolveField('slaDueAt') slaDueAt(@Parent() r: InboxReferral) {
    return r.row.slaDueAt;
  }
  @ResolveField('overdue') overdue(@Parent() r: InboxReferral) {
    return r.row.overdueFlag && r.row.firstResponseAt === null && r.row.status === 'sent';
  }
  @ResolveField('lastActivityAt') lastActivityAt(@Parent() r: InboxReferral) {
    return r.row.lastActivityAt;
  }

  @ResolveField('journey')
  async journey(@Parent() r: InboxReferral, @Ctx() { principal }: RequestContext) {
    const steps = await this.pages.journey(principal, r.row.journeyRootId);
    return steps.map((row) => ({ referralId: row.referralId, partner: { __typename: 'Organisation', id: row.partnerId }, status: row.status, sentAt: row.sentAt }));
  }

  @ResolveField('contact')
  async contact(@Parent() r: InboxReferral, @Ctx() context: RequestContext) {
    const personal = await this.reveal(r, ['contactName', 'contactEmail', 'contactPhone'], context);
    return personal ? { name: personal['contactName'], email: personal['contactEmail'], phone: personal['contactPhone'] } : null;
  }

  @ResolveField('needDescription')
  async needDescription(@Parent() r: InboxReferral, @Ctx() context: RequestContext) {
    return (await this.reveal(r, ['needDescription'], context))?.['needDescription'] ?? null;
  }

  /** Decrypts for readers the policy allows; every such read is on record before the data is returned. */
  private async reveal(r: InboxReferral, fields: string[], context: RequestContext): Promise<Record<string, unknown> | null> {
    if ((await r.personalData()) !== 'visible' || !isSealed(r.row.personal)) return null;
    const opened = await this.cipher.open<Record<string, unknown>>(r.row.personal);
    if (opened.erased) return null;
    await this.recorder.record({
      userId: context.principal.userId,
      organisationId: context.principal.organisationId,
      roles: context.principal.roles,
      subjectId: r.row.subjectId,
      referralId: r.row.referralId,
      fields,
      purpose: r.purpose,
      service: 'inbox',
      correlationId: context.correlationId,
    });
    return opened.value;
  }
}

@Resolver('ReferralConnection')
export class ReferralConnectionResolver {
  @ResolveField('totalCount')
  totalCount(@Parent() page: Page) {
    return page.totalCount();
  }
}

@Resolver('Organisation')
export class InboxOrganisationResolver {
  constructor(private readonly pages: ReferralPages) {}

  @ResolveReference()
  reference(reference: { id: string }) {
    return { id: reference.id };
  }

  @ResolveField('referralWorkload')
  async referralWorkload(@Parent() organisation: { id: string }, @Ctx() { principal }: RequestContext) {
    if (principal.organisationId !== organisation.id && !overseer(principal.roles)) return null;
    const [asPartner, asCity] = await Promise.all([this.pages.workload('partner_id', organisation.id), this.pages.workload('city_id', organisation.id)]);
    // An organisation is either a city or a partner, so one of the two is all zeros.
    return {
      open: asPartner.open + asCity.open,
      overdue: asPartner.overdue + asCity.overdue,
      awaitingInformation: asPartner.awaitingInformation + asCity.awaitingInformation,
    };
  }
}
