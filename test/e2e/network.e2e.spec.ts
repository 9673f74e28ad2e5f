import { SignJWT, UnsecuredJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from '@koppelstuk/auth';
import { eventually, startNetwork, type Network } from '../support/network';

/**
 * The product end to end: every service a real process, reached only through the gateway, with real
 * tokens of the development issuer. One referral goes from the city to the partner and back; a second
 * partner tries every door to it; broken, forged and abusive requests are turned away clearly.
 */
const CITY = 'gm0141-almelo';
const PARTNER = 'rabobank';
const OTHER_PARTNER = 'ing';
const SERVICE = 'rabobank-bedrijfsfinanciering';

const MAKE = `mutation($input: MakeReferralInput!) { makeReferral(input: $input) { referral { id version status } warnings { code } } }`;
const makeInput = (n: number) => ({
  clientMutationId: `e2e-make-${n}`,
  cityId: CITY,
  partnerId: PARTNER,
  serviceId: SERVICE,
  needCategory: 'financing',
  needDescription: `Werkkapitaal voor groei, bedrijf ${n}`,
  entrepreneur: { kvkNumber: String(60_000_000 + n), businessName: `E2E Onderneming ${n}`, sizeClass: 'small' },
  contact: { name: `Contactpersoon ${n}`, email: `contact${n}@example.nl` },
  consent: {
    givenBy: `Contactpersoon ${n}`,
    givenAt: new Date(Date.now() - 60_000).toISOString(),
    purpose: 'Doorverwijzing voor financiering',
    expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    anonymousStatistics: true,
  },
});

describe('Koppelstuk end to end, through the gateway', () => {
  let network: Network;
  let city: string;
  let partner: string;
  let otherPartner: string;
  let auditor: string;
  let referralId: string;

  beforeAll(async () => {
    network = await startNetwork('e2e');
    city = await network.token(CITY, 'city_officer');
    partner = await network.token(PARTNER, 'partner_agent');
    otherPartner = await network.token(OTHER_PARTNER, 'partner_agent');
    auditor = await network.token('rekenkamer-g40', 'auditor');
  }, 240_000);
  afterAll(() => network?.stop());

  const statistics = async (token: string) => {
    const result = await network.graphql<{ outcomeStatistics: { referralsMade: number | null; accepted: number | null; financingMobilisedEuros: number | null; suppressed: boolean }[] }>(
      token,
      `{ outcomeStatistics(groupBy: []) { referralsMade accepted financingMobilisedEuros suppressed } }`,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.outcomeStatistics[0] ?? null;
  };

  it('a referral goes from the city to the partner and back, and every view follows', async () => {
    // Five companies, so the city's statistics cell is large enough to be shown (small-cell protection).
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) {
      const made = await network.graphql<{ makeReferral: { referral: { id: string; status: string } } }>(city, MAKE, { input: makeInput(n) });
      expect(made.errors).toBeUndefined();
      ids.push(made.data?.makeReferral.referral.id as string);
    }
    referralId = ids[0] as string;

    const madeAt = Date.now();
    await eventually('the referral in the partner inbox', async () => {
      const inbox = await network.graphql<{ inbox: { edges: { node: { id: string } }[] } }>(partner, `{ inbox(first: 10) { edges { node { id } } } }`);
      return inbox.data?.inbox.edges.some((edge) => edge.node.id === referralId) ? true : null;
    });
    process.stdout.write(`e2e: referral visible in the partner inbox ${Date.now() - madeAt} ms after makeReferral returned\n`);

    const step = async (token: string, mutation: string, inputType: string, extra: Record<string, unknown> = {}) => {
      const result = await network.graphql<Record<string, { referral: { status: string } }>>(
        token,
        `mutation($input: ${inputType}!) { ${mutation}(input: $input) { referral { status } } }`,
        { input: { referralId, ...extra } },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.[mutation]?.referral.status;
    };
    expect(await step(partner, 'acceptReferral', 'ReferralActionInput')).toBe('accepted');
    expect(await step(partner, 'requestInformation', 'RequestInformationInput', { question: 'Kunt u de jaarcijfers van 2025 sturen?' })).toBe('on_hold');
    expect(await step(city, 'provideInformation', 'ProvideInformationInput', { answer: 'De jaarcijfers zijn per mail verstuurd.' })).toBe('accepted');
    const before = await statistics(city);
    expect(
      await step(partner, 'recordOutcome', 'RecordOutcomeInput', { code: 'loan_or_guarantee', amountCents: 15_000_000, occurredAt: new Date().toISOString(), jobsRetained: 8 }),
    ).toBe('in_progress');

    const seen = await network.graphql<{ referral: { status: string; outcomes: { code: string; amountCents: number }[] } }>(
      city,
      `query($id: ID!) { referral(id: $id) { status outcomes { code amountCents } } }`,
      { id: referralId },
    );
    expect(seen.data?.referral).toEqual({ status: 'in_progress', outcomes: [{ code: 'loan_or_guarantee', amountCents: 15_000_000 }] });

    const after = await eventually('the outcome in the city statistics', async () => {
      const cell = await statistics(city);
      return cell && cell.financingMobilisedEuros !== before?.financingMobilisedEuros ? cell : null;
    });
    expect(after).toMatchObject({ referralsMade: 5, accepted: 1, financingMobilisedEuros: 150_000, suppressed: false });

    const history = await eventually('the history for the auditor', async () => {
      const result = await network.graphql<{ referral: { history: { type: string; personalData: string }[] } }>(
        auditor,
        `query($id: ID!) { referral(id: $id) { history { type personalData } } }`,
        { id: referralId },
      );
      return result.data?.referral.history.length === 5 ? result.data.referral.history : null;
    });
    expect(history.map((entry) => entry.type)).toEqual(['ReferralMade', 'ReferralAccepted', 'InformationRequested', 'InformationProvided', 'OutcomeRecorded']);
    expect(history.every((entry) => entry.personalData !== 'visible')).toBe(true);
  });

  it('one query crosses four subgraphs', async () => {
    const result = await network.graphql<{ referral: { status: string; partner: { name: string }; slaDueAt: string; history: { type: string }[]; contact: { name: string } } }>(
      city,
      `query($id: ID!) { referral(id: $id) { status partner { name } slaDueAt history { type } contact { name } } }`,
      { id: referralId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.referral).toMatchObject({ status: 'in_progress', partner: { name: 'Rabobank' }, contact: { name: 'Contactpersoon 1' } });
    expect(Date.parse(result.data?.referral.slaDueAt as string)).toBeGreaterThan(0);
    expect(result.data?.referral.history.length).toBeGreaterThanOrEqual(5);
  });

  it('a second partner sees none of it: not by inbox, referral, _entities, statistics or history', async () => {
    const inbox = await network.graphql<{ inbox: { totalCount: number } }>(otherPartner, `{ inbox { totalCount } }`);
    expect(inbox.data?.inbox.totalCount).toBe(0);
    const direct = await network.graphql<{ referral: unknown }>(otherPartner, `query($id: ID!) { referral(id: $id) { id status history { type } } }`, { id: referralId });
    expect(direct.errors).toBeUndefined();
    expect(direct.data?.referral).toBeNull();
    const entities = await network.graphql<{ _entities: unknown[] }>(
      otherPartner,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id status slaDueAt history { type } } } }`,
      { r: [{ __typename: 'Referral', id: referralId }] },
    );
    // The gateway does not expose _entities: a client cannot reach entity lookups through it at all.
    expect(entities.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const stats = await network.graphql<{ outcomeStatistics: { referralsMade: number | null }[] }>(
      otherPartner,
      `{ outcomeStatistics(groupBy: [], filter: { partnerId: "${PARTNER}" }) { referralsMade } }`,
    );
    expect(stats.data?.outcomeStatistics ?? []).toEqual([]);
    const asOf = await network.graphql<{ referralAsOf: unknown }>(otherPartner, `query($id: ID!, $at: DateTime!) { referralAsOf(id: $id, at: $at) { status } }`, {
      id: referralId,
      at: new Date().toISOString(),
    });
    expect(asOf.data?.referralAsOf ?? null).toBeNull();
    const log = await network.graphql<{ auditLog: { edges: { node: { stream: string } }[] } }>(otherPartner, `{ auditLog(first: 100) { edges { node { stream } } } }`);
    expect(log.data?.auditLog.edges.filter((edge) => edge.node.stream === `referral-${referralId}`) ?? []).toEqual([]);
  });

  describe('refuses bad tokens', () => {
    const ask = (token: string) => network.graphql(token, `{ inbox { totalCount } }`);
    const expectUnauthenticated = async (token: string) => {
      const result = await ask(token);
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    };

    it('forged (another key)', async () => {
      const forger = await DevIssuer.ephemeral();
      await expectUnauthenticated(await forger.issue({ userId: 'x', organisationId: PARTNER, roles: ['partner_agent'] }));
    });
    it('expired', async () => {
      await expectUnauthenticated(await network.issuer.issue({ userId: 'x', organisationId: PARTNER, roles: ['partner_agent'], expiresInSeconds: -120 }));
    });
    it('from another issuer', async () => {
      await expectUnauthenticated(await network.issuer.issue({ userId: 'x', organisationId: PARTNER, roles: ['partner_agent'], issuer: 'https://login.example.org' }));
    });
    it('for another audience', async () => {
      await expectUnauthenticated(await network.issuer.issue({ userId: 'x', organisationId: PARTNER, roles: ['partner_agent'], audience: 'another-api' }));
    });
    it('unsigned (alg: none)', async () => {
      await expectUnauthenticated(
        new UnsecuredJWT({ org: PARTNER, roles: ['admin'] }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h').encode(),
      );
    });
    it('signed with a shared secret', async () => {
      const token = await new SignJWT({ org: PARTNER, roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('guessable-secret-guessable-secret'));
      await expectUnauthenticated(token);
    });
    it('missing', async () => {
      const result = await network.graphql(null, `{ inbox { totalCount } }`);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('refuses abusive and broken requests, clearly', () => {
    it('a query nested 50 deep', async () => {
      const deep = `{ organisations { ${'services { organisation { '.repeat(25)}id${' } }'.repeat(25)} } }`;
      const result = await network.graphql(partner, deep);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.message).toMatch(/depth/i);
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
    it('a query that asks for too much', async () => {
      const result = await network.graphql(partner, `{ inbox(first: 100) { edges { node { journey { partner { services { organisation { services { organisation { services { name } } } } } } } } } } }`);
      expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    });
    it('a 2 MB body', async () => {
      const response = await network.post(JSON.stringify({ query: `{ inbox { totalCount } }`, padding: 'x'.repeat(2 * 1024 * 1024) }), { authorization: `Bearer ${partner}` });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });
    it('malformed JSON', async () => {
      const response = await network.post('{"query": "{ inbox { totalCount } }"', { authorization: `Bearer ${partner}` });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).errors[0]).toMatchObject({ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
    });
    it('a query that does not parse, and an operation name that does not exist', async () => {
      const broken = await network.graphql(partner, `{ inbox { totalCount `);
      expect(broken.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      const response = await network.post(JSON.stringify({ query: `query A { inbox { totalCount } }`, operationName: 'B' }), { authorization: `Bearer ${partner}` });
      expect(JSON.parse(response.body).errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    });
    it('an unknown field', async () => {
      const result = await network.graphql(partner, `{ inboks { totalCount } }`);
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});
