import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import {
  accept,
  decideReferral,
  decideSubject,
  evolveSubject,
  type ConsentFacts,
  type Entrepreneur,
  type GiveConsent,
  type MakeReferral as MakeReferralCommand,
  type NeedCategory,
  type Subject,
  type SubjectEvent,
} from '@koppelstuk/domain';
import type { EventStore } from '@koppelstuk/event-store';
import { PersonalDataCipher } from '@koppelstuk/personal-data';
import { EVENT_STORE, executeOnStream, fromDomainError, loadStream, type CommandEnvelope } from '@koppelstuk/service-kit';
import { directoryFacts } from '../streams/directory-facts';
import { referralModel } from '../streams/referral-model';
import { subjectModel } from '../streams/subject-model';

const DERIVED_IDS = '7d0f3b8e-9c61-4b8f-a4a2-1e5f7c9d2b44';

export interface MakeReferralInput {
  readonly clientMutationId?: string | null;
  readonly referralId?: string | null;
  readonly subjectId?: string | null;
  readonly cityId: string;
  readonly partnerId: string;
  readonly serviceId: string;
  readonly needCategory: NeedCategory;
  readonly needDescription: string;
  readonly entrepreneur: { kvkNumber: string; businessName: string; sbiCode?: string | null; sizeClass: Entrepreneur['sizeClass'] };
  readonly contact: { name: string; email?: string | null; phone?: string | null };
  readonly consent: { givenBy: string; givenAt: string; purpose: string; expiresAt: string; anonymousStatistics: boolean };
}

export class MakeReferral {
  constructor(
    readonly input: MakeReferralInput,
    readonly envelope: CommandEnvelope,
  ) {}
}

/**
 * Records the entrepreneur's consent in the person's stream, then the referral in its own stream. Both
 * decisions are taken before anything is written, so a refused referral leaves no consent behind; ids are
 * derived from the idempotency key, so a retry finds both appends already done.
 */
@CommandHandler(MakeReferral)
export class MakeReferralHandler implements ICommandHandler<MakeReferral, { referralId: string }> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async execute({ input, envelope }: MakeReferral): Promise<{ referralId: string }> {
    const derive = (what: string) =>
      envelope.idempotencyKey ? uuidv5(`${envelope.actor.organisationId}/${envelope.actor.userId}/${envelope.idempotencyKey}/${what}`, DERIVED_IDS) : uuidv4();
    const referralId = input.referralId ?? derive('referral');
    const subjectId = input.subjectId ?? derive('subject');
    const at = new Date().toISOString();
    const giveConsent: GiveConsent = {
      type: 'GiveConsent',
      actor: envelope.actor,
      at,
      subjectId,
      consentId: derive('consent'),
      cityId: input.cityId,
      partnerId: input.partnerId,
      purpose: input.consent.purpose,
      givenBy: input.consent.givenBy,
      givenAt: input.consent.givenAt,
      expiresAt: input.consent.expiresAt,
      anonymousStatistics: input.consent.anonymousStatistics,
    };
    const subjectStream = subjectModel(subjectId, this.cipher);
    const referralStream = referralModel(referralId, this.cipher);
    const [subject, referral, directory] = await Promise.all([
      loadStream(this.store, subjectStream),
      loadStream(this.store, referralStream),
      directoryFacts(this.store, input.cityId, input.partnerId, input.serviceId),
    ]);

    const makeReferral = (consent: ConsentFacts | null): MakeReferralCommand => ({
      type: 'MakeReferral',
      actor: envelope.actor,
      at,
      referralId,
      cityId: input.cityId,
      partnerId: input.partnerId,
      serviceId: input.serviceId,
      needCategory: input.needCategory,
      entrepreneur: {
        kvkNumber: input.entrepreneur.kvkNumber,
        businessName: input.entrepreneur.businessName,
        sbiCode: input.entrepreneur.sbiCode ?? null,
        sizeClass: input.entrepreneur.sizeClass,
      },
      personal: {
        contactName: input.contact.name,
        contactEmail: input.contact.email ?? null,
        contactPhone: input.contact.phone ?? null,
        needDescription: input.needDescription,
      },
      consent,
      directory,
    });

    // A retry of this very command (same caller, same key; the scope the stream executor records) finds its
    // earlier appends: only those may skip the decisions below. Any other command must pass them first.
    const scope = envelope.idempotencyKey === null ? null : `${envelope.actor.organisationId}/${envelope.actor.userId}/${envelope.idempotencyKey}`;
    const doneBefore = (events: typeof referral.events) => scope !== null && events.some((e) => e.metadata['idempotencyKey'] === scope);
    const alreadyMade = doneBefore(referral.events);
    if (!alreadyMade) {
      // Decide both before writing either.
      const consentDecision = doneBefore(subject.events) ? accept<SubjectEvent>() : decideSubject(subject.state, giveConsent);
      if (!consentDecision.ok) throw fromDomainError(consentDecision.error);
      const prospective = consentDecision.events.reduce(evolveSubject, subject.state) as Subject;
      const referralDecision = decideReferral(referral.state, makeReferral(consentFacts(prospective, giveConsent.consentId)));
      if (!referralDecision.ok) throw fromDomainError(referralDecision.error);
    }

    const recorded = await executeOnStream(
      this.store,
      subjectStream,
      { ...envelope, expectedVersion: null, commandType: 'GiveConsent' },
      (state) => decideSubject(state, giveConsent),
      subject,
    );
    const consent = consentFacts(recorded.state as Subject, giveConsent.consentId);
    await executeOnStream(this.store, referralStream, envelope, (state) => decideReferral(state, makeReferral(consent)), referral);
    return { referralId };
  }
}

function consentFacts(subject: Subject, consentId: string): ConsentFacts | null {
  const consent = subject.consents.find((c) => c.consentId === consentId);
  if (!consent) return null;
  return {
    consentId,
    subjectId: subject.subjectId,
    partnerId: consent.partnerId,
    purpose: consent.purpose,
    expiresAt: consent.expiresAt,
    anonymousStatistics: consent.anonymousStatistics,
    withdrawn: consent.withdrawnAt !== null,
    subjectErased: subject.erasedAt !== null,
  };
}
