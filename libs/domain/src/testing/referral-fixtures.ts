/** Test-only fixtures for referral scenarios: fixed ids, actors, instants, directory facts, commands and events. */
import { SYSTEM_ACTOR, type CommandActor } from '../shared/actor';
import type { ReferralStatus } from '../shared/vocabulary';
import type {
  AcceptReferral,
  CloseReferral,
  ConsentFacts,
  DeclineReferral,
  DirectoryFacts,
  ForwardReferral,
  MakeReferral,
  MarkOverdue,
  ProvideInformation,
  RecordOutcome,
  ReferralCommand,
  ReferralCommandType,
  RequestInformation,
  StartWork,
  WithdrawReferral,
} from '../referral/referral-commands';
import type {
  InformationProvided,
  InformationRequested,
  OutcomeRecorded,
  ReferralAccepted,
  ReferralClosed,
  ReferralDeclined,
  ReferralEvent,
  ReferralForwarded,
  ReferralMade,
  ReferralOverdue,
  ReferralWithdrawn,
  WorkStarted,
} from '../referral/referral-events';

export const CITY_ID = 'gm0141-almelo';
export const OTHER_CITY_ID = 'gm0153-enschede';
export const PARTNER_ID = 'rabobank-twente';
export const OTHER_PARTNER_ID = 'oost-nl';
export const THIRD_PARTNER_ID = 'provincie-overijssel';
export const SERVICE_ID = 'bedrijfsfinanciering-250k';
export const OTHER_SERVICE_ID = 'innovatiekrediet';
export const THIRD_SERVICE_ID = 'subsidie-energietransitie';

export const REFERRAL_ID = '0b6f5c1e-3d2a-4f7b-8c9d-0e1f2a3b4c5d';
export const FORWARDED_REFERRAL_ID = '1c7a6d2f-4e3b-4a8c-9dae-1f2a3b4c5d6e';
export const SECOND_FORWARD_ID = '2d8b7e3a-5f4c-4b9d-8ebf-2a3b4c5d6e7f';
export const SUBJECT_ID = '3e9c8f4b-6a5d-4cae-9fc0-3b4c5d6e7f80';
export const CONSENT_ID = '4fad905c-7b6e-4dbf-80d1-4c5d6e7f8091';
export const FORWARD_CONSENT_ID = '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const OUTCOME_ID = '50be1a6d-8c7f-4ec0-91e2-5d6e7f8091a2';
export const SECOND_OUTCOME_ID = '61cf2b7e-9d80-4fd1-a2f3-6e7f8091a2b3';

export const cityOfficer: CommandActor = { userId: 'officer-almelo', organisationId: CITY_ID, roles: ['city_officer'] };
export const otherCityOfficer: CommandActor = { userId: 'officer-enschede', organisationId: OTHER_CITY_ID, roles: ['city_officer'] };
export const partnerAgent: CommandActor = { userId: 'agent-rabobank', organisationId: PARTNER_ID, roles: ['partner_agent'] };
export const otherPartnerAgent: CommandActor = { userId: 'agent-oost-nl', organisationId: OTHER_PARTNER_ID, roles: ['partner_agent'] };
export const auditor: CommandActor = { userId: 'auditor-rekenkamer', organisationId: 'rekenkamer-almelo', roles: ['auditor'] };
/** An auditor who happens to work for the referring city: still no commands. */
export const cityAuditor: CommandActor = { userId: 'auditor-almelo', organisationId: CITY_ID, roles: ['auditor'] };
export const admin: CommandActor = { userId: 'admin-programme', organisationId: 'koppelstuk', roles: ['admin'] };
export const system: CommandActor = SYSTEM_ACTOR;

/** Fixed instants. Monday 20 April 2026; the SLA of 5 working days skips King's Day (Monday 27 April). */
export const T = {
  sent: '2026-04-20T09:00:00.000Z',
  slaDue: '2026-04-28T21:59:59.999Z',
  accepted: '2026-04-21T08:00:00.000Z',
  infoRequested: '2026-04-21T09:00:00.000Z',
  infoProvided: '2026-04-22T09:00:00.000Z',
  started: '2026-04-22T10:00:00.000Z',
  outcomeOccurred: '2026-05-01T12:00:00.000Z',
  outcomeRecorded: '2026-05-04T09:00:00.000Z',
  closed: '2026-05-05T09:00:00.000Z',
  /** When the commands of a scenario run unless it says otherwise. */
  now: '2026-05-06T09:00:00.000Z',
  late: '2026-09-01T09:00:00.000Z',
  consentExpires: '2027-04-20T00:00:00.000Z',
} as const;

export const directory = (overrides: Partial<DirectoryFacts> = {}): DirectoryFacts => ({
  city: { id: CITY_ID, kind: 'city', municipalityCode: 'GM0141' },
  partner: { id: PARTNER_ID, kind: 'bank', active: true },
  service: {
    id: SERVICE_ID,
    partnerId: PARTNER_ID,
    active: true,
    needCategories: ['financing', 'restructuring'],
    municipalities: ['GM0141', 'GM0153'],
    slaWorkingDays: 5,
  },
  ...overrides,
});

/** The directory as a forward to OTHER_PARTNER_ID (a ROM with a national innovation credit) sees it. */
export const forwardDirectory = (overrides: Partial<DirectoryFacts> = {}): DirectoryFacts => ({
  city: { id: CITY_ID, kind: 'city', municipalityCode: 'GM0141' },
  partner: { id: OTHER_PARTNER_ID, kind: 'rom', active: true },
  service: {
    id: OTHER_SERVICE_ID,
    partnerId: OTHER_PARTNER_ID,
    active: true,
    needCategories: ['financing', 'innovation'],
    municipalities: [],
    slaWorkingDays: 10,
  },
  ...overrides,
});

export const consentFacts = (overrides: Partial<ConsentFacts> = {}): ConsentFacts => ({
  consentId: CONSENT_ID,
  subjectId: SUBJECT_ID,
  partnerId: PARTNER_ID,
  purpose: 'Doorverwijzing voor financieringsadvies',
  expiresAt: T.consentExpires,
  anonymousStatistics: true,
  withdrawn: false,
  subjectErased: false,
  ...overrides,
});

export const personalData = {
  contactName: 'Anna de Vries',
  contactEmail: 'anna@devriesmetaal.nl',
  contactPhone: '+31 6 12345678',
  needDescription: 'Werkkapitaal voor een nieuwe productielijn',
};

export const entrepreneur = { kvkNumber: '69599084', businessName: 'De Vries Metaal B.V.', sbiCode: '2511', sizeClass: 'small' } as const;

// ---------------------------------------------------------------- commands

export const makeReferral = (overrides: Partial<MakeReferral> = {}): MakeReferral => ({
  type: 'MakeReferral',
  actor: cityOfficer,
  at: T.sent,
  referralId: REFERRAL_ID,
  cityId: CITY_ID,
  partnerId: PARTNER_ID,
  serviceId: SERVICE_ID,
  needCategory: 'financing',
  entrepreneur,
  personal: personalData,
  consent: consentFacts(),
  directory: directory(),
  ...overrides,
});

export const acceptReferral = (o: Partial<AcceptReferral> = {}): AcceptReferral => ({ type: 'AcceptReferral', actor: partnerAgent, at: T.now, ...o });
export const declineReferral = (o: Partial<DeclineReferral> = {}): DeclineReferral => ({
  type: 'DeclineReferral', actor: partnerAgent, at: T.now, reason: 'no_capacity', text: null, ...o,
});
export const requestInformation = (o: Partial<RequestInformation> = {}): RequestInformation => ({
  type: 'RequestInformation', actor: partnerAgent, at: T.now, question: 'Hoeveel omzet draait het bedrijf?', ...o,
});
export const provideInformation = (o: Partial<ProvideInformation> = {}): ProvideInformation => ({
  type: 'ProvideInformation', actor: cityOfficer, at: T.now, answer: 'Ongeveer 2 miljoen euro per jaar.', ...o,
});
export const startWork = (o: Partial<StartWork> = {}): StartWork => ({ type: 'StartWork', actor: partnerAgent, at: T.now, ...o });
export const forwardReferral = (o: Partial<ForwardReferral> = {}): ForwardReferral => ({
  type: 'ForwardReferral',
  actor: partnerAgent,
  at: T.now,
  toReferralId: FORWARDED_REFERRAL_ID,
  toPartnerId: OTHER_PARTNER_ID,
  toServiceId: OTHER_SERVICE_ID,
  reason: 'Past beter bij het innovatiekrediet',
  directory: forwardDirectory(),
  consent: consentFacts({ consentId: FORWARD_CONSENT_ID, partnerId: OTHER_PARTNER_ID }),
  ...o,
});
export const withdrawReferral = (o: Partial<WithdrawReferral> = {}): WithdrawReferral => ({
  type: 'WithdrawReferral', actor: cityOfficer, at: T.now, reason: 'Ondernemer heeft zelf een lening gevonden', ...o,
});
export const recordOutcome = (o: Partial<RecordOutcome> = {}): RecordOutcome => ({
  type: 'RecordOutcome',
  actor: partnerAgent,
  at: T.now,
  outcomeId: SECOND_OUTCOME_ID,
  code: 'advice_given',
  amountCents: null,
  occurredAt: T.outcomeOccurred,
  jobsRetained: null,
  jobsCreated: null,
  note: null,
  ...o,
});
export const closeReferral = (o: Partial<CloseReferral> = {}): CloseReferral => ({ type: 'CloseReferral', actor: partnerAgent, at: T.now, ...o });
export const markOverdue = (o: Partial<MarkOverdue> = {}): MarkOverdue => ({ type: 'MarkOverdue', actor: system, at: T.now, ...o });

/** One valid command of each type, as its rightful actor would send it at T.now. */
export const COMMANDS: Readonly<Record<ReferralCommandType, () => ReferralCommand>> = {
  MakeReferral: () => makeReferral({ at: T.now }),
  AcceptReferral: () => acceptReferral(),
  DeclineReferral: () => declineReferral(),
  RequestInformation: () => requestInformation(),
  ProvideInformation: () => provideInformation(),
  StartWork: () => startWork(),
  ForwardReferral: () => forwardReferral(),
  WithdrawReferral: () => withdrawReferral(),
  RecordOutcome: () => recordOutcome(),
  CloseReferral: () => closeReferral(),
  MarkOverdue: () => markOverdue(),
};

export const CITY_COMMANDS = ['ProvideInformation', 'WithdrawReferral'] as const;
export const PARTNER_COMMANDS = [
  'AcceptReferral',
  'DeclineReferral',
  'RequestInformation',
  'StartWork',
  'ForwardReferral',
  'RecordOutcome',
  'CloseReferral',
] as const;

// ---------------------------------------------------------------- events

export const referralMade = (overrides: Partial<ReferralMade['data']> = {}): ReferralMade => ({
  type: 'ReferralMade',
  data: {
    referralId: REFERRAL_ID,
    journeyRootId: REFERRAL_ID,
    forwardedFromReferralId: null,
    cityId: CITY_ID,
    partnerId: PARTNER_ID,
    partnerKind: 'bank',
    serviceId: SERVICE_ID,
    needCategory: 'financing',
    entrepreneur,
    subjectId: SUBJECT_ID,
    consent: {
      consentId: CONSENT_ID,
      purpose: 'Doorverwijzing voor financieringsadvies',
      expiresAt: T.consentExpires,
      anonymousStatistics: true,
    },
    slaWorkingDays: 5,
    slaDueAt: T.slaDue,
    sentAt: T.sent,
    personal: personalData,
    ...overrides,
  },
});

export const referralAccepted = (at: string = T.accepted): ReferralAccepted => ({
  type: 'ReferralAccepted', data: { referralId: REFERRAL_ID, acceptedAt: at },
});
export const referralDeclined = (at: string = T.accepted): ReferralDeclined => ({
  type: 'ReferralDeclined', data: { referralId: REFERRAL_ID, reason: 'not_eligible', declinedAt: at, personal: null },
});
export const informationRequested = (at: string = T.infoRequested): InformationRequested => ({
  type: 'InformationRequested', data: { referralId: REFERRAL_ID, requestedAt: at, personal: { text: 'Hoeveel omzet?' } },
});
export const informationProvided = (at: string = T.infoProvided): InformationProvided => ({
  type: 'InformationProvided', data: { referralId: REFERRAL_ID, providedAt: at, personal: { text: 'Twee miljoen.' } },
});
export const workStarted = (at: string = T.started): WorkStarted => ({ type: 'WorkStarted', data: { referralId: REFERRAL_ID, startedAt: at } });
export const referralForwarded = (at: string = T.accepted): ReferralForwarded => ({
  type: 'ReferralForwarded',
  data: { referralId: REFERRAL_ID, toReferralId: FORWARDED_REFERRAL_ID, toPartnerId: OTHER_PARTNER_ID, toServiceId: OTHER_SERVICE_ID, forwardedAt: at, personal: null },
});
export const referralWithdrawn = (at: string = T.accepted): ReferralWithdrawn => ({
  type: 'ReferralWithdrawn', data: { referralId: REFERRAL_ID, withdrawnAt: at, personal: { text: 'Niet meer nodig.' } },
});
export const outcomeRecorded = (overrides: Partial<OutcomeRecorded['data']> = {}): OutcomeRecorded => ({
  type: 'OutcomeRecorded',
  data: {
    referralId: REFERRAL_ID,
    outcomeId: OUTCOME_ID,
    code: 'financing_granted',
    amountCents: 25_000_000,
    occurredAt: T.outcomeOccurred,
    recordedAt: T.outcomeRecorded,
    jobsRetained: 12,
    jobsCreated: 3,
    personal: null,
    ...overrides,
  },
});
export const referralClosed = (at: string = T.closed): ReferralClosed => ({ type: 'ReferralClosed', data: { referralId: REFERRAL_ID, closedAt: at } });
export const referralOverdue = (at = '2026-04-29T06:00:00.000Z'): ReferralOverdue => ({
  type: 'ReferralOverdue', data: { referralId: REFERRAL_ID, slaDueAt: T.slaDue, detectedAt: at },
});

/** A history that leaves the referral in each status (on_hold: asked while sent). */
export const HISTORY: Readonly<Record<ReferralStatus, readonly ReferralEvent[]>> = {
  sent: [referralMade()],
  accepted: [referralMade(), referralAccepted()],
  in_progress: [referralMade(), referralAccepted(), workStarted(), outcomeRecorded()],
  on_hold: [referralMade(), informationRequested()],
  declined: [referralMade(), referralDeclined()],
  forwarded: [referralMade(), referralForwarded()],
  withdrawn: [referralMade(), referralWithdrawn()],
  completed: [referralMade(), referralAccepted(), workStarted(), outcomeRecorded(), referralClosed()],
};
