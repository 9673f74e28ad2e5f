import type { ServiceUnderTest } from '@koppelstuk/testing';
import {
  errorOf,
  eventCounts,
  FORWARD_SERVICE_ID,
  giveConsent,
  inDays,
  MAKE_REFERRAL,
  makeInput,
  makeReferral,
  minutesAgo,
  mutate,
  ORG,
  randomId,
  referralStream,
  startReferrals,
  step,
  subjectStream,
  tokensFor,
  type ReferralMutation,
  type Tokens,
} from './helpers';

/** Every refused command is answered with a typed error and leaves nothing behind: no event in any stream. */
describe('referrals subgraph: refused commands append nothing', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  beforeAll(async () => {
    service = await startReferrals('refusals');
    t = await tokensFor(service);
  });
  afterAll(() => service?.close());

  /** A referral brought into a given status by the legitimate callers. */
  async function referralIn(status: 'sent' | 'accepted' | 'in_progress' | 'on_hold' | 'declined' | 'withdrawn' | 'completed' | 'forwarded'): Promise<string> {
    const { referral } = await makeReferral(service, t.city);
    const referralId = referral.id;
    const occurredAt = new Date().toISOString();
    switch (status) {
      case 'sent':
        break;
      case 'accepted':
        await step(service, t.partner, 'acceptReferral', { referralId });
        break;
      case 'in_progress':
        await step(service, t.partner, 'acceptReferral', { referralId });
        await step(service, t.partner, 'startWork', { referralId });
        break;
      case 'on_hold':
        await step(service, t.partner, 'requestInformation', { referralId, question: 'Jaarcijfers?' });
        break;
      case 'declined':
        await step(service, t.partner, 'declineReferral', { referralId, reason: 'no_capacity' });
        break;
      case 'withdrawn':
        await step(service, t.city, 'withdrawReferral', { referralId, reason: 'Niet meer nodig' });
        break;
      case 'completed':
        await step(service, t.partner, 'acceptReferral', { referralId });
        await step(service, t.partner, 'recordOutcome', { referralId, code: 'advice_given', occurredAt });
        await step(service, t.partner, 'closeReferral', { referralId });
        break;
      case 'forwarded':
        await giveConsent(service, t.city, referral.consent.subjectId, ORG.forwardPartner);
        await step(service, t.partner, 'forwardReferral', { referralId, toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID });
        break;
    }
    return referralId;
  }

  /** Runs a refused command and proves that neither the referral's stream nor the global log changed. */
  async function expectRefused(referralId: string, token: string, mutation: ReferralMutation, input: Record<string, unknown>, code: string, field?: string) {
    const before = await eventCounts(service, [referralStream(referralId)]);
    const response = await mutate(service, token, mutation, { referralId, ...input });
    expect(errorOf(response)).toMatchObject({ code, ...(field ? { field } : {}) });
    expect(response.data).toBeNull();
    expect(await eventCounts(service, [referralStream(referralId)])).toEqual(before);
  }

  describe('forbidden transitions: INVALID_TRANSITION', () => {
    const now = () => new Date().toISOString();
    const cases: [string, Parameters<typeof referralIn>[0], 'city' | 'partner', ReferralMutation, () => Record<string, unknown>][] = [
      ['accept an accepted referral', 'accepted', 'partner', 'acceptReferral', () => ({})],
      ['accept a declined referral', 'declined', 'partner', 'acceptReferral', () => ({})],
      ['accept a withdrawn referral', 'withdrawn', 'partner', 'acceptReferral', () => ({})],
      ['decline an accepted referral', 'accepted', 'partner', 'declineReferral', () => ({ reason: 'no_capacity' })],
      ['start work on a sent referral', 'sent', 'partner', 'startWork', () => ({})],
      ['start work on a referral on hold', 'on_hold', 'partner', 'startWork', () => ({})],
      ['ask for information on work in progress', 'in_progress', 'partner', 'requestInformation', () => ({ question: 'Nog iets?' })],
      ['provide information nobody asked for', 'accepted', 'city', 'provideInformation', () => ({ answer: 'Alsnog' })],
      ['record an outcome for a sent referral', 'sent', 'partner', 'recordOutcome', () => ({ code: 'advice_given', occurredAt: now() })],
      ['record an outcome for a declined referral', 'declined', 'partner', 'recordOutcome', () => ({ code: 'advice_given', occurredAt: now() })],
      ['close a referral without an outcome', 'in_progress', 'partner', 'closeReferral', () => ({})],
      ['close a completed referral again', 'completed', 'partner', 'closeReferral', () => ({})],
      ['forward a declined referral', 'declined', 'partner', 'forwardReferral', () => ({ toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID })],
      ['forward a forwarded referral again', 'forwarded', 'partner', 'forwardReferral', () => ({ toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID })],
      ['withdraw a completed referral', 'completed', 'city', 'withdrawReferral', () => ({ reason: 'Te laat' })],
      ['withdraw a declined referral', 'declined', 'city', 'withdrawReferral', () => ({ reason: 'Te laat' })],
      ['withdraw a forwarded referral', 'forwarded', 'city', 'withdrawReferral', () => ({ reason: 'Te laat' })],
    ];
    it.each(cases)('%s', async (_name, status, who, mutation, input) => {
      const referralId = await referralIn(status);
      await expectRefused(referralId, who === 'city' ? t.city : t.partner, mutation, input(), 'INVALID_TRANSITION');
    });
  });

  describe('bad input: BAD_USER_INPUT (or GraphQL validation), nothing appended', () => {
    /** makeReferral with a client-chosen referral and subject id, so both streams can be checked for emptiness. */
    async function expectMakeRefused(overrides: Record<string, unknown>, code: string, field?: string) {
      const referralId = randomId();
      const subjectId = randomId();
      const streams = [referralStream(referralId), subjectStream(subjectId)];
      const before = await eventCounts(service, streams);
      const response = await service.graphql(t.city, MAKE_REFERRAL, { input: makeInput({ referralId, subjectId, ...overrides }) });
      expect(errorOf(response)).toMatchObject({ code, ...(field ? { field } : {}) });
      expect(response.data).toBeNull();
      expect(await eventCounts(service, streams)).toEqual(before);
      expect(before[referralStream(referralId)]).toBe(0);
      expect(before[subjectStream(subjectId)]).toBe(0);
      return response;
    }

    it('a KvK number of 7 digits', async () => {
      const response = await expectMakeRefused(
        { entrepreneur: { kvkNumber: '1234567', businessName: 'Klein BV', sizeClass: 'micro' } },
        'BAD_USER_INPUT',
        'entrepreneur.kvkNumber',
      );
      expect(response.errors?.[0]?.message).toBe('A KvK number has exactly 8 digits');
    });

    it('an unknown service, a service of another partner, an unknown partner', async () => {
      await expectMakeRefused({ serviceId: 'rabobank-ruimtevaart' }, 'BAD_USER_INPUT', 'serviceId');
      await expectMakeRefused({ serviceId: 'ing-zakelijk-krediet' }, 'BAD_USER_INPUT', 'serviceId');
      await expectMakeRefused({ partnerId: 'bank-die-niet-bestaat' }, 'BAD_USER_INPUT', 'partnerId');
    });

    it('errors name the field as the client wrote it in the GraphQL input', async () => {
      await expectMakeRefused({ contact: { name: 'Jan de Vries' } }, 'BAD_USER_INPUT', 'contact.email');
      await expectMakeRefused({ contact: { name: ' ', email: 'jan@example.nl' } }, 'BAD_USER_INPUT', 'contact.name');
      await expectMakeRefused({ needDescription: '  ' }, 'BAD_USER_INPUT', 'needDescription');
      const referralId = await referralIn('sent');
      await expectRefused(referralId, t.partner, 'declineReferral', { reason: 'other' }, 'BAD_USER_INPUT', 'explanation');
    });

    it('a service that does not cover the need', async () => {
      await expectMakeRefused({ needCategory: 'permits' }, 'BAD_USER_INPUT', 'needCategory');
    });

    it('a malformed DateTime (variable and literal)', async () => {
      const response = await expectMakeRefused(
        { consent: { givenBy: 'Jan', givenAt: 'gisteren', purpose: 'x', expiresAt: inDays(30), anonymousStatistics: true } },
        'BAD_USER_INPUT',
      );
      expect(response.errors?.[0]?.message).toContain('A DateTime is an ISO 8601 instant');

      const referralId = await referralIn('accepted');
      const before = await eventCounts(service, [referralStream(referralId)]);
      const literal = await service.graphql(
        t.partner,
        `mutation { recordOutcome(input: { referralId: "${referralId}", code: advice_given, occurredAt: "31-02-2026" }) { referral { id } } }`,
      );
      expect(errorOf(literal)?.code).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
      expect(literal.data).toBeNull();
      const variable = await mutate(service, t.partner, 'recordOutcome', { referralId, code: 'advice_given', occurredAt: '2026-13-01T00:00:00Z' });
      expect(errorOf(variable)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('DateTime') });
      expect(await eventCounts(service, [referralStream(referralId)])).toEqual(before);
    });

    it('a negative, fractional or missing amountCents', async () => {
      const referralId = await referralIn('accepted');
      const occurredAt = new Date().toISOString();
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'financing_granted', amountCents: -100, occurredAt }, 'BAD_USER_INPUT');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'financing_granted', amountCents: 12.5, occurredAt }, 'BAD_USER_INPUT');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'financing_granted', occurredAt }, 'BAD_USER_INPUT', 'amountCents');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'advice_given', amountCents: 100, occurredAt }, 'BAD_USER_INPUT', 'amountCents');
      const negative = await mutate(service, t.partner, 'recordOutcome', { referralId, code: 'financing_granted', amountCents: -100, occurredAt });
      expect(negative.errors?.[0]?.message).toContain('Cents are a whole, non-negative number');
    });

    it('an outcome in the future, before the referral, or negative job counts', async () => {
      const referralId = await referralIn('accepted');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'advice_given', occurredAt: inDays(2) }, 'BAD_USER_INPUT', 'occurredAt');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'advice_given', occurredAt: '2020-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'occurredAt');
      await expectRefused(referralId, t.partner, 'recordOutcome', { code: 'advice_given', occurredAt: new Date().toISOString(), jobsCreated: -3 }, 'BAD_USER_INPUT', 'jobsCreated');
    });

    it('an unknown enum value or a missing required field: GraphQL validation, nothing appended', async () => {
      const referralId = await referralIn('sent');
      await expectRefused(referralId, t.partner, 'declineReferral', { reason: 'bored' }, 'BAD_USER_INPUT');
      const before = await eventCounts(service);
      const missing = await service.graphql(t.partner, `mutation { declineReferral(input: { referralId: "${referralId}" }) { referral { id } } }`);
      expect(errorOf(missing)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await eventCounts(service)).toEqual(before);
    });

    it('empty texts: a blank question, answer or withdrawal reason', async () => {
      const sent = await referralIn('sent');
      await expectRefused(sent, t.partner, 'requestInformation', { question: '   ' }, 'BAD_USER_INPUT', 'question');
      await expectRefused(sent, t.city, 'withdrawReferral', { reason: '' }, 'BAD_USER_INPUT', 'reason');
      const onHold = await referralIn('on_hold');
      await expectRefused(onHold, t.city, 'provideInformation', { answer: ' ' }, 'BAD_USER_INPUT', 'answer');
    });

    it('forwarding to the same partner, or to a service the new partner does not offer', async () => {
      const referralId = await referralIn('accepted');
      await expectRefused(referralId, t.partner, 'forwardReferral', { toPartnerId: ORG.partner, toServiceId: 'rabobank-duurzaam-ondernemen' }, 'BAD_USER_INPUT', 'toPartnerId');
      await expectRefused(referralId, t.partner, 'forwardReferral', { toPartnerId: ORG.forwardPartner, toServiceId: 'rvo-wbso' }, 'BAD_USER_INPUT', 'toServiceId');
    });
  });

  describe('missing or invalid consent: refused, nothing appended anywhere', () => {
    it('makeReferral with a consent that has already expired: refused, no ConsentGiven and no ReferralMade', async () => {
      const referralId = randomId();
      const subjectId = randomId();
      const streams = [referralStream(referralId), subjectStream(subjectId)];
      const before = await eventCounts(service, streams);
      const response = await service.graphql(t.city, MAKE_REFERRAL, {
        input: makeInput({ referralId, subjectId, consent: { givenBy: 'Jan', givenAt: minutesAgo(60 * 24 * 400), purpose: 'Doorverwijzing', expiresAt: minutesAgo(60 * 24), anonymousStatistics: true } }),
      });
      expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', message: 'The consent must expire in the future' });
      expect(await eventCounts(service, streams)).toEqual(before);
      expect(before).toMatchObject({ [referralStream(referralId)]: 0, [subjectStream(subjectId)]: 0 });
    });

    it('a valid consent but a refused referral leaves no ConsentGiven behind', async () => {
      const referralId = randomId();
      const subjectId = randomId();
      const streams = [referralStream(referralId), subjectStream(subjectId)];
      const response = await service.graphql(t.city, MAKE_REFERRAL, {
        input: makeInput({ referralId, subjectId, clientMutationId: 'refused-make', needCategory: 'innovation' }),
      });
      expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'needCategory' });
      expect(await eventCounts(service, streams)).toMatchObject({ [referralStream(referralId)]: 0, [subjectStream(subjectId)]: 0 });
    });

    it('makeReferral under an id already taken (with another idempotency key) is refused and leaves no ConsentGiven behind', async () => {
      const referralId = randomId();
      await makeReferral(service, t.city, { referralId, clientMutationId: 'first-make' });
      const subjectId = randomId();
      const before = await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)]);
      const again = await service.graphql(t.city, MAKE_REFERRAL, { input: makeInput({ referralId, subjectId, clientMutationId: 'second-make' }) });
      expect(errorOf(again)).toMatchObject({ code: 'INVALID_TRANSITION' });
      expect(await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)])).toEqual(before);
      expect(before[subjectStream(subjectId)]).toBe(0);
    });

    it('makeReferral for a person whose data was erased: refused, nothing appended', async () => {
      const { referral } = await makeReferral(service, t.city);
      const subjectId = referral.consent.subjectId;
      const erased = await service.graphql(t.city, `mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { subject { erased } } }`, {
        input: { subjectId, reason: 'erasure_request' },
      });
      expect(erased.errors).toBeUndefined();
      const referralId = randomId();
      const before = await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)]);
      const response = await service.graphql(t.city, MAKE_REFERRAL, { input: makeInput({ referralId, subjectId }) });
      expect(errorOf(response)?.code).toMatch(/^(INVALID_TRANSITION|BAD_USER_INPUT)$/);
      expect(await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)])).toEqual(before);
    });

    it('forwarding under a withdrawn consent: BAD_USER_INPUT on consent, nothing appended', async () => {
      const { referral } = await makeReferral(service, t.city);
      const consentId = await giveConsent(service, t.city, referral.consent.subjectId, ORG.forwardPartner);
      const withdrawn = await service.graphql(t.city, `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, {
        input: { subjectId: referral.consent.subjectId, consentId },
      });
      expect(withdrawn.errors).toBeUndefined();
      const before = await eventCounts(service, [referralStream(referral.id), subjectStream(referral.consent.subjectId)]);
      const response = await mutate(service, t.partner, 'forwardReferral', { referralId: referral.id, toPartnerId: ORG.forwardPartner, toServiceId: FORWARD_SERVICE_ID });
      expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consent', message: 'The consent has been withdrawn' });
      expect(await eventCounts(service, [referralStream(referral.id), subjectStream(referral.consent.subjectId)])).toEqual(before);
    });

    it('forwarding under a consent that has expired since: BAD_USER_INPUT, nothing appended', async () => {
      const { referral } = await makeReferral(service, t.city);
      // A consent for the target partner that runs out in a second; then wait until it has.
      const expiresAt = new Date(Date.now() + 1_000).toISOString();
      await giveConsent(service, t.city, referral.consent.subjectId, 'ing', { expiresAt });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now() + 50)));
      const before = await eventCounts(service, [referralStream(referral.id), subjectStream(referral.consent.subjectId)]);
      const response = await mutate(service, t.partner, 'forwardReferral', { referralId: referral.id, toPartnerId: 'ing', toServiceId: 'ing-zakelijk-krediet' });
      expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', message: 'The consent has expired' });
      expect(await eventCounts(service, [referralStream(referral.id), subjectStream(referral.consent.subjectId)])).toEqual(before);
    });
  });
});
