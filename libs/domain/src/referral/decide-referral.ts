import { hasRole, SYSTEM_ACTOR, type CommandActor } from '../shared/actor';
import { accept, refuse, unreachable, type Decision } from '../shared/result';
import {
  isBlank,
  isEmail,
  instantMs,
  isIsoInstant,
  isKvkNumber,
  isPhone,
  isSbiCode,
  isUuid,
  MAX_TEXT_LENGTH,
} from '../shared/validation';
import {
  DECLINE_REASONS,
  NEED_CATEGORIES,
  OUTCOME_CODES,
  OUTCOMES_WITH_AMOUNT,
  SIZE_CLASSES,
  type ReferralStatus,
} from '../shared/vocabulary';
import { slaDueAt } from '../shared/working-days';
import type {
  ConsentFacts,
  DirectoryFacts,
  ForwardReferral,
  MakeReferral,
  RecordOutcome,
  ReferralCommand,
} from './referral-commands';
import type { FreeText, ReferralEvent, ReferralMade, ReferralPersonalData } from './referral-events';
import type { Referral, ReferralState } from './referral-state';

type Refusal = { ok: false; error: { code: 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_TRANSITION'; message: string } };

const NOT_FOUND_MESSAGE = 'No referral with this id exists, or it is not visible to you';
const MAX_AMOUNT_CENTS = 100_000_000_000; // €1 billion: anything above is a typing error
const MAX_JOBS = 100_000;

/**
 * Decides what a command on a referral means: the events to append, or why it is refused.
 * Tenancy is part of the decision: whoever may not see a referral gets the same NOT_FOUND answer as for an
 * id that does not exist, so a refusal never reveals that another organisation's referral exists.
 */
export function decideReferral(state: ReferralState, command: ReferralCommand): Decision<ReferralEvent> {
  if (!isIsoInstant(command.at)) return refuse('BAD_USER_INPUT', 'The command time must be an ISO instant', 'at');
  if (command.type === 'MakeReferral') return makeReferral(state, command);
  if (state === null) return refuse('NOT_FOUND', NOT_FOUND_MESSAGE);
  if (command.type === 'MarkOverdue') return markOverdue(state, command.actor, command.at);

  const side = command.type === 'ProvideInformation' || command.type === 'WithdrawReferral' ? 'city' : 'partner';
  const denied = authorise(state, command.actor, side);
  if (denied) return denied;

  const { referralId } = state;
  const at = command.at;
  switch (command.type) {
    case 'AcceptReferral':
      return (
        transition(state, ['sent'], 'accept') ?? accept({ type: 'ReferralAccepted', data: { referralId, acceptedAt: at } })
      );
    case 'DeclineReferral': {
      const refused = transition(state, ['sent'], 'decline');
      if (refused) return refused;
      if (!DECLINE_REASONS.includes(command.reason)) return refuse('BAD_USER_INPUT', `Unknown decline reason "${command.reason}"`, 'reason');
      if (command.reason === 'other' && isBlank(command.text)) {
        return refuse('BAD_USER_INPUT', 'A decline with reason "other" needs an explanation', 'text');
      }
      const text = optionalText(command.text, 'text');
      if (text === 'invalid') return tooLong('text');
      return accept({ type: 'ReferralDeclined', data: { referralId, reason: command.reason, declinedAt: at, personal: text } });
    }
    case 'RequestInformation': {
      const refused = transition(state, ['sent', 'accepted'], 'ask for information on');
      if (refused) return refused;
      const question = requiredText(command.question, 'question', 'Say what information is needed');
      if ('ok' in question) return question;
      return accept({ type: 'InformationRequested', data: { referralId, requestedAt: at, personal: question } });
    }
    case 'ProvideInformation': {
      const refused = transition(state, ['on_hold'], 'provide information for');
      if (refused) return refused;
      const answer = requiredText(command.answer, 'answer', 'The answer cannot be empty');
      if ('ok' in answer) return answer;
      return accept({ type: 'InformationProvided', data: { referralId, providedAt: at, personal: answer } });
    }
    case 'StartWork':
      return transition(state, ['accepted'], 'start work on') ?? accept({ type: 'WorkStarted', data: { referralId, startedAt: at } });
    case 'ForwardReferral':
      return forward(state, command);
    case 'WithdrawReferral': {
      const refused = transition(state, ['sent', 'accepted', 'in_progress', 'on_hold'], 'withdraw');
      if (refused) return refused;
      const reason = requiredText(command.reason, 'reason', 'Say why the referral is withdrawn');
      if ('ok' in reason) return reason;
      return accept({ type: 'ReferralWithdrawn', data: { referralId, withdrawnAt: at, personal: reason } });
    }
    case 'RecordOutcome':
      return recordOutcome(state, command);
    case 'CloseReferral': {
      const refused = transition(state, ['accepted', 'in_progress'], 'close');
      if (refused) return refused;
      if (state.outcomes.length === 0) return refuse('INVALID_TRANSITION', 'Record an outcome before closing the referral');
      return accept({ type: 'ReferralClosed', data: { referralId, closedAt: at } });
    }
    default:
      return unreachable(command);
  }
}

/** Who may see a referral: its city's officers, its partner's agents, auditors and admins. */
export function canSeeReferral(actor: CommandActor, referral: Pick<Referral, 'cityId' | 'partnerId'>): boolean {
  return (
    (hasRole(actor, 'city_officer') && actor.organisationId === referral.cityId) ||
    (hasRole(actor, 'partner_agent') && actor.organisationId === referral.partnerId) ||
    hasRole(actor, 'auditor') ||
    hasRole(actor, 'admin')
  );
}

function authorise(state: Referral, actor: CommandActor, side: 'city' | 'partner'): Refusal | null {
  if (!canSeeReferral(actor, state)) return refuse('NOT_FOUND', NOT_FOUND_MESSAGE);
  const allowed =
    side === 'city'
      ? hasRole(actor, 'city_officer') && actor.organisationId === state.cityId
      : hasRole(actor, 'partner_agent') && actor.organisationId === state.partnerId;
  if (allowed) return null;
  return refuse(
    'FORBIDDEN',
    side === 'city'
      ? 'Only an officer of the referring city can do this'
      : 'Only an agent of the partner the referral is addressed to can do this',
  );
}

function transition(state: Referral, from: readonly ReferralStatus[], verb: string): Refusal | null {
  if (from.includes(state.status)) return null;
  return refuse('INVALID_TRANSITION', `Cannot ${verb} a referral that is ${state.status.replace('_', ' ')}`);
}

function makeReferral(state: ReferralState, command: MakeReferral): Decision<ReferralEvent> {
  const { actor } = command;
  if (!(hasRole(actor, 'city_officer') && actor.organisationId === command.cityId)) {
    return refuse('FORBIDDEN', 'Only an officer of the city can make referrals on its behalf');
  }
  if (state !== null) return refuse('INVALID_TRANSITION', 'A referral with this id has already been made');
  if (!isUuid(command.referralId)) return refuse('BAD_USER_INPUT', 'The referral id must be a UUID', 'referralId');
  if (!NEED_CATEGORIES.includes(command.needCategory)) {
    return refuse('BAD_USER_INPUT', `Unknown need category "${command.needCategory}"`, 'needCategory');
  }
  const placement = checkPlacement(command.directory, command.cityId, command.partnerId, command.serviceId, command.needCategory);
  if (placement) return placement;

  const { entrepreneur } = command;
  if (!isKvkNumber(entrepreneur.kvkNumber)) {
    return refuse('BAD_USER_INPUT', 'A KvK number has exactly 8 digits', 'entrepreneur.kvkNumber');
  }
  if (isBlank(entrepreneur.businessName) || entrepreneur.businessName.length > 200) {
    return refuse('BAD_USER_INPUT', 'The business name is required (at most 200 characters)', 'entrepreneur.businessName');
  }
  if (entrepreneur.sbiCode !== null && !isSbiCode(entrepreneur.sbiCode)) {
    return refuse('BAD_USER_INPUT', 'An SBI code has 2 to 5 digits', 'entrepreneur.sbiCode');
  }
  if (!SIZE_CLASSES.includes(entrepreneur.sizeClass)) {
    return refuse('BAD_USER_INPUT', `Unknown size class "${entrepreneur.sizeClass}"`, 'entrepreneur.sizeClass');
  }
  const personal = checkPersonalData(command.personal);
  if (personal) return personal;

  const consentProblem = checkConsent(command.consent, command.partnerId, command.at);
  if (consentProblem) return consentProblem;
  const consent = command.consent as ConsentFacts;

  const sla = (command.directory.service as NonNullable<DirectoryFacts['service']>).slaWorkingDays;
  const partnerKind = (command.directory.partner as NonNullable<DirectoryFacts['partner']>).kind;
  if (partnerKind === 'city') return refuse('BAD_USER_INPUT', 'Referrals go to partners, not to cities', 'partnerId');
  const made: ReferralMade = {
    type: 'ReferralMade',
    data: {
      referralId: command.referralId,
      journeyRootId: command.referralId,
      forwardedFromReferralId: null,
      cityId: command.cityId,
      partnerId: command.partnerId,
      partnerKind,
      serviceId: command.serviceId,
      needCategory: command.needCategory,
      entrepreneur: {
        kvkNumber: entrepreneur.kvkNumber,
        businessName: entrepreneur.businessName.trim(),
        sbiCode: entrepreneur.sbiCode,
        sizeClass: entrepreneur.sizeClass,
      },
      subjectId: consent.subjectId,
      consent: consentSnapshot(consent, consent.anonymousStatistics),
      slaWorkingDays: sla,
      slaDueAt: slaDueAt(new Date(command.at), sla).toISOString(),
      sentAt: command.at,
      personal: {
        contactName: command.personal.contactName.trim(),
        contactEmail: command.personal.contactEmail,
        contactPhone: command.personal.contactPhone,
        needDescription: command.personal.needDescription.trim(),
      },
    },
  };
  return accept(made);
}

function forward(state: Referral, command: ForwardReferral): Decision<ReferralEvent> {
  const refused = transition(state, ['sent', 'accepted', 'in_progress'], 'forward');
  if (refused) return refused;
  if (!isUuid(command.toReferralId) || command.toReferralId === state.referralId) {
    return refuse('BAD_USER_INPUT', 'The new referral id must be a new UUID', 'toReferralId');
  }
  if (command.toPartnerId === state.partnerId) {
    return refuse('BAD_USER_INPUT', 'Forward to another partner, not to your own organisation', 'toPartnerId');
  }
  const placement = checkPlacement(command.directory, state.cityId, command.toPartnerId, command.toServiceId, state.needCategory);
  if (placement) return placement;
  const consentProblem = checkConsent(command.consent, command.toPartnerId, command.at);
  if (consentProblem) return consentProblem;
  const reason = optionalText(command.reason, 'reason');
  if (reason === 'invalid') return tooLong('reason');
  return accept({
    type: 'ReferralForwarded',
    data: {
      referralId: state.referralId,
      toReferralId: command.toReferralId,
      toPartnerId: command.toPartnerId,
      toServiceId: command.toServiceId,
      forwardedAt: command.at,
      personal: reason,
    },
  });
}

/**
 * The first event of the referral a forward opens: same entrepreneur, need, city, subject and journey,
 * addressed to the new partner, under the entrepreneur's consent for that partner (checked by the
 * decision). Personal data is carried over as the handler read it from the forwarded referral.
 */
export function openForwardedReferral(
  state: Referral,
  command: ForwardReferral,
  personal: ReferralPersonalData,
): ReferralMade {
  const service = command.directory.service as NonNullable<DirectoryFacts['service']>;
  const partner = command.directory.partner as NonNullable<DirectoryFacts['partner']>;
  return {
    type: 'ReferralMade',
    data: {
      referralId: command.toReferralId,
      journeyRootId: state.journeyRootId,
      forwardedFromReferralId: state.referralId,
      cityId: state.cityId,
      partnerId: command.toPartnerId,
      partnerKind: partner.kind === 'city' ? 'other' : partner.kind,
      serviceId: command.toServiceId,
      needCategory: state.needCategory,
      entrepreneur: state.entrepreneur,
      subjectId: state.subjectId,
      consent: consentSnapshot(command.consent as ConsentFacts, state.consent.anonymousStatistics),
      slaWorkingDays: service.slaWorkingDays,
      slaDueAt: slaDueAt(new Date(command.at), service.slaWorkingDays).toISOString(),
      sentAt: command.at,
      personal,
    },
  };
}

function recordOutcome(state: Referral, command: RecordOutcome): Decision<ReferralEvent> {
  const refused = transition(state, ['accepted', 'in_progress', 'completed'], 'record an outcome for');
  if (refused) return refused;
  if (!isUuid(command.outcomeId)) return refuse('BAD_USER_INPUT', 'The outcome id must be a UUID', 'outcomeId');
  if (state.outcomes.some((outcome) => outcome.outcomeId === command.outcomeId)) {
    return refuse('INVALID_TRANSITION', 'This outcome has already been recorded');
  }
  if (!OUTCOME_CODES.includes(command.code)) return refuse('BAD_USER_INPUT', `Unknown outcome "${command.code}"`, 'code');
  const needsAmount = OUTCOMES_WITH_AMOUNT.includes(command.code);
  if (needsAmount && (command.amountCents === null || !Number.isSafeInteger(command.amountCents) || command.amountCents <= 0 || command.amountCents > MAX_AMOUNT_CENTS)) {
    return refuse('BAD_USER_INPUT', 'This outcome needs the amount in euro cents (a positive whole number)', 'amountCents');
  }
  if (!needsAmount && command.amountCents !== null) {
    return refuse('BAD_USER_INPUT', `An outcome "${command.code}" has no amount`, 'amountCents');
  }
  if (!isIsoInstant(command.occurredAt)) return refuse('BAD_USER_INPUT', 'When it happened must be an ISO instant', 'occurredAt');
  if (instantMs(command.occurredAt) > instantMs(command.at)) return refuse('BAD_USER_INPUT', 'An outcome cannot lie in the future', 'occurredAt');
  if (instantMs(command.occurredAt) < instantMs(state.sentAt)) {
    return refuse('BAD_USER_INPUT', 'An outcome cannot lie before the referral was made', 'occurredAt');
  }
  for (const field of ['jobsRetained', 'jobsCreated'] as const) {
    const value = command[field];
    if (value !== null && (!Number.isSafeInteger(value) || value < 0 || value > MAX_JOBS)) {
      return refuse('BAD_USER_INPUT', 'Job counts are whole numbers of at least 0', field);
    }
  }
  const note = optionalText(command.note, 'note');
  if (note === 'invalid') return tooLong('note');
  return accept({
    type: 'OutcomeRecorded',
    data: {
      referralId: state.referralId,
      outcomeId: command.outcomeId,
      code: command.code,
      amountCents: command.amountCents,
      occurredAt: command.occurredAt,
      recordedAt: command.at,
      jobsRetained: command.jobsRetained,
      jobsCreated: command.jobsCreated,
      personal: note,
    },
  });
}

function markOverdue(state: Referral, actor: CommandActor, at: string): Decision<ReferralEvent> {
  if (actor.userId !== SYSTEM_ACTOR.userId || actor.organisationId !== SYSTEM_ACTOR.organisationId) {
    return refuse('FORBIDDEN', 'Only the deadline watcher marks referrals overdue');
  }
  // The watcher may race with an answer: then there is simply nothing to record.
  if (state.status !== 'sent' || state.overdue || instantMs(at) < instantMs(state.slaDueAt)) return accept();
  return accept({ type: 'ReferralOverdue', data: { referralId: state.referralId, slaDueAt: state.slaDueAt, detectedAt: at } });
}

function checkPlacement(
  directory: DirectoryFacts,
  cityId: string,
  partnerId: string,
  serviceId: string,
  needCategory: string,
): Refusal | null {
  const { city, partner, service } = directory;
  if (!city || city.id !== cityId || city.kind !== 'city') return refuse('BAD_USER_INPUT', 'Unknown city', 'cityId');
  if (!partner || partner.id !== partnerId || partner.kind === 'city' || !partner.active) {
    return refuse('BAD_USER_INPUT', 'Unknown partner', 'partnerId');
  }
  if (!service || service.id !== serviceId || service.partnerId !== partnerId || !service.active) {
    return refuse('BAD_USER_INPUT', 'This partner does not offer that service (any more)', 'serviceId');
  }
  if (!service.needCategories.includes(needCategory as never)) {
    return refuse('BAD_USER_INPUT', `The service does not cover the need "${needCategory}"`, 'needCategory');
  }
  // An empty list means the service is offered everywhere (national instruments).
  if (service.municipalities.length > 0 && (city.municipalityCode === null || !service.municipalities.includes(city.municipalityCode))) {
    return refuse('BAD_USER_INPUT', "The service is not offered in the city's municipality", 'serviceId');
  }
  return null;
}

function checkConsent(consent: ConsentFacts | null, partnerId: string, at: string): Refusal | null {
  if (consent === null) {
    return refuse('BAD_USER_INPUT', "The entrepreneur's consent for this partner is needed: ask the city to record it", 'consent');
  }
  if (consent.subjectErased) return refuse('BAD_USER_INPUT', "This person's data has been erased; record a new contact", 'consent');
  if (consent.partnerId !== partnerId) {
    return refuse('BAD_USER_INPUT', 'The consent was given for another partner', 'consent.partnerId');
  }
  if (consent.withdrawn) return refuse('BAD_USER_INPUT', 'The consent has been withdrawn', 'consent');
  if (!isIsoInstant(consent.expiresAt) || instantMs(consent.expiresAt) <= instantMs(at)) {
    return refuse('BAD_USER_INPUT', 'The consent has expired', 'consent.expiresAt');
  }
  return null;
}

/**
 * What a referral records of its consent. Statistics follow the entrepreneur's first answer about
 * anonymous use along the whole journey, so one journey is never half counted.
 */
function consentSnapshot(consent: ConsentFacts, anonymousStatistics: boolean) {
  return { consentId: consent.consentId, purpose: consent.purpose, expiresAt: consent.expiresAt, anonymousStatistics };
}

function checkPersonalData(personal: ReferralPersonalData): Refusal | null {
  if (isBlank(personal.contactName) || personal.contactName.length > 200) {
    return refuse('BAD_USER_INPUT', "The contact person's name is required (at most 200 characters)", 'personal.contactName');
  }
  if (personal.contactEmail === null && personal.contactPhone === null) {
    return refuse('BAD_USER_INPUT', 'Give an e-mail address or a phone number for the contact person', 'personal.contactEmail');
  }
  if (personal.contactEmail !== null && !isEmail(personal.contactEmail)) {
    return refuse('BAD_USER_INPUT', 'That is not an e-mail address', 'personal.contactEmail');
  }
  if (personal.contactPhone !== null && !isPhone(personal.contactPhone)) {
    return refuse('BAD_USER_INPUT', 'That is not a phone number', 'personal.contactPhone');
  }
  if (isBlank(personal.needDescription) || personal.needDescription.length > MAX_TEXT_LENGTH) {
    return refuse('BAD_USER_INPUT', `Describe the need (at most ${MAX_TEXT_LENGTH} characters)`, 'personal.needDescription');
  }
  return null;
}

function requiredText(value: string, field: string, message: string): FreeText | Refusal {
  if (isBlank(value)) return refuse('BAD_USER_INPUT', message, field);
  if (value.length > MAX_TEXT_LENGTH) return tooLong(field);
  return { text: value.trim() };
}

function optionalText(value: string | null, _field: string): FreeText | null | 'invalid' {
  if (isBlank(value)) return null;
  if ((value as string).length > MAX_TEXT_LENGTH) return 'invalid';
  return { text: (value as string).trim() };
}

function tooLong(field: string): Refusal {
  return refuse('BAD_USER_INPUT', `The text is longer than ${MAX_TEXT_LENGTH} characters`, field);
}
