import { DevIssuer } from '@koppelstuk/auth';
import type { GraphQLResponse, ServiceUnderTest } from '@koppelstuk/testing';
import {
  errorOf,
  eventCounts,
  giveConsent,
  MAKE_REFERRAL,
  makeInput,
  makeReferral,
  mutate,
  ORG,
  randomId,
  readReferral,
  REFERRAL_MUTATIONS,
  referralStream,
  startReferrals,
  step,
  subjectStream,
  tokensFor,
  validInputFor,
  type ReferralMutation,
  type Tokens,
} from './helpers';

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id status } } }`;
const CITY_STEPS: readonly ReferralMutation[] = ['provideInformation', 'withdrawReferral'];
const PARTNER_STEPS = REFERRAL_MUTATIONS.filter((m) => !CITY_STEPS.includes(m));

/** What a caller gets back, minus nothing: tenancy demands byte-identical answers. */
const wire = (response: GraphQLResponse<unknown>) => JSON.stringify({ status: response.status, data: response.data, errors: response.errors });

/**
 * DESIGN.md §3/§5: a partner never reads or changes another organisation's referral, through any query,
 * mutation, entity lookup or error message; auditors and admins read masked and never act.
 */
describe('referrals subgraph: tenancy and authentication', () => {
  let service: ServiceUnderTest;
  let t: Tokens;
  let referralId: string;
  let subjectId: string;
  beforeAll(async () => {
    service = await startReferrals('tenancy');
    t = await tokensFor(service);
    const made = await makeReferral(service, t.city, { needDescription: 'Overname van een installatiebedrijf', contact: { name: 'Sanne Kuipers', email: 'sanne@kuipers.nl' } });
    referralId = made.referral.id;
    subjectId = made.referral.consent.subjectId;
    // With a consent for the forward partner, forwardReferral would succeed for the right caller.
    await giveConsent(service, t.city, subjectId, ORG.forwardPartner);
  });
  afterAll(() => service?.close());

  const outsiders = () =>
    [
      ['a partner agent of another organisation', t.otherPartner],
      ['a city officer of another city', t.otherCity],
    ] as const;

  it('outsiders get `referral: null`, exactly as for an id that does not exist', async () => {
    for (const [, token] of outsiders()) {
      const fields = 'id status contact { name } needDescription';
      const existing = await readReferral(service, token, referralId, fields);
      const missing = await readReferral(service, token, randomId(), fields);
      expect(existing.errors).toBeUndefined();
      expect(existing.data).toEqual({ referral: null });
      expect(wire(existing)).toBe(wire(missing));
    }
  });

  it('outsiders get null from the federation entity lookup', async () => {
    for (const [, token] of outsiders()) {
      const response = await service.graphql<{ _entities: unknown[] }>(token, ENTITIES, { r: [{ __typename: 'Referral', id: referralId }] });
      expect(response.errors).toBeUndefined();
      expect(response.data?._entities).toEqual([null]);
    }
    const own = await service.graphql<{ _entities: unknown[] }>(t.partner, ENTITIES, { r: [{ __typename: 'Referral', id: referralId }] });
    expect(own.data?._entities).toEqual([{ id: referralId, status: 'sent' }]);
  });

  it.each(REFERRAL_MUTATIONS)('outsiders get NOT_FOUND from %s, byte-identical to the answer for a random id, and nothing is appended', async (mutation) => {
    for (const [, token] of outsiders()) {
      const before = await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)]);
      const existing = await mutate(service, token, mutation, validInputFor(mutation, referralId));
      const missingId = randomId();
      const missing = await mutate(service, token, mutation, validInputFor(mutation, missingId));
      expect(errorOf(existing)).toMatchObject({ code: 'NOT_FOUND' });
      expect(wire(existing)).toBe(wire(missing).replace(missingId, referralId));
      expect(await eventCounts(service, [referralStream(referralId), subjectStream(subjectId)])).toEqual(before);
    }
  });

  it.each(REFERRAL_MUTATIONS)('outsiders naming an expectedVersion still learn nothing from %s (no CONFLICT that reveals a version)', async (mutation) => {
    for (const [, token] of outsiders()) {
      for (const expectedVersion of [0, 7]) {
        const existing = await mutate(service, token, mutation, { ...validInputFor(mutation, referralId), expectedVersion });
        const missingId = randomId();
        const missing = await mutate(service, token, mutation, { ...validInputFor(mutation, missingId), expectedVersion });
        expect(errorOf(existing)).toMatchObject({ code: 'NOT_FOUND' });
        expect(wire(existing)).toBe(wire(missing).replace(missingId, referralId));
      }
    }
  });

  it('an auditor and an admin see the referral with personal data masked and no contact', async () => {
    for (const token of [t.auditor, t.admin]) {
      const read = await readReferral(service, token, referralId, 'id status personalData contact { name } needDescription informationExchanges { question }');
      expect(read.errors).toBeUndefined();
      expect(read.data?.referral).toEqual({ id: referralId, status: 'sent', personalData: 'masked', contact: null, needDescription: null, informationExchanges: [] });
      const entity = await service.graphql<{ _entities: unknown[] }>(token, ENTITIES, { r: [{ __typename: 'Referral', id: referralId }] });
      expect(entity.data?._entities).toEqual([{ id: referralId, status: 'sent' }]);
    }
  });

  it.each(REFERRAL_MUTATIONS)('auditors and admins get FORBIDDEN from %s, nothing appended', async (mutation) => {
    for (const token of [t.auditor, t.admin, t.cityAuditor]) {
      const before = await eventCounts(service, [referralStream(referralId)]);
      const response = await mutate(service, token, mutation, validInputFor(mutation, referralId));
      expect(errorOf(response)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await eventCounts(service, [referralStream(referralId)])).toEqual(before);
    }
  });

  it('auditors, admins, partners and other cities cannot make referrals or record consent for a city', async () => {
    const before = await eventCounts(service);
    for (const token of [t.auditor, t.admin, t.partner, t.otherCity]) {
      const made = await service.graphql(token, MAKE_REFERRAL, { input: makeInput() });
      expect(errorOf(made)).toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const token of [t.auditor, t.admin, t.partner]) {
      const given = await service.graphql(token, `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id } }`, {
        input: { subjectId: randomId(), cityId: ORG.city, partnerId: ORG.partner, givenBy: 'X', givenAt: new Date(Date.now() - 60_000).toISOString(), purpose: 'p', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), anonymousStatistics: false },
      });
      expect(errorOf(given)).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await eventCounts(service)).toEqual(before);
  });

  it.each(PARTNER_STEPS)('the officer of the referring city gets FORBIDDEN from the partner step %s', async (mutation) => {
    const before = await eventCounts(service, [referralStream(referralId)]);
    const response = await mutate(service, t.city, mutation, validInputFor(mutation, referralId));
    expect(errorOf(response)).toMatchObject({ code: 'FORBIDDEN', message: 'Only an agent of the partner the referral is addressed to can do this' });
    expect(await eventCounts(service, [referralStream(referralId)])).toEqual(before);
  });

  it('the partner gets FORBIDDEN from the city steps provideInformation and withdrawReferral', async () => {
    const { referral } = await makeReferral(service, t.city);
    await step(service, t.partner, 'requestInformation', { referralId: referral.id, question: 'Omzet?' });
    const before = await eventCounts(service, [referralStream(referral.id)]);
    for (const mutation of CITY_STEPS) {
      const response = await mutate(service, t.partner, mutation, validInputFor(mutation, referral.id));
      expect(errorOf(response)).toMatchObject({ code: 'FORBIDDEN', message: 'Only an officer of the referring city can do this' });
    }
    expect(await eventCounts(service, [referralStream(referral.id)])).toEqual(before);
  });

  it("another city's officer cannot see, change or erase the person, and learns nothing an unknown id would not tell", async () => {
    const query = `query($id: ID!) { subject(id: $id) { id } }`;
    expect((await service.graphql(t.otherCity, query, { id: subjectId })).data).toEqual({ subject: null });
    const before = await eventCounts(service, [subjectStream(subjectId)]);
    const operations = [
      [`mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, (id: string) => ({ subjectId: id, consentId: randomId() })],
      [`mutation($input: EraseSubjectInput!) { eraseSubject(input: $input) { subject { id } } }`, (id: string) => ({ subjectId: id, reason: 'erasure_request' })],
    ] as const;
    for (const token of [t.otherCity, t.otherPartner, t.partner, t.auditor]) {
      for (const [mutation, input] of operations) {
        const existing = await service.graphql(token, mutation, { input: input(subjectId) });
        const missing = await service.graphql(token, mutation, { input: input(randomId()) });
        expect(errorOf(existing)).toMatchObject({ code: 'NOT_FOUND' });
        expect(wire(existing)).toBe(wire(missing));
      }
    }
    expect(await eventCounts(service, [subjectStream(subjectId)])).toEqual(before);
  });

  describe('authentication', () => {
    const operations = () => [
      ['the referral query', `query($id: ID!) { referral(id: $id) { id } }`, { id: referralId }],
      ['a mutation', `mutation($input: ReferralActionInput!) { acceptReferral(input: $input) { referral { id } } }`, { input: { referralId } }],
    ] as const;

    it('no token: UNAUTHENTICATED, nothing read or appended', async () => {
      const before = await eventCounts(service);
      for (const [, query, variables] of operations()) {
        const response = await service.graphql(null, query, variables);
        expect(errorOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
        expect(response.data).toBeNull();
      }
      expect(await eventCounts(service)).toEqual(before);
    });

    it('a token signed by another issuer (same claims): UNAUTHENTICATED, nothing read or appended', async () => {
      const forger = await DevIssuer.ephemeral();
      const forged = await forger.issue({ userId: 'rabobank.partner_agent', organisationId: ORG.partner, roles: ['partner_agent'] });
      const before = await eventCounts(service);
      for (const [, query, variables] of operations()) {
        const response = await service.graphql(forged, query, variables);
        expect(errorOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
        expect(response.data).toBeNull();
      }
      expect(await eventCounts(service)).toEqual(before);
    });

    it('a token of the right issuer for another audience, or not a JWT at all: UNAUTHENTICATED', async () => {
      const wrongAudience = await service.issuer.issue({ userId: 'u', organisationId: ORG.partner, roles: ['partner_agent'], audience: 'someone-else' });
      for (const token of [wrongAudience, 'not-a-token']) {
        const response = await service.graphql(token, `query($id: ID!) { referral(id: $id) { id } }`, { id: referralId });
        expect(errorOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
        expect(response.data).toBeNull();
      }
    });
  });
});
