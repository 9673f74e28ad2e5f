import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { hasRole, isConsentValid, isUuid, type Consent, type Subject, type SubjectCommand } from '@koppelstuk/domain';
import { Ctx, type RequestContext } from '@koppelstuk/service-kit';
import { envelopeFor } from '../act-on-referral/envelope';
import { ReferralReader } from '../read-referral/referral-reader';
import { ChangeSubject } from './subject-commands';

type SubjectFields<T> = T extends SubjectCommand ? Omit<T, 'actor' | 'at'> : never;

/** A person's consents: for officers of a city that recorded one of them, and for admins. */
@Resolver('Subject')
export class SubjectResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: ReferralReader,
  ) {}

  @Query('subject')
  async subject(@Args('id') id: string, @Ctx() context: RequestContext): Promise<Subject | null> {
    if (!isUuid(id)) return null;
    const subject = await this.reader.loadSubject(id);
    const { principal } = context;
    const allowed = hasRole(principal, 'admin') || (hasRole(principal, 'city_officer') && subject?.consents.some((c) => c.cityId === principal.organisationId));
    return subject && allowed ? subject : null;
  }

  @Mutation('giveConsent')
  giveConsent(
    @Args('input')
    input: { clientMutationId?: string | null; subjectId: string; cityId: string; partnerId: string; givenBy: string; givenAt: string; purpose: string; expiresAt: string; anonymousStatistics: boolean },
    @Ctx() context: RequestContext,
  ) {
    const { clientMutationId: _key, ...fields } = input;
    return this.change(input, context, { type: 'GiveConsent', consentId: crypto.randomUUID(), ...fields });
  }

  @Mutation('withdrawConsent')
  withdrawConsent(@Args('input') input: { clientMutationId?: string | null; subjectId: string; consentId: string }, @Ctx() context: RequestContext) {
    return this.change(input, context, { type: 'WithdrawConsent', subjectId: input.subjectId, consentId: input.consentId });
  }

  @Mutation('eraseSubject')
  async eraseSubject(
    @Args('input') input: { clientMutationId?: string | null; subjectId: string; reason: 'consent_withdrawn' | 'erasure_request' },
    @Ctx() context: RequestContext,
  ) {
    const subject = await this.change(input, context, { type: 'EraseSubject', subjectId: input.subjectId, reason: input.reason });
    return { clientMutationId: input.clientMutationId ?? null, subject };
  }

  @ResolveField('id') id(@Parent() subject: Subject) {
    return subject.subjectId;
  }
  @ResolveField('erased') erased(@Parent() subject: Subject) {
    return subject.erasedAt !== null;
  }
  @ResolveField('consents') consents(@Parent() subject: Subject) {
    const now = new Date().toISOString();
    return subject.consents.map((consent: Consent) => ({
      id: consent.consentId,
      partner: { __typename: 'Organisation', id: consent.partnerId },
      city: { __typename: 'Organisation', id: consent.cityId },
      purpose: consent.purpose,
      givenAt: consent.givenAt,
      expiresAt: consent.expiresAt,
      anonymousStatistics: consent.anonymousStatistics,
      withdrawnAt: consent.withdrawnAt,
      valid: isConsentValid(subject, consent.consentId, now),
    }));
  }

  private change(input: { clientMutationId?: string | null }, context: RequestContext, fields: SubjectFields<SubjectCommand>): Promise<Subject> {
    const command = { ...fields, actor: context.principal, at: new Date().toISOString() } as SubjectCommand;
    return this.commands.execute(new ChangeSubject(command, envelopeFor(context, input, command.type)));
  }
}
