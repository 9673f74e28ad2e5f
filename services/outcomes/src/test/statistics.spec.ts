import { loadEventContracts } from '@koppelstuk/domain/testing';
import { ProjectionRunners } from '@koppelstuk/service-kit';
import { startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { OutcomesModule } from '../app.module';
import { loadOutcomesConfig } from '../config';
import { CITY, PARTNER, appendReferrals, referralStreams } from './fixtures';
import { FIXTURE, STATISTICS, STATISTICS_AS_OF, id, type Cell } from './statistics-fixture';

const { almelo, apeldoorn, zwolle } = CITY;
const { rabobank, oostNl, provincie } = PARTNER;

describe('outcome statistics', () => {
  let service: ServiceUnderTest;
  let auditor: string;
  let admin: string;

  const cells = async (token: string | null, variables: Record<string, unknown>, query = STATISTICS): Promise<Cell[]> => {
    const result = await service.graphql<Record<string, Cell[]>>(token, query, variables);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data ?? {})[0] as Cell[];
  };
  const cellOf = (list: Cell[], predicate: (cell: Cell) => boolean): Cell => {
    const found = list.filter(predicate);
    expect(found).toHaveLength(1);
    return found[0] as Cell;
  };

  beforeAll(async () => {
    service = await startServiceForTest((env) => OutcomesModule.forRoot(loadOutcomesConfig(env)), { label: 'outcomes_statistics' });
    const last = await appendReferrals(service.store, FIXTURE);
    await service.app.get(ProjectionRunners).get('outcomes').waitForPosition(last, 15_000);
    auditor = await service.token('rekenkamer-g40', 'auditor');
    admin = await service.token('g40-programmabureau', 'admin');
  });
  afterAll(() => service?.close());

  it('fixture events match the event catalogue (schema/events, stored form)', () => {
    const { validators } = loadEventContracts();
    const problems: string[] = [];
    for (const spec of FIXTURE) {
      for (const { events } of referralStreams(spec)) {
        for (const event of events) {
          const validate = validators.get(event.type);
          if (!validate || !validate(event.data)) problems.push(`${event.type}: ${JSON.stringify(validate?.errors ?? 'no schema')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('equals the hand-computed figures of Almelo (group by city)', async () => {
    const almeloCell = cellOf(await cells(auditor, { groupBy: ['city'] }), (cell) => cell.city?.id === almelo);
    // Counted referrals of Almelo: a1-a9, a7f, a11, a12 = 12 (a10 has no consent for statistics).
    // Entrepreneurs: KvK 01 (a1, a6), 02, 03, 04, 05, 06 (a7, a7f), 07, 08, 10, 11 = 10 distinct.
    // Accepted: a1, a2, a4, a5, a7f, a12 = 6. Declined: a3 and a11 (no_capacity), a6 (not_eligible) = 3.
    // Acceptance rate 6 / (6 + 3). Withdrawn: a8. Forwarded: a7. Completed (closed): a1, a2, a4.
    // Outcomes: financing_granted (a1), subsidy_granted (a5, a7f), loan_or_guarantee (a2), advice_given (a4).
    // Financing: a1 €50,000 + a2 €25,000 (loan) = €75,000; subsidy: a5 €10,000 + a7f €5,000 = €15,000.
    // Jobs retained a1 3 + a2 5 = 8; created a1 1 + a5 2 = 3.
    // Days to first response: a1 1, a2 2, a3 3, a4 1.5 (information request), a5 8, a6 0.5, a7 2 (forward),
    // a7f 1, a11 10, a12 1 (a8 withdrawn unanswered, a9 never answered) → sorted
    // [0.5, 1, 1, 1, 1.5, 2, 2, 3, 8, 10]: median at index 4.5 = (1.5 + 2) / 2 = 1.75;
    // p90 at index 0.9 × 9 = 8.1 = 8 + 0.1 × (10 − 8) = 8.2.
    // Days to first outcome: a4 10, a7f 15, a1 20, a2 30, a5 40: median 20; p90 at index 3.6 = 30 + 0.6 × 10 = 36.
    // SLA share: the 10 answered referrals plus a9 (deadline passed, never answered) = 11; a8 was withdrawn
    // before its deadline. In time (≤ 7.58 days): all answered but a5 (8) and a11 (10) = 8 → 8 / 11.
    expect(almeloCell).toEqual({
      city: { id: almelo },
      partner: null,
      partnerKind: null,
      needCategory: null,
      period: null,
      entrepreneurs: 10,
      referralsMade: 12,
      accepted: 6,
      declined: 3,
      declinedByReason: [
        { reason: 'no_capacity', count: 2 },
        { reason: 'not_eligible', count: 1 },
      ],
      withdrawn: 1,
      forwarded: 1,
      completed: 3,
      outcomesByCode: [
        { code: 'financing_granted', count: 1 },
        { code: 'subsidy_granted', count: 2 },
        { code: 'loan_or_guarantee', count: 1 },
        { code: 'advice_given', count: 1 },
      ],
      financingMobilisedEuros: 75_000,
      subsidyMobilisedEuros: 15_000,
      jobsRetained: 8,
      jobsCreated: 3,
      acceptanceRate: expect.closeTo(6 / 9, 12),
      medianDaysToFirstResponse: expect.closeTo(1.75, 9),
      p90DaysToFirstResponse: expect.closeTo(8.2, 9),
      medianDaysToOutcome: expect.closeTo(20, 9),
      p90DaysToOutcome: expect.closeTo(36, 9),
      answeredWithinSlaShare: expect.closeTo(8 / 11, 12),
      suppressed: false,
    });
  });

  it('equals the hand-computed figures of Rabobank × financing (group by partner and need)', async () => {
    const list = await cells(auditor, { groupBy: ['partner', 'need_category'] });
    const cell = cellOf(list, (c) => c.partner?.id === rabobank.id && c.needCategory === 'financing');
    // a1, a2, a3, a11, a12 (Almelo), b1, b2 (Apeldoorn), b3-b6 (Zwolle) = 11 referrals, 11 distinct KvK numbers.
    // Accepted: a1, a2, a12, b1, b4, b5 = 6. Declined: a3, a11 (no_capacity), b6 (missing_information),
    // b2 (entrepreneur_unreachable) = 4 → acceptance 6 / 10. Withdrawn: b3. Completed: a1, a2, b1.
    // Outcomes: financing_granted a1, b1; loan_or_guarantee a2, b5; no_fit b4.
    // Financing: 50,000 + 120,000.50 + 25,000 + 30,000 = €225,000.50; no subsidy.
    // Jobs retained 3 + 5 + 10 + 2 = 20; created 1 + 4 = 5.
    // First response: b1 0.25, a1 1, a12 1, b6 1, a2 2, b5 2, a3 3, b4 3, b2 5, a11 10 → median (2 + 2) / 2 = 2;
    // p90 at index 8.1 = 5 + 0.1 × (10 − 5) = 5.5.
    // First outcome: b4 12, a1 20, b1 25, a2 30, b5 50 → median 25; p90 at 3.6 = 30 + 0.6 × 20 = 42.
    // SLA: 10 answered + b3 (withdrawn after its deadline, unanswered) = 11; late: a11 → 9 / 11.
    expect(cell).toEqual({
      city: null,
      partner: { id: rabobank.id },
      partnerKind: null,
      needCategory: 'financing',
      period: null,
      entrepreneurs: 11,
      referralsMade: 11,
      accepted: 6,
      declined: 4,
      declinedByReason: [
        { reason: 'no_capacity', count: 2 },
        { reason: 'missing_information', count: 1 },
        { reason: 'entrepreneur_unreachable', count: 1 },
      ],
      withdrawn: 1,
      forwarded: 0,
      completed: 3,
      outcomesByCode: [
        { code: 'financing_granted', count: 2 },
        { code: 'loan_or_guarantee', count: 2 },
        { code: 'no_fit', count: 1 },
      ],
      financingMobilisedEuros: 225_000.5,
      subsidyMobilisedEuros: 0,
      jobsRetained: 20,
      jobsCreated: 5,
      acceptanceRate: expect.closeTo(0.6, 12),
      medianDaysToFirstResponse: expect.closeTo(2, 9),
      p90DaysToFirstResponse: expect.closeTo(5.5, 9),
      medianDaysToOutcome: expect.closeTo(25, 9),
      p90DaysToOutcome: expect.closeTo(42, 9),
      answeredWithinSlaShare: expect.closeTo(9 / 11, 12),
      suppressed: false,
    });
    // 3 partners × 2 needs, all present.
    expect(list).toHaveLength(6);
  });

  it('totals everything counted, and never a referral without consent for statistics', async () => {
    const [total] = await cells(admin, { groupBy: [] });
    // 30 referrals, of which a10 and c9 are not counted. 24 distinct KvK numbers (b1 and c10 share one,
    // a1 and a6 share one, a7/a7f one, c6/c6f one). Financing: Almelo 75,000 + b1 120,000.50 + b5 30,000 +
    // c8 40,000 = 265,000.50 (a10's €999,999 is not there). Subsidy: 15,000 + c4 2,500 = 17,500.
    // Accepted: Almelo 6 + b1, b4, b5 + c1, c3, c4, c6, c6f, c8, c10 = 16; declined: 3 + b2, b6 + c2, c7 = 7.
    // Jobs retained 3 + 5 + 10 + 2 = 20 (not a10's 50); created 1 + 2 + 4 = 7.
    expect(total).toMatchObject({
      referralsMade: 28,
      entrepreneurs: 24,
      accepted: 16,
      declined: 7,
      withdrawn: 3,
      forwarded: 2,
      completed: 5,
      financingMobilisedEuros: 265_000.5,
      subsidyMobilisedEuros: 17_500,
      jobsRetained: 20,
      jobsCreated: 7,
      outcomesByCode: [
        { code: 'financing_granted', count: 3 },
        { code: 'subsidy_granted', count: 3 },
        { code: 'loan_or_guarantee', count: 2 },
        { code: 'advice_given', count: 1 },
        { code: 'coaching_started', count: 1 },
        { code: 'permit_granted', count: 1 },
        { code: 'no_fit', count: 1 },
      ],
      suppressed: false,
    });
    expect(total?.acceptanceRate).toBeCloseTo(16 / 23, 12);
  });

  it('labels periods by sentAt in Amsterdam time (month, quarter, year) and filters by sent dates', async () => {
    // a12 was sent on 31 March 22:30 UTC = 1 April 00:30 in Amsterdam.
    const months = await cells(auditor, { groupBy: ['period'], period: 'month', filter: { cityId: almelo } });
    expect(months.map((c) => [c.period, c.referralsMade])).toEqual([
      ['2025-02', 10],
      ['2025-03', 1],
      ['2025-04', 1],
    ]);
    const quarters = await cells(auditor, { groupBy: ['period'], period: 'quarter' });
    expect(quarters.map((c) => [c.period, c.referralsMade])).toEqual([
      ['2025-Q1', 27],
      ['2025-Q2', 1],
    ]);
    expect(quarters[1]).toMatchObject({ accepted: 1, medianDaysToFirstResponse: 1, answeredWithinSlaShare: 1 });
    const years = await cells(auditor, { groupBy: ['period'], period: 'year' });
    expect(years.map((c) => [c.period, c.referralsMade])).toEqual([['2025', 28]]);
    // sentTo 31 March (inclusive, Amsterdam) leaves a12 out; sentFrom 1 April keeps only it.
    const [march] = await cells(auditor, { groupBy: [], filter: { cityId: almelo, sentFrom: '2025-03-01', sentTo: '2025-03-31' } });
    expect(march?.referralsMade).toBe(1);
    const [april] = await cells(auditor, { groupBy: [], filter: { sentFrom: '2025-04-01' } });
    expect(april?.referralsMade).toBe(1);
    // Every filter field narrows; partner kind is a dimension too.
    const kinds = await cells(auditor, { groupBy: ['partner_kind'], filter: { needCategory: 'innovation', cityId: apeldoorn } });
    // Apeldoorn × innovation: c5 (withdrawn, still made) and c10 at Rabobank, c3 at the province, c1 at Oost NL.
    expect(kinds.map((c) => [c.partnerKind, c.referralsMade])).toEqual([
      ['bank', 2],
      ['province', 1],
      ['rom', 1],
    ]);
  });

  it('suppresses cells of fewer than 5 entrepreneurs for city officers and partner agents, not for auditors', async () => {
    const officer = await service.token(almelo, 'city_officer');
    const byPartner = await cells(officer, { groupBy: ['partner'] });
    // Almelo × Rabobank: a1, a2, a3, a4, a11, a12 = 6 entrepreneurs (a10 not counted: €999,999 stays out).
    expect(cellOf(byPartner, (c) => c.partner?.id === rabobank.id)).toMatchObject({ suppressed: false, referralsMade: 6, entrepreneurs: 6, financingMobilisedEuros: 75_000 });
    // Almelo × Oost NL: a5, a6, a7 (3 entrepreneurs); Almelo × province: a7f, a8, a9 (3).
    for (const partner of [oostNl.id, provincie.id]) {
      const cell = cellOf(byPartner, (c) => c.partner?.id === partner);
      expect(cell.suppressed).toBe(true);
      const { partner: reference, suppressed: _suppressed, ...figures } = cell;
      expect(reference).toEqual({ id: partner });
      expect(Object.values(figures).every((value) => value === null)).toBe(true);
    }
    const forAuditor = await cells(auditor, { groupBy: ['partner'], filter: { cityId: almelo } });
    expect(forAuditor.map((c) => [c.partner?.id, c.suppressed, c.referralsMade])).toEqual([
      [oostNl.id, false, 3],
      [provincie.id, false, 3],
      [rabobank.id, false, 6],
    ]);
    // A partner agent: Rabobank's cities, in id order (gm0141, gm0193, gm0200). Almelo 6 entrepreneurs;
    // Zwolle b3-b6 = 4 (c9 not counted); Apeldoorn b1, b2, c5, c10 = 3 (b1 and c10 share one).
    const agent = await service.token(rabobank.id, 'partner_agent');
    const byCity = await cells(agent, { groupBy: ['city'] });
    expect(byCity.map((c) => [c.city?.id, c.suppressed, c.referralsMade])).toEqual([
      [almelo, false, 6],
      [zwolle, true, null],
      [apeldoorn, true, null],
    ]);
  });

  it('never counts referrals without consent for anonymous statistics, and says so per referral', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id countedInStatistics } } }`;
    const result = await service.graphql<{ _entities: { id: string; countedInStatistics: boolean | null }[] }>(auditor, query, {
      r: ['a1', 'a10', 'c9', 'a7f'].map((name) => ({ __typename: 'Referral', id: id(name) })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((e) => e.countedInStatistics)).toEqual([true, false, false, true]);
    // Neither shows up in any cell of any grouping: per city and need, the sums of referrals are 28.
    const all = await cells(auditor, { groupBy: ['city', 'partner', 'need_category', 'period'] });
    expect(all.reduce((sum, c) => sum + (c.referralsMade ?? 0), 0)).toBe(28);
  });

  it('reports the projection to admins only', async () => {
    const query = `{ outcomesProjection { name state eventsApplied positionsBehind secondsBehind failure } }`;
    const forAdmin = await service.graphql<{ outcomesProjection: Record<string, unknown> }>(admin, query);
    expect(forAdmin.errors).toBeUndefined();
    expect(forAdmin.data?.outcomesProjection).toMatchObject({ name: 'outcomes', state: 'active', failure: null });
    expect(forAdmin.data?.outcomesProjection['eventsApplied']).toBeGreaterThan(28);
    const forAuditor = await service.graphql(auditor, query);
    expect(forAuditor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('checks its input: exactly one of date and at, real calendar dates', async () => {
    for (const variables of [{ groupBy: [] }, { groupBy: [], date: '2025-03-01', at: '2025-03-01T00:00:00Z' }, { groupBy: [], date: '2025-02-30' }]) {
      const result = await service.graphql(auditor, STATISTICS_AS_OF, variables);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const badFilter = await service.graphql(auditor, STATISTICS, { groupBy: [], filter: { sentFrom: '2025-13-01' } });
    expect(badFilter.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('tenancy', () => {
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Organisation { id outcomeStatistics(period: month) { period referralsMade entrepreneurs suppressed } }
      ... on Referral { id countedInStatistics } } }`;
    type Entity = { id: string; outcomeStatistics?: { period: string; referralsMade: number | null; suppressed: boolean }[]; countedInStatistics?: boolean | null };
    const entities = async (token: string, representations: { __typename: string; id: string }[]) => {
      const result = await service.graphql<{ _entities: Entity[] }>(token, ENTITIES, { r: representations });
      expect(result.errors).toBeUndefined();
      return result.data?._entities ?? [];
    };
    const organisation = (organisationId: string) => ({ __typename: 'Organisation', id: organisationId });
    const referral = (name: string) => ({ __typename: 'Referral', id: id(name) });

    it('a city officer only ever gets figures of their own city', async () => {
      const zwolleOfficer = await service.token(zwolle, 'city_officer');
      expect((await cells(zwolleOfficer, { groupBy: ['city'] })).map((c) => c.city?.id)).toEqual([zwolle]);
      expect(await cells(zwolleOfficer, { groupBy: ['city'], filter: { cityId: almelo } })).toEqual([]);
      expect(await cells(zwolleOfficer, { groupBy: [], filter: { cityId: almelo } })).toEqual([]);
      expect(await cells(zwolleOfficer, { groupBy: [], date: '2030-01-01', filter: { cityId: almelo } }, STATISTICS_AS_OF)).toEqual([]);
      // Grouped by partner: still only Zwolle's referrals. Zwolle × Rabobank: b3-b6 (4 entrepreneurs).
      const byPartner = await cells(auditor, { groupBy: ['partner'], filter: { cityId: zwolle } });
      const mine = await cells(zwolleOfficer, { groupBy: ['partner'] });
      expect(mine.map((c) => c.partner?.id)).toEqual(byPartner.map((c) => c.partner?.id));
      expect(cellOf(mine, (c) => c.partner?.id === rabobank.id).suppressed).toBe(true);

      const [almeloOrganisation, own] = await entities(zwolleOfficer, [organisation(almelo), organisation(zwolle)]);
      expect(almeloOrganisation?.outcomeStatistics).toEqual([]);
      // Zwolle in February: b3, b4, b6, c6, c6f, c7, c8 (6 entrepreneurs); in March only b5 (suppressed).
      expect(own?.outcomeStatistics).toEqual([
        { period: '2025-02', referralsMade: 7, entrepreneurs: 6, suppressed: false },
        { period: '2025-03', referralsMade: null, entrepreneurs: null, suppressed: true },
      ]);
      const [ofAlmelo, ofZwolle] = await entities(zwolleOfficer, [referral('a1'), referral('b3')]);
      expect(ofAlmelo?.countedInStatistics).toBeNull();
      expect(ofZwolle?.countedInStatistics).toBe(true);
    });

    it('a partner agent only ever gets figures of referrals addressed to their organisation', async () => {
      const oostAgent = await service.token(oostNl.id, 'partner_agent');
      expect((await cells(oostAgent, { groupBy: ['partner'] })).map((c) => c.partner?.id)).toEqual([oostNl.id]);
      expect(await cells(oostAgent, { groupBy: ['city'], filter: { partnerId: rabobank.id } })).toEqual([]);
      const [rabo, almeloOrganisation, own] = await entities(oostAgent, [organisation(rabobank.id), organisation(almelo), organisation(oostNl.id)]);
      expect(rabo?.outcomeStatistics).toEqual([]);
      expect(almeloOrganisation?.outcomeStatistics).toEqual([]);
      // Oost NL in February: a5, a6, a7, c1, c2, c6, c7 (7 entrepreneurs).
      expect(own?.outcomeStatistics).toEqual([{ period: '2025-02', referralsMade: 7, entrepreneurs: 7, suppressed: false }]);
      const counted = await entities(oostAgent, [referral('a1'), referral('a10'), referral('a5'), { __typename: 'Referral', id: 'not-a-uuid' }, referral('nope')]);
      expect(counted.map((e) => e.countedInStatistics)).toEqual([null, null, true, null, null]);
      const raboAgent = await service.token(rabobank.id, 'partner_agent');
      expect((await entities(raboAgent, [referral('a1'), referral('a10')])).map((e) => e.countedInStatistics)).toEqual([true, false]);
    });

    it('auditors see every organisation; no token, or a token without a role, sees nothing', async () => {
      const [rabo] = await entities(auditor, [organisation(rabobank.id)]);
      // Rabobank: February a1-a4, b1-b4, b6, c5 = 10 (a10 and c9 are not counted); March a11, b5, c10 = 3;
      // April a12.
      expect(rabo?.outcomeStatistics).toEqual([
        { period: '2025-02', referralsMade: 10, entrepreneurs: 10, suppressed: false },
        { period: '2025-03', referralsMade: 3, entrepreneurs: 3, suppressed: false },
        { period: '2025-04', referralsMade: 1, entrepreneurs: 1, suppressed: false },
      ]);
      const anonymous = await service.graphql(null, STATISTICS, { groupBy: [] });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data).toBeNull();
      const anonymousEntities = await service.graphql(null, ENTITIES, { r: [organisation(almelo)] });
      expect(anonymousEntities.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const roleless = await service.issuer.issue({ userId: 'nobody', organisationId: almelo, roles: [] });
      const refused = await service.graphql(roleless, STATISTICS, { groupBy: [] });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
