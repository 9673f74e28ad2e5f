import type { CommandActor } from '../shared/actor';
import { emittedEvents, givenWhenThen } from '../testing/given-when-then';
import { decideSubject } from './decide-subject';
import type { EraseSubject, GiveConsent, SubjectCommand, WithdrawConsent } from './subject-commands';
import { SUBJECT_EVENT_TYPES, type ConsentGiven, type SubjectEvent } from './subject-events';
import { evolveSubject, foldSubject, isConsentValid, validConsentFor, type Subject, type SubjectState } from './subject-state';

const subject = givenWhenThen<SubjectState, SubjectCommand, SubjectEvent>({ decide: decideSubject, evolve: evolveSubject, initialState: null });

const SUBJECT_ID = '3e9c8f4b-6a5d-4cae-9fc0-3b4c5d6e7f80';
const CONSENT_ID = '4fad905c-7b6e-4dbf-80d1-4c5d6e7f8091';
const SECOND_CONSENT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const NOW = '2026-04-20T08:30:00.000Z';
const LATER = '2026-06-01T08:30:00.000Z';
const EXPIRES = '2027-04-20T00:00:00.000Z';

const almeloOfficer: CommandActor = { userId: 'officer-almelo', organisationId: 'gm0141-almelo', roles: ['city_officer'] };
const enschedeOfficer: CommandActor = { userId: 'officer-enschede', organisationId: 'gm0153-enschede', roles: ['city_officer'] };
const partnerAgent: CommandActor = { userId: 'agent-rabobank', organisationId: 'rabobank-twente', roles: ['partner_agent'] };
const auditor: CommandActor = { userId: 'auditor', organisationId: 'gm0141-almelo', roles: ['auditor'] };
const admin: CommandActor = { userId: 'admin', organisationId: 'koppelstuk', roles: ['admin'] };

const giveConsent = (o: Partial<GiveConsent> = {}): GiveConsent => ({
  type: 'GiveConsent',
  actor: almeloOfficer,
  at: NOW,
  subjectId: SUBJECT_ID,
  consentId: CONSENT_ID,
  cityId: 'gm0141-almelo',
  partnerId: 'rabobank-twente',
  purpose: 'Doorverwijzing voor financieringsadvies',
  givenBy: 'Anna de Vries',
  givenAt: '2026-04-20T08:00:00.000Z',
  expiresAt: EXPIRES,
  anonymousStatistics: true,
  ...o,
});
const withdrawConsent = (o: Partial<WithdrawConsent> = {}): WithdrawConsent => ({
  type: 'WithdrawConsent', actor: almeloOfficer, at: LATER, subjectId: SUBJECT_ID, consentId: CONSENT_ID, ...o,
});
const eraseSubject = (o: Partial<EraseSubject> = {}): EraseSubject => ({
  type: 'EraseSubject', actor: almeloOfficer, at: LATER, subjectId: SUBJECT_ID, reason: 'erasure_request', ...o,
});

const consentGiven: ConsentGiven = {
  type: 'ConsentGiven',
  data: {
    subjectId: SUBJECT_ID,
    consentId: CONSENT_ID,
    cityId: 'gm0141-almelo',
    partnerId: 'rabobank-twente',
    purpose: 'Doorverwijzing voor financieringsadvies',
    givenAt: '2026-04-20T08:00:00.000Z',
    expiresAt: EXPIRES,
    anonymousStatistics: true,
    personal: { givenBy: 'Anna de Vries' },
  },
};
const consentWithdrawn: SubjectEvent = { type: 'ConsentWithdrawn', data: { subjectId: SUBJECT_ID, consentId: CONSENT_ID, withdrawnAt: LATER } };
const subjectErased: SubjectEvent = { type: 'SubjectErased', data: { subjectId: SUBJECT_ID, reason: 'erasure_request', erasedAt: LATER } };

/** What anyone not entitled to a subject is told: the same as for a subject nobody knows. */
const NOT_FOUND_MESSAGE = (() => {
  const decision = decideSubject(null, withdrawConsent());
  if (decision.ok) throw new Error('withdrawing consent of an unknown subject was accepted');
  return decision.error.message;
})();

describe('GiveConsent', () => {
  it('given no subject, when a city officer records consent, then ConsentGiven with who gave it as personal data', () => {
    const { state } = subject
      .given([])
      .when(giveConsent({ purpose: ' Doorverwijzing voor financieringsadvies ', givenBy: ' Anna de Vries ' }))
      .then([consentGiven]);
    expect(state?.consents).toEqual([
      {
        consentId: CONSENT_ID,
        cityId: 'gm0141-almelo',
        partnerId: 'rabobank-twente',
        purpose: 'Doorverwijzing voor financieringsadvies',
        givenAt: '2026-04-20T08:00:00.000Z',
        expiresAt: EXPIRES,
        anonymousStatistics: true,
        withdrawnAt: null,
      },
    ]);
  });
  it('keeps the separate yes/no for anonymous statistics', () => {
    subject
      .given([])
      .when(giveConsent({ anonymousStatistics: false }))
      .then([{ ...consentGiven, data: { ...consentGiven.data, anonymousStatistics: false } }]);
  });
  it('given consent from this city, a second consent (another partner) is recorded too', () => {
    const { state } = subject
      .given([consentGiven])
      .when(giveConsent({ consentId: SECOND_CONSENT_ID, partnerId: 'oost-nl' }))
      .thenOk();
    expect(state?.consents.map((c) => c.partnerId)).toEqual(['rabobank-twente', 'oost-nl']);
  });
  it.each([
    ['a partner agent', partnerAgent],
    ['an auditor of the city', auditor],
    ['an admin', admin],
    ['an officer of another city than the one named', enschedeOfficer],
  ] as const)('by %s: FORBIDDEN', (_who, actor) => {
    subject.given([]).when(giveConsent({ actor })).thenError({ code: 'FORBIDDEN' });
  });
  it('given a subject only another city knows, an officer of this city gets NOT_FOUND, as for an unknown subject', () => {
    subject
      .given([consentGiven])
      .when(giveConsent({ actor: enschedeOfficer, cityId: 'gm0153-enschede', consentId: SECOND_CONSENT_ID }))
      .thenError({ code: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
  });
  it('given an erased subject, then INVALID_TRANSITION', () => {
    subject.given([consentGiven, subjectErased]).when(giveConsent({ consentId: SECOND_CONSENT_ID })).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('given the same consent id, then INVALID_TRANSITION', () => {
    subject.given([consentGiven]).when(giveConsent()).thenError({ code: 'INVALID_TRANSITION' });
  });
  it.each([
    ['subjectId', { subjectId: 'anna' }],
    ['consentId', { consentId: 'consent-1' }],
    ['partnerId', { partnerId: 'Rabobank Twente' }],
    ['purpose', { purpose: ' ' }],
    ['purpose', { purpose: 'x'.repeat(501) }],
    ['givenBy', { givenBy: '' }],
    ['givenBy', { givenBy: 'x'.repeat(201) }],
    ['givenAt', { givenAt: 'gisteren' }],
    ['givenAt', { givenAt: '2026-04-20T08:30:00.001Z' }],
    ['expiresAt', { expiresAt: NOW }],
    ['expiresAt', { expiresAt: '2026-04-01T00:00:00.000Z' }],
    ['expiresAt', { expiresAt: '2027-02-29T00:00:00.000Z' }],
    ['at', { at: 'nu' }],
  ] as const)('refuses a bad %s (%j)', (field, overrides) => {
    subject.given([]).when(giveConsent(overrides)).thenError({ code: 'BAD_USER_INPUT', field });
  });
  it('accepts consent given exactly now', () => {
    subject.given([]).when(giveConsent({ givenAt: NOW })).thenOk();
  });
  it('compares instants as instants: given at now written without milliseconds is not in the future', () => {
    subject.given([]).when(giveConsent({ at: '2026-04-20T08:30:00.000Z', givenAt: '2026-04-20T08:30:00Z' })).thenOk();
  });
});

describe('WithdrawConsent', () => {
  it.each([
    ['an officer of the city that recorded it', almeloOfficer],
    ['an admin', admin],
  ] as const)('by %s: ConsentWithdrawn', (_who, actor) => {
    const { state } = subject
      .given([consentGiven])
      .when(withdrawConsent({ actor }))
      .then([consentWithdrawn]);
    expect(state?.consents[0]?.withdrawnAt).toBe(LATER);
  });
  it.each([
    ['an officer of another city', enschedeOfficer],
    ['a partner agent', partnerAgent],
    ['an auditor', auditor],
  ] as const)('by %s: NOT_FOUND, exactly as for an unknown subject', (_who, actor) => {
    subject.given([consentGiven]).when(withdrawConsent({ actor })).thenError({ code: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
  });
  it('given no subject: NOT_FOUND', () => {
    subject.given([]).when(withdrawConsent()).thenError({ code: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
  });
  it('given an unknown consent id: NOT_FOUND', () => {
    subject.given([consentGiven]).when(withdrawConsent({ consentId: SECOND_CONSENT_ID })).thenError({ code: 'NOT_FOUND', message: 'No such consent' });
  });
  it('given a withdrawn consent: INVALID_TRANSITION', () => {
    subject.given([consentGiven, consentWithdrawn]).when(withdrawConsent()).thenError({ code: 'INVALID_TRANSITION' });
  });
});

describe('EraseSubject', () => {
  it.each(['erasure_request', 'consent_withdrawn'] as const)('by an officer of the recording city for %s: SubjectErased', (reason) => {
    const { state } = subject
      .given([consentGiven])
      .when(eraseSubject({ reason }))
      .then([{ type: 'SubjectErased', data: { subjectId: SUBJECT_ID, reason, erasedAt: LATER } }]);
    expect(state?.erasedAt).toBe(LATER);
  });
  it('by an admin: SubjectErased', () => {
    subject.given([consentGiven]).when(eraseSubject({ actor: admin })).then([subjectErased]);
  });
  it.each([
    ['an officer of another city', enschedeOfficer],
    ['a partner agent', partnerAgent],
    ['an auditor', auditor],
  ] as const)('by %s: NOT_FOUND, exactly as for an unknown subject', (_who, actor) => {
    subject.given([consentGiven]).when(eraseSubject({ actor })).thenError({ code: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
  });
  it('given no subject: NOT_FOUND', () => {
    subject.given([]).when(eraseSubject()).thenError({ code: 'NOT_FOUND', message: NOT_FOUND_MESSAGE });
  });
  it('given an erased subject: INVALID_TRANSITION', () => {
    subject.given([consentGiven, subjectErased]).when(eraseSubject()).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('refuses an unknown reason', () => {
    subject.given([consentGiven]).when(eraseSubject({ reason: 'forgotten' as never })).thenError({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});

describe('consent validity', () => {
  const known = foldSubject([consentGiven]) as Subject;
  it('is valid from givenAt until just before expiresAt', () => {
    expect(isConsentValid(known, CONSENT_ID, '2026-04-20T07:59:59.999Z')).toBe(false);
    expect(isConsentValid(known, CONSENT_ID, '2026-04-20T08:00:00.000Z')).toBe(true);
    expect(isConsentValid(known, CONSENT_ID, '2027-04-19T23:59:59.999Z')).toBe(true);
    expect(isConsentValid(known, CONSENT_ID, EXPIRES)).toBe(false);
  });
  it('compares instants as instants: a consent expiring at a whole second has expired at that second with milliseconds', () => {
    const wholeSecond = foldSubject([{ ...consentGiven, data: { ...consentGiven.data, expiresAt: '2027-04-20T00:00:00Z' } }]) as Subject;
    expect(isConsentValid(wholeSecond, CONSENT_ID, '2027-04-19T23:59:59.999Z')).toBe(true);
    expect(isConsentValid(wholeSecond, CONSENT_ID, '2027-04-20T00:00:00.000Z')).toBe(false);
  });
  it('is invalid once withdrawn, or once the subject is erased, or for an unknown id', () => {
    expect(isConsentValid(foldSubject([consentGiven, consentWithdrawn]) as Subject, CONSENT_ID, LATER)).toBe(false);
    expect(isConsentValid(foldSubject([consentGiven, subjectErased]) as Subject, CONSENT_ID, LATER)).toBe(false);
    expect(isConsentValid(known, SECOND_CONSENT_ID, LATER)).toBe(false);
  });
  it('validConsentFor finds the valid consent for a partner', () => {
    expect(validConsentFor(known, 'rabobank-twente', LATER)?.consentId).toBe(CONSENT_ID);
    expect(validConsentFor(known, 'oost-nl', LATER)).toBeNull();
  });
});

describe('contracts', () => {
  it('every subject event type was emitted above and matched its schema', () => {
    expect([...new Set(emittedEvents.map((e) => e.type))].sort()).toEqual([...SUBJECT_EVENT_TYPES].sort());
  });
});
