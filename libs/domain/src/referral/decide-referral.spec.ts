import { REFERRAL_EVENT_TYPES, type ReferralMade } from './referral-events';
import { decideReferral, openForwardedReferral } from './decide-referral';
import { evolveReferral, foldReferral, initialReferralState, type Referral } from './referral-state';
import type { ReferralCommand } from './referral-commands';
import type { ReferralEvent } from './referral-events';
import { OUTCOME_CODES, OUTCOMES_WITH_AMOUNT, DECLINE_REASONS } from '../shared/vocabulary';
import { emittedEvents, givenWhenThen } from '../testing/given-when-then';
import { assertMatchesContract } from '../testing/event-contracts';
import {
  acceptReferral,
  closeReferral,
  CITY_ID,
  consentFacts,
  declineReferral,
  directory,
  forwardDirectory,
  forwardReferral,
  FORWARDED_REFERRAL_ID,
  FORWARD_CONSENT_ID,
  informationProvided,
  informationRequested,
  makeReferral,
  markOverdue,
  OTHER_CITY_ID,
  OTHER_PARTNER_ID,
  OTHER_SERVICE_ID,
  OUTCOME_ID,
  outcomeRecorded,
  PARTNER_ID,
  partnerAgent,
  otherPartnerAgent,
  personalData,
  provideInformation,
  recordOutcome,
  REFERRAL_ID,
  referralAccepted,
  referralClosed,
  referralMade,
  referralOverdue,
  requestInformation,
  SECOND_FORWARD_ID,
  SECOND_OUTCOME_ID,
  SERVICE_ID,
  startWork,
  SUBJECT_ID,
  T,
  THIRD_PARTNER_ID,
  THIRD_SERVICE_ID,
  withdrawReferral,
  workStarted,
  entrepreneur,
  admin,
  cityOfficer,
} from '../testing/referral-fixtures';

const referral = givenWhenThen<ReturnType<typeof foldReferral>, ReferralCommand, ReferralEvent>({
  decide: decideReferral,
  evolve: evolveReferral,
  initialState: initialReferralState,
});

const made = referralMade();
const accepted = [made, referralAccepted()];
const inProgress = [...accepted, workStarted()];
const completed = [...inProgress, outcomeRecorded(), referralClosed()];

describe('MakeReferral', () => {
  it('given no referral, when a city officer makes one with consent, then ReferralMade with the SLA due at the end of the 5th working day', () => {
    referral.given([]).when(makeReferral()).then([made]);
  });

  it('trims the business name, contact name and need description', () => {
    const { events } = referral
      .given([])
      .when(
        makeReferral({
          entrepreneur: { ...entrepreneur, businessName: '  De Vries Metaal B.V. ' },
          personal: { ...personalData, contactName: ' Anna de Vries ', needDescription: ' Werkkapitaal voor een nieuwe productielijn\n' },
        }),
      )
      .thenOk();
    const data = (events[0] as ReferralMade).data;
    expect(data.entrepreneur.businessName).toBe('De Vries Metaal B.V.');
    expect(data.personal.contactName).toBe('Anna de Vries');
    expect(data.personal.needDescription).toBe('Werkkapitaal voor een nieuwe productielijn');
  });

  it('the new referral is sent, not overdue, its own journey root, with no outcomes', () => {
    const { state } = referral.given([]).when(makeReferral()).thenOk();
    expect(state).toMatchObject({
      status: 'sent',
      overdue: false,
      journeyRootId: REFERRAL_ID,
      forwardedFromReferralId: null,
      firstResponseAt: null,
      outcomes: [],
    });
  });

  it('given a referral with that id, when it is made again, then INVALID_TRANSITION', () => {
    referral.given([made]).when(makeReferral()).thenError({ code: 'INVALID_TRANSITION' });
  });

  it('refuses a command time that is not an ISO instant', () => {
    referral.given([]).when(makeReferral({ at: '20-04-2026 11:00' })).thenError({ code: 'BAD_USER_INPUT', field: 'at' });
  });

  it('refuses a referral id that is not a UUID', () => {
    referral.given([]).when(makeReferral({ referralId: 'referral-1' })).thenError({ code: 'BAD_USER_INPUT', field: 'referralId' });
  });

  it('refuses an unknown need category', () => {
    referral
      .given([])
      .when(makeReferral({ needCategory: 'wellbeing' as never }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'needCategory' });
  });

  describe('consent', () => {
    it('without consent (null), then BAD_USER_INPUT on consent', () => {
      referral.given([]).when(makeReferral({ consent: null })).thenError({ code: 'BAD_USER_INPUT', field: 'consent' });
    });
    it('with consent for another partner, then BAD_USER_INPUT on consent.partnerId', () => {
      referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ partnerId: OTHER_PARTNER_ID }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent.partnerId' });
    });
    it('with withdrawn consent, then BAD_USER_INPUT on consent', () => {
      referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ withdrawn: true }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent', message: 'The consent has been withdrawn' });
    });
    it('with consent that expired before now, then BAD_USER_INPUT on consent.expiresAt', () => {
      referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ expiresAt: '2026-04-19T23:00:00.000Z' }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent.expiresAt' });
    });
    it('with consent expiring exactly now, then BAD_USER_INPUT on consent.expiresAt', () => {
      referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ expiresAt: T.sent }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent.expiresAt' });
    });
    it('with consent expiring one millisecond later, then accepted', () => {
      referral.given([]).when(makeReferral({ consent: consentFacts({ expiresAt: '2026-04-20T09:00:00.001Z' }) })).thenOk();
    });
    it('with consent that expires now written without milliseconds, then still expired (instants compare as instants)', () => {
      referral
        .given([])
        .when(makeReferral({ at: '2026-04-20T09:00:00.500Z', consent: consentFacts({ expiresAt: '2026-04-20T09:00:00Z' }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent.expiresAt' });
    });
    it('for an erased subject, then BAD_USER_INPUT on consent', () => {
      referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ subjectErased: true }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'consent', message: "This person's data has been erased; record a new contact" });
    });
    it('records the consent snapshot and the subject of the consent', () => {
      const { events } = referral
        .given([])
        .when(makeReferral({ consent: consentFacts({ anonymousStatistics: false, purpose: 'Advies' }) }))
        .thenOk();
      const data = (events[0] as ReferralMade).data;
      expect(data.subjectId).toBe(SUBJECT_ID);
      expect(data.consent).toEqual({ consentId: consentFacts().consentId, purpose: 'Advies', expiresAt: T.consentExpires, anonymousStatistics: false });
    });
  });

  describe('entrepreneur', () => {
    it.each(['1234567', '123456789', '1234567a', '12 345678', '00000000', ''])('refuses KvK number %p', (kvkNumber) => {
      referral
        .given([])
        .when(makeReferral({ entrepreneur: { ...entrepreneur, kvkNumber } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'entrepreneur.kvkNumber' });
    });
    it.each(['69599084', '01234567', '90000001'])('accepts KvK number %p (8 digits)', (kvkNumber) => {
      referral.given([]).when(makeReferral({ entrepreneur: { ...entrepreneur, kvkNumber } })).thenOk();
    });
    it.each(['', '   ', 'x'.repeat(201)])('refuses business name %p', (businessName) => {
      referral
        .given([])
        .when(makeReferral({ entrepreneur: { ...entrepreneur, businessName } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'entrepreneur.businessName' });
    });
    it.each(['1', '123456', '25a1'])('refuses SBI code %p', (sbiCode) => {
      referral
        .given([])
        .when(makeReferral({ entrepreneur: { ...entrepreneur, sbiCode } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'entrepreneur.sbiCode' });
    });
    it('accepts a missing SBI code (null)', () => {
      referral.given([]).when(makeReferral({ entrepreneur: { ...entrepreneur, sbiCode: null } })).thenOk();
    });
    it('refuses an unknown size class', () => {
      referral
        .given([])
        .when(makeReferral({ entrepreneur: { ...entrepreneur, sizeClass: 'huge' as never } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'entrepreneur.sizeClass' });
    });
  });

  describe('contact person', () => {
    it.each(['', '  '])('requires the contact name (%p)', (contactName) => {
      referral
        .given([])
        .when(makeReferral({ personal: { ...personalData, contactName } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'personal.contactName' });
    });
    it('requires an e-mail address or a phone number', () => {
      referral
        .given([])
        .when(makeReferral({ personal: { ...personalData, contactEmail: null, contactPhone: null } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'personal.contactEmail' });
    });
    it('accepts only an e-mail address', () => {
      referral.given([]).when(makeReferral({ personal: { ...personalData, contactPhone: null } })).thenOk();
    });
    it('accepts only a phone number', () => {
      referral.given([]).when(makeReferral({ personal: { ...personalData, contactEmail: null } })).thenOk();
    });
    it.each(['anna', 'anna@', 'anna@devries', 'anna de vries@x.nl', `${'a'.repeat(250)}@x.nl`])('refuses e-mail %p', (contactEmail) => {
      referral
        .given([])
        .when(makeReferral({ personal: { ...personalData, contactEmail } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'personal.contactEmail' });
    });
    it.each(['12345', 'bel me', '+31 6 1234567890123456789', '06-1234abcd'])('refuses phone %p', (contactPhone) => {
      referral
        .given([])
        .when(makeReferral({ personal: { ...personalData, contactPhone } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'personal.contactPhone' });
    });
    it.each(['0546 123456', '+31612345678', '06-12345678', '+31 (0)546 123456'])('accepts phone %p', (contactPhone) => {
      referral.given([]).when(makeReferral({ personal: { ...personalData, contactPhone } })).thenOk();
    });
    it.each(['', ' ', 'x'.repeat(4001)])('requires a need description of at most 4000 characters (%#)', (needDescription) => {
      referral
        .given([])
        .when(makeReferral({ personal: { ...personalData, needDescription } }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'personal.needDescription' });
    });
  });

  describe('placement', () => {
    const service = directory().service as NonNullable<ReturnType<typeof directory>['service']>;
    it.each([
      ['no city in the directory', { city: null }],
      ['another city', { city: { id: OTHER_CITY_ID, kind: 'city', municipalityCode: 'GM0153' } }],
      ['an organisation that is not a city', { city: { id: CITY_ID, kind: 'bank', municipalityCode: null } }],
    ] as const)('refuses %s as the referring city', (_name, facts) => {
      referral.given([]).when(makeReferral({ directory: directory(facts) })).thenError({ code: 'BAD_USER_INPUT', field: 'cityId' });
    });
    it.each([
      ['an unknown partner', { partner: null }],
      ['a partner that is not the one addressed', { partner: { id: OTHER_PARTNER_ID, kind: 'rom', active: true } }],
      ['an inactive partner', { partner: { id: PARTNER_ID, kind: 'bank', active: false } }],
      ['a city as partner', { partner: { id: PARTNER_ID, kind: 'city', active: true } }],
    ] as const)('refuses %s', (_name, facts) => {
      referral.given([]).when(makeReferral({ directory: directory(facts) })).thenError({ code: 'BAD_USER_INPUT', field: 'partnerId' });
    });
    it.each([
      ['an unknown service', { service: null }],
      ['another service', { service: { ...service, id: OTHER_SERVICE_ID } }],
      ["another partner's service", { service: { ...service, partnerId: OTHER_PARTNER_ID } }],
      ['a retired service', { service: { ...service, active: false } }],
    ] as const)('refuses %s', (_name, facts) => {
      referral.given([]).when(makeReferral({ directory: directory(facts) })).thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
    });
    it('refuses a need the service does not cover', () => {
      referral.given([]).when(makeReferral({ needCategory: 'permits' })).thenError({ code: 'BAD_USER_INPUT', field: 'needCategory' });
    });
    it("refuses a service not offered in the city's municipality", () => {
      referral
        .given([])
        .when(makeReferral({ directory: directory({ service: { ...service, municipalities: ['GM0153', 'GM0164'] } }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'serviceId', message: "The service is not offered in the city's municipality" });
    });
    it('refuses a regional service for a city without a municipality code', () => {
      referral
        .given([])
        .when(makeReferral({ directory: directory({ city: { id: CITY_ID, kind: 'city', municipalityCode: null } }) }))
        .thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
    });
    it('accepts a service with no municipalities: it is offered nationwide', () => {
      referral
        .given([])
        .when(makeReferral({ directory: directory({ service: { ...service, municipalities: [] } }) }))
        .thenOk();
    });
    it("takes the partner kind and the SLA from the directory", () => {
      const { events } = referral
        .given([])
        .when(
          makeReferral({
            directory: directory({ partner: { id: PARTNER_ID, kind: 'accountant', active: true }, service: { ...service, slaWorkingDays: 1 } }),
          }),
        )
        .thenOk();
      const data = (events[0] as ReferralMade).data;
      expect(data.partnerKind).toBe('accountant');
      expect(data.slaWorkingDays).toBe(1);
      expect(data.slaDueAt).toBe('2026-04-21T21:59:59.999Z');
    });
  });
});

describe('AcceptReferral', () => {
  it('given sent, when the partner accepts, then ReferralAccepted', () => {
    const { state } = referral
      .given([made])
      .when(acceptReferral({ at: T.accepted }))
      .then([referralAccepted(T.accepted)]);
    expect(state).toMatchObject({ status: 'accepted', firstResponseAt: T.accepted });
  });
});

describe('DeclineReferral', () => {
  it.each(DECLINE_REASONS.filter((r) => r !== 'other'))('given sent, when declined with reason %s and no text, then ReferralDeclined without personal data', (reason) => {
    const { state } = referral
      .given([made])
      .when(declineReferral({ reason }))
      .then([{ type: 'ReferralDeclined', data: { referralId: REFERRAL_ID, reason, declinedAt: T.now, personal: null } }]);
    expect(state).toMatchObject({ status: 'declined', firstResponseAt: T.now });
  });
  it('with reason other and a text, then the trimmed text is the personal data', () => {
    referral
      .given([made])
      .when(declineReferral({ reason: 'other', text: '  Geen bancaire oplossing mogelijk ' }))
      .then([{ type: 'ReferralDeclined', data: { referralId: REFERRAL_ID, reason: 'other', declinedAt: T.now, personal: { text: 'Geen bancaire oplossing mogelijk' } } }]);
  });
  it.each([null, '', '   '])('with reason other and text %p, then BAD_USER_INPUT on text', (text) => {
    referral.given([made]).when(declineReferral({ reason: 'other', text })).thenError({ code: 'BAD_USER_INPUT', field: 'text' });
  });
  it('a coded reason may carry a text too', () => {
    referral
      .given([made])
      .when(declineReferral({ reason: 'not_eligible', text: 'Omzet te laag' }))
      .then([{ type: 'ReferralDeclined', data: { referralId: REFERRAL_ID, reason: 'not_eligible', declinedAt: T.now, personal: { text: 'Omzet te laag' } } }]);
  });
  it('refuses an unknown reason', () => {
    referral.given([made]).when(declineReferral({ reason: 'busy' as never })).thenError({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
  it('refuses a text longer than 4000 characters', () => {
    referral.given([made]).when(declineReferral({ reason: 'other', text: 'x'.repeat(4001) })).thenError({ code: 'BAD_USER_INPUT', field: 'text' });
  });
});

describe('RequestInformation and ProvideInformation', () => {
  it('given sent, when the partner asks, then InformationRequested and the referral is on hold', () => {
    const { state } = referral
      .given([made])
      .when(requestInformation({ question: ' Hoeveel omzet? ' }))
      .then([{ type: 'InformationRequested', data: { referralId: REFERRAL_ID, requestedAt: T.now, personal: { text: 'Hoeveel omzet?' } } }]);
    expect(state).toMatchObject({ status: 'on_hold', statusBeforeHold: 'sent', firstResponseAt: T.now });
  });
  it('given accepted, when the partner asks, then on hold, remembering accepted', () => {
    const { state } = referral.given(accepted).when(requestInformation()).thenOk();
    expect(state).toMatchObject({ status: 'on_hold', statusBeforeHold: 'accepted', firstResponseAt: T.accepted });
  });
  it.each(['', '  '])('refuses an empty question %p', (question) => {
    referral.given([made]).when(requestInformation({ question })).thenError({ code: 'BAD_USER_INPUT', field: 'question' });
  });
  it('refuses a question longer than 4000 characters', () => {
    referral.given([made]).when(requestInformation({ question: 'x'.repeat(4001) })).thenError({ code: 'BAD_USER_INPUT', field: 'question' });
  });
  it('given on hold after sent, when the city answers, then InformationProvided and back to sent', () => {
    const { state } = referral
      .given([made, informationRequested()])
      .when(provideInformation({ answer: ' Twee miljoen. ' }))
      .then([{ type: 'InformationProvided', data: { referralId: REFERRAL_ID, providedAt: T.now, personal: { text: 'Twee miljoen.' } } }]);
    expect(state).toMatchObject({ status: 'sent', statusBeforeHold: null });
  });
  it('given on hold after accepted, when the city answers, then back to accepted (and work can start)', () => {
    const given = [...accepted, informationRequested(), informationProvided()];
    expect(foldReferral(given)).toMatchObject({ status: 'accepted', statusBeforeHold: null });
    referral.given([...accepted, informationRequested()]).when(provideInformation()).thenOk();
    referral.given(given).when(startWork()).thenOk();
    referral.given(given).when(acceptReferral()).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('given on hold after sent and answered, the partner can accept again', () => {
    referral.given([made, informationRequested(), informationProvided()]).when(acceptReferral()).thenOk();
  });
  it('asking twice (after an answer) keeps the first response time', () => {
    const { state } = referral.given([made, informationRequested(), informationProvided()]).when(requestInformation()).thenOk();
    expect(state).toMatchObject({ status: 'on_hold', firstResponseAt: T.infoRequested });
  });
  it.each(['', ' '])('refuses an empty answer %p', (answer) => {
    referral.given([made, informationRequested()]).when(provideInformation({ answer })).thenError({ code: 'BAD_USER_INPUT', field: 'answer' });
  });
});

describe('StartWork', () => {
  it('given accepted, when the partner starts, then WorkStarted and in progress', () => {
    const { state } = referral
      .given(accepted)
      .when(startWork())
      .then([{ type: 'WorkStarted', data: { referralId: REFERRAL_ID, startedAt: T.now } }]);
    expect(state?.status).toBe('in_progress');
  });
});

describe('ForwardReferral', () => {
  const forwarded = (personal: { text: string } | null = { text: 'Past beter bij het innovatiekrediet' }): ReferralEvent => ({
    type: 'ReferralForwarded',
    data: { referralId: REFERRAL_ID, toReferralId: FORWARDED_REFERRAL_ID, toPartnerId: OTHER_PARTNER_ID, toServiceId: OTHER_SERVICE_ID, forwardedAt: T.now, personal },
  });
  it.each([
    ['sent', [made]],
    ['accepted', accepted],
    ['in progress', inProgress],
  ])('given %s, when the partner forwards, then ReferralForwarded and forwarded', (_name, given) => {
    const { state } = referral.given(given).when(forwardReferral()).then([forwarded()]);
    expect(state).toMatchObject({ status: 'forwarded', forwardedToReferralId: FORWARDED_REFERRAL_ID });
  });
  it('counts a forward as the first response', () => {
    const { state } = referral.given([made]).when(forwardReferral()).thenOk();
    expect(state?.firstResponseAt).toBe(T.now);
  });
  it('the reason is optional', () => {
    referral.given([made]).when(forwardReferral({ reason: null })).then([forwarded(null)]);
    referral.given([made]).when(forwardReferral({ reason: '  ' })).then([forwarded(null)]);
  });
  it.each(['not-a-uuid', REFERRAL_ID])('refuses new referral id %p', (toReferralId) => {
    referral.given([made]).when(forwardReferral({ toReferralId })).thenError({ code: 'BAD_USER_INPUT', field: 'toReferralId' });
  });
  it("refuses a forward to the partner's own organisation", () => {
    referral
      .given([made])
      .when(forwardReferral({ toPartnerId: PARTNER_ID, toServiceId: SERVICE_ID, directory: directory() }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'toPartnerId' });
  });
  it('refuses an unknown partner', () => {
    referral.given([made]).when(forwardReferral({ directory: forwardDirectory({ partner: null }) })).thenError({ code: 'BAD_USER_INPUT', field: 'partnerId' });
  });
  it('refuses a service of another partner, or a retired one', () => {
    const service = forwardDirectory().service as NonNullable<ReturnType<typeof forwardDirectory>['service']>;
    referral
      .given([made])
      .when(forwardReferral({ directory: forwardDirectory({ service: { ...service, partnerId: THIRD_PARTNER_ID } }) }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
    referral
      .given([made])
      .when(forwardReferral({ directory: forwardDirectory({ service: { ...service, active: false } }) }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
  });
  it("refuses a service that does not cover the referral's need", () => {
    const service = forwardDirectory().service as NonNullable<ReturnType<typeof forwardDirectory>['service']>;
    referral
      .given([made])
      .when(forwardReferral({ directory: forwardDirectory({ service: { ...service, needCategories: ['innovation'] } }) }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'needCategory' });
  });
  it("refuses a service not offered in the referring city's municipality", () => {
    const service = forwardDirectory().service as NonNullable<ReturnType<typeof forwardDirectory>['service']>;
    referral
      .given([made])
      .when(forwardReferral({ directory: forwardDirectory({ service: { ...service, municipalities: ['GM0363'] } }) }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'serviceId' });
  });

  describe("the entrepreneur's consent for the partner forwarded to", () => {
    it.each([
      ['missing', { consent: null }, 'consent'],
      ['for another partner', { consent: consentFacts({ partnerId: PARTNER_ID }) }, 'consent.partnerId'],
      ['withdrawn', { consent: consentFacts({ partnerId: OTHER_PARTNER_ID, withdrawn: true }) }, 'consent'],
      ['of an erased person', { consent: consentFacts({ partnerId: OTHER_PARTNER_ID, subjectErased: true }) }, 'consent'],
      ['expired', { consent: consentFacts({ partnerId: OTHER_PARTNER_ID, expiresAt: '2026-01-01T00:00:00.000Z' }) }, 'consent.expiresAt'],
    ] as const)('refuses a forward when that consent is %s', (_, override, field) => {
      referral.given(accepted).when(forwardReferral(override)).thenError({ code: 'BAD_USER_INPUT', field });
    });
  });

  describe('openForwardedReferral', () => {
    const stored = { ...personalData, contactPhone: null };
    it('opens the linked referral: same journey, subject, entrepreneur, need, city and consent; new partner, service and SLA', () => {
      const state = foldReferral(accepted) as Referral;
      const command = forwardReferral({ at: '2026-04-23T13:00:00.000Z' }); // Thursday; 10 working days skip King's Day
      const opened = openForwardedReferral(state, command, stored);
      expect(opened).toEqual<ReferralMade>({
        type: 'ReferralMade',
        data: {
          referralId: FORWARDED_REFERRAL_ID,
          journeyRootId: REFERRAL_ID,
          forwardedFromReferralId: REFERRAL_ID,
          cityId: CITY_ID,
          partnerId: OTHER_PARTNER_ID,
          partnerKind: 'rom',
          serviceId: OTHER_SERVICE_ID,
          needCategory: 'financing',
          entrepreneur,
          subjectId: SUBJECT_ID,
          // Under the consent for the new partner; the anonymous-statistics answer stays the journey's first.
          consent: { ...made.data.consent, consentId: FORWARD_CONSENT_ID },
          slaWorkingDays: 10,
          slaDueAt: '2026-05-08T21:59:59.999Z',
          sentAt: '2026-04-23T13:00:00.000Z',
          personal: stored,
        },
      });
      assertMatchesContract(opened);
    });
    it('keeps the journey root of the first referral along a chain of forwards', () => {
      const first = foldReferral([made]) as Referral;
      const second = openForwardedReferral(first, forwardReferral(), stored);
      // The second partner forwards again, to a third.
      const toThird = forwardReferral({
        actor: otherPartnerAgent,
        toReferralId: SECOND_FORWARD_ID,
        toPartnerId: THIRD_PARTNER_ID,
        toServiceId: THIRD_SERVICE_ID,
        directory: {
          city: { id: CITY_ID, kind: 'city', municipalityCode: 'GM0141' },
          partner: { id: THIRD_PARTNER_ID, kind: 'province', active: true },
          service: { id: THIRD_SERVICE_ID, partnerId: THIRD_PARTNER_ID, active: true, needCategories: ['financing'], municipalities: ['GM0141'], slaWorkingDays: 3 },
        },
        consent: consentFacts({ consentId: FORWARD_CONSENT_ID, partnerId: THIRD_PARTNER_ID }),
      });
      const secondState = foldReferral([second]) as Referral;
      const forwardedAgain = referral.given([second]).when(toThird).thenOk();
      expect(forwardedAgain.state?.status).toBe('forwarded');
      const third = openForwardedReferral(secondState, toThird, stored);
      expect(third.data).toMatchObject({
        referralId: SECOND_FORWARD_ID,
        journeyRootId: REFERRAL_ID,
        forwardedFromReferralId: FORWARDED_REFERRAL_ID,
        partnerId: THIRD_PARTNER_ID,
        partnerKind: 'province',
        serviceId: THIRD_SERVICE_ID,
        slaWorkingDays: 3,
        slaDueAt: '2026-05-11T21:59:59.999Z', // Wed 6 May + 3 working days = Mon 11 May
        sentAt: T.now,
      });
      assertMatchesContract(third);
      // The forwarded referral is a referral like any other: its new partner can accept it.
      referral.given([third]).when(acceptReferral({ actor: { ...partnerAgent, organisationId: THIRD_PARTNER_ID } })).thenOk();
    });
  });
});

describe('WithdrawReferral', () => {
  it.each([
    ['sent', [made]],
    ['accepted', accepted],
    ['in progress', inProgress],
    ['on hold', [made, informationRequested()]],
  ])('given %s, when the city withdraws, then ReferralWithdrawn with the reason as personal data', (_name, given) => {
    const { state } = referral
      .given(given)
      .when(withdrawReferral({ reason: ' Zelf opgelost ' }))
      .then([{ type: 'ReferralWithdrawn', data: { referralId: REFERRAL_ID, withdrawnAt: T.now, personal: { text: 'Zelf opgelost' } } }]);
    expect(state?.status).toBe('withdrawn');
  });
  it.each(['', '  '])('requires a reason (%p)', (reason) => {
    referral.given([made]).when(withdrawReferral({ reason })).thenError({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});

describe('RecordOutcome', () => {
  const expected = (overrides: Partial<Extract<ReferralEvent, { type: 'OutcomeRecorded' }>['data']> = {}): ReferralEvent => ({
    type: 'OutcomeRecorded',
    data: {
      referralId: REFERRAL_ID,
      outcomeId: SECOND_OUTCOME_ID,
      code: 'advice_given',
      amountCents: null,
      occurredAt: T.outcomeOccurred,
      recordedAt: T.now,
      jobsRetained: null,
      jobsCreated: null,
      personal: null,
      ...overrides,
    },
  });

  it('given in progress, when the partner records financing granted with an amount and impact, then OutcomeRecorded', () => {
    referral
      .given(inProgress)
      .when(recordOutcome({ code: 'financing_granted', amountCents: 15_000_000, jobsRetained: 8, jobsCreated: 2, note: ' Lening verstrekt ' }))
      .then([expected({ code: 'financing_granted', amountCents: 15_000_000, jobsRetained: 8, jobsCreated: 2, personal: { text: 'Lening verstrekt' } })]);
  });
  it('given accepted, recording an outcome moves the referral to in progress', () => {
    const { state } = referral.given(accepted).when(recordOutcome()).then([expected()]);
    expect(state?.status).toBe('in_progress');
    expect(state?.outcomes).toEqual([{ outcomeId: SECOND_OUTCOME_ID, code: 'advice_given', amountCents: null, occurredAt: T.outcomeOccurred, recordedAt: T.now }]);
  });
  it('records several outcomes for one referral', () => {
    const { state } = referral
      .given([...inProgress, outcomeRecorded()])
      .when(recordOutcome({ code: 'coaching_started' }))
      .thenOk();
    expect(state?.outcomes.map((o) => [o.outcomeId, o.code])).toEqual([
      [OUTCOME_ID, 'financing_granted'],
      [SECOND_OUTCOME_ID, 'coaching_started'],
    ]);
  });
  it('refuses the same outcome id twice', () => {
    referral.given([...inProgress, outcomeRecorded()]).when(recordOutcome({ outcomeId: OUTCOME_ID })).thenError({ code: 'INVALID_TRANSITION' });
  });
  it('given completed, a late outcome (loan approved months later) is recorded and the referral stays completed', () => {
    const { state } = referral
      .given(completed)
      .when(recordOutcome({ at: T.late, code: 'loan_or_guarantee', amountCents: 5_000_000, occurredAt: '2026-08-15T10:00:00.000Z' }))
      .then([expected({ code: 'loan_or_guarantee', amountCents: 5_000_000, occurredAt: '2026-08-15T10:00:00.000Z', recordedAt: T.late })]);
    expect(state?.status).toBe('completed');
    expect(state?.outcomes).toHaveLength(2);
  });
  it.each(OUTCOMES_WITH_AMOUNT)('%s requires an amount', (code) => {
    referral.given(inProgress).when(recordOutcome({ code, amountCents: null })).thenError({ code: 'BAD_USER_INPUT', field: 'amountCents' });
    referral.given(inProgress).when(recordOutcome({ code, amountCents: 1 })).thenOk();
  });
  it.each([0, -100, 12.5, Number.NaN, 100_000_000_001])('refuses amount %p', (amountCents) => {
    referral
      .given(inProgress)
      .when(recordOutcome({ code: 'subsidy_granted', amountCents }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'amountCents' });
  });
  it('accepts the largest amount (1 billion euro)', () => {
    referral.given(inProgress).when(recordOutcome({ code: 'subsidy_granted', amountCents: 100_000_000_000 })).thenOk();
  });
  it.each(OUTCOME_CODES.filter((code) => !OUTCOMES_WITH_AMOUNT.includes(code)))('%s refuses an amount and is accepted without', (code) => {
    referral.given(inProgress).when(recordOutcome({ code, amountCents: 100 })).thenError({ code: 'BAD_USER_INPUT', field: 'amountCents' });
    referral.given(inProgress).when(recordOutcome({ code, amountCents: null })).then([expected({ code })]);
  });
  it('refuses an unknown outcome code', () => {
    referral.given(inProgress).when(recordOutcome({ code: 'great_success' as never })).thenError({ code: 'BAD_USER_INPUT', field: 'code' });
  });
  it('refuses an outcome id that is not a UUID', () => {
    referral.given(inProgress).when(recordOutcome({ outcomeId: 'outcome-2' })).thenError({ code: 'BAD_USER_INPUT', field: 'outcomeId' });
  });
  it('refuses an occurredAt in the future', () => {
    referral
      .given(inProgress)
      .when(recordOutcome({ occurredAt: '2026-05-06T09:00:00.001Z' }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'occurredAt', message: 'An outcome cannot lie in the future' });
  });
  it('refuses an occurredAt before the referral was sent', () => {
    referral
      .given(inProgress)
      .when(recordOutcome({ occurredAt: '2026-04-20T08:59:59.999Z' }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'occurredAt', message: 'An outcome cannot lie before the referral was made' });
  });
  it('accepts an occurredAt equal to sentAt or to now', () => {
    referral.given(inProgress).when(recordOutcome({ occurredAt: T.sent })).thenOk();
    referral.given(inProgress).when(recordOutcome({ occurredAt: T.now })).thenOk();
  });
  it('compares instants as instants, whatever their precision', () => {
    // Equal to now, written with one fraction digit: not in the future.
    referral.given(inProgress).when(recordOutcome({ at: '2026-05-06T09:00:00.500Z', occurredAt: '2026-05-06T09:00:00.5Z' })).thenOk();
    // Half a second before the referral was sent, written without fraction digits.
    referral
      .given([referralMade({ sentAt: '2026-04-20T09:00:00.500Z' }), referralAccepted()])
      .when(recordOutcome({ occurredAt: '2026-04-20T09:00:00Z' }))
      .thenError({ code: 'BAD_USER_INPUT', field: 'occurredAt' });
  });
  it.each(['yesterday', '2026-05-01', '2026-02-30T10:00:00Z'])('refuses occurredAt %p', (occurredAt) => {
    referral.given(inProgress).when(recordOutcome({ occurredAt })).thenError({ code: 'BAD_USER_INPUT', field: 'occurredAt' });
  });
  it.each([
    ['jobsRetained', -1],
    ['jobsRetained', 1.5],
    ['jobsCreated', -1],
    ['jobsCreated', 100_001],
  ] as const)('refuses %s = %p', (field, value) => {
    referral.given(inProgress).when(recordOutcome({ [field]: value })).thenError({ code: 'BAD_USER_INPUT', field });
  });
  it('accepts zero jobs', () => {
    referral.given(inProgress).when(recordOutcome({ jobsRetained: 0, jobsCreated: 0 })).then([expected({ jobsRetained: 0, jobsCreated: 0 })]);
  });
  it('refuses a note longer than 4000 characters', () => {
    referral.given(inProgress).when(recordOutcome({ note: 'x'.repeat(4001) })).thenError({ code: 'BAD_USER_INPUT', field: 'note' });
  });
});

describe('CloseReferral', () => {
  it('given in progress with an outcome, when the partner closes, then ReferralClosed and completed', () => {
    const { state } = referral
      .given([...inProgress, outcomeRecorded()])
      .when(closeReferral())
      .then([{ type: 'ReferralClosed', data: { referralId: REFERRAL_ID, closedAt: T.now } }]);
    expect(state?.status).toBe('completed');
  });
  it('given in progress without an outcome, then INVALID_TRANSITION', () => {
    referral
      .given(inProgress)
      .when(closeReferral())
      .thenError({ code: 'INVALID_TRANSITION', message: 'Record an outcome before closing the referral' });
  });
  it('given accepted without an outcome, then INVALID_TRANSITION', () => {
    referral.given(accepted).when(closeReferral()).thenError({ code: 'INVALID_TRANSITION', message: 'Record an outcome before closing the referral' });
  });
});

describe('MarkOverdue', () => {
  it('given sent, when the system marks it at the SLA due time, then ReferralOverdue', () => {
    const { state } = referral
      .given([made])
      .when(markOverdue({ at: T.slaDue }))
      .then([{ type: 'ReferralOverdue', data: { referralId: REFERRAL_ID, slaDueAt: T.slaDue, detectedAt: T.slaDue } }]);
    expect(state).toMatchObject({ status: 'sent', overdue: true });
  });
  it('given sent, before the SLA due time, then nothing', () => {
    referral.given([made]).when(markOverdue({ at: '2026-04-28T21:59:59.998Z' })).then([]);
  });
  it('compares with the due time as instants: a second-precision time just before it is not overdue', () => {
    referral.given([made]).when(markOverdue({ at: '2026-04-28T21:59:59Z' })).then([]);
  });
  it('given already overdue, then nothing', () => {
    referral.given([made, referralOverdue()]).when(markOverdue()).then([]);
  });
  it.each([
    ['accepted', accepted],
    ['on hold', [made, informationRequested()]],
    ['completed', completed],
  ])('given %s (the partner answered), then nothing', (_name, given) => {
    referral.given(given).when(markOverdue()).then([]);
  });
  it('stays overdue after the partner accepts late', () => {
    const { state } = referral.given([made, referralOverdue()]).when(acceptReferral()).thenOk();
    expect(state).toMatchObject({ status: 'accepted', overdue: true });
  });
  it.each([
    ['an admin', admin],
    ['a city officer', cityOfficer],
    ['a partner agent', partnerAgent],
    ['a user called "system" of another organisation', { userId: 'system', organisationId: PARTNER_ID, roles: [] }],
  ] as const)('when %s marks it, then FORBIDDEN', (_name, actor) => {
    referral.given([made]).when(markOverdue({ actor })).thenError({ code: 'FORBIDDEN' });
  });
});

describe('every referral command', () => {
  it.each(['2026-05-06', '2026-05-06T09:00:00+02:00', 'now'])('refuses command time %p', (at) => {
    referral.given([made]).when(acceptReferral({ at })).thenError({ code: 'BAD_USER_INPUT', field: 'at' });
  });
});

describe('contracts', () => {
  it('every referral event type was emitted above and matched its schema', () => {
    expect([...new Set(emittedEvents.map((e) => e.type))].sort()).toEqual([...REFERRAL_EVENT_TYPES].sort());
  });
});
