import { comparePositions, type NewEvent, type Position } from '@koppelstuk/event-store';
import { ProjectionRunners } from '@koppelstuk/service-kit';
import { startServiceForTest, type ServiceUnderTest } from '@koppelstuk/testing';
import { OutcomesModule } from '../app.module';
import { loadOutcomesConfig } from '../config';
import { CITY, PARTNER, appendRecordedAt, referralStreams, uuidFromText, type ReferralSpec } from './fixtures';
import { STATISTICS, STATISTICS_AS_OF, type Cell } from './statistics-fixture';

/**
 * "What were the statistics on date D?" must have one answer forever. Here the event store's recorded_at of
 * every event is chosen by the test: `appendRecordedAt` appends and sets recorded_at in one transaction, so
 * the projection (which only sees committed events) reads the chosen value. Amsterdam is at UTC+1 in March.
 *
 *   r1  sent 3 Mar 09:00Z   made rec. 3 Mar · accepted (4 Mar) rec. 4 Mar · loan granted 5 Mar, rec. 20 Mar (late)
 *   r2  sent 4 Mar 09:00Z   made rec. 4 Mar · information requested (5 Mar) rec. exactly at T · declined (7 Mar) rec. 11 Mar
 *   r3  sent 9 Mar 09:00Z   made rec. 12 Mar (sent before T, recorded after it)
 *   r4  sent 10 Mar 21:00Z  made rec. 10 Mar 22:30Z = 23:30 in Amsterdam, still 10 March
 *   r5  sent 10 Mar 22:00Z  made rec. 10 Mar 23:30Z = 00:30 on 11 March in Amsterdam
 *   r6  sent 24 Feb 09:00Z  made rec. 24 Feb · accepted 2 Mar (in time, due 3 Mar) but rec. 15 Mar
 *
 * T = 10 March 12:00Z. Phase 1 appends what was recorded up to 10 March 23:30Z, phase 2 the rest.
 */
const T = '2025-03-10T12:00:00.000Z';
const rid = (name: string) => uuidFromText(`as-of-${name}`);
const base = { city: CITY.almelo, partner: PARTNER.rabobank, need: 'financing' as const };
const SPECS: Record<string, ReferralSpec> = {
  r1: { ...base, id: rid('r1'), kvk: '20000001', sentAt: '2025-03-03T09:00:00.000Z',
    steps: [{ type: 'accept', after: 1 }, { type: 'outcome', after: 2, recordedAfter: 17.04, code: 'loan_or_guarantee', amountCents: 1_000_000, jobsRetained: 4 }] },
  r2: { ...base, id: rid('r2'), kvk: '20000002', sentAt: '2025-03-04T09:00:00.000Z',
    steps: [{ type: 'request_information', after: 1 }, { type: 'decline', after: 3, reason: 'not_eligible' }] },
  r3: { ...base, id: rid('r3'), kvk: '20000003', sentAt: '2025-03-09T09:00:00.000Z', steps: [] },
  r4: { ...base, id: rid('r4'), kvk: '20000004', sentAt: '2025-03-10T21:00:00.000Z', steps: [] },
  r5: { ...base, id: rid('r5'), kvk: '20000005', sentAt: '2025-03-10T22:00:00.000Z', steps: [] },
  r6: { ...base, id: rid('r6'), kvk: '20000006', sentAt: '2025-02-24T09:00:00.000Z', steps: [{ type: 'accept', after: 6 }] },
};
const events = Object.fromEntries(Object.entries(SPECS).map(([name, spec]) => [name, (referralStreams(spec)[0] as { events: readonly NewEvent[] }).events]));
const event = (name: string, index: number) => [events[name]?.[index] as NewEvent];

/** [referral, event index in its stream, recorded at]. */
const PHASE_1: [string, number, string][] = [
  ['r6', 0, '2025-02-24T09:00:01.000Z'],
  ['r1', 0, '2025-03-03T09:00:01.000Z'],
  ['r1', 1, '2025-03-04T09:00:01.000Z'],
  ['r2', 0, '2025-03-04T09:00:01.000Z'],
  ['r2', 1, T],
  ['r4', 0, '2025-03-10T22:30:00.000Z'],
  ['r5', 0, '2025-03-10T23:30:00.000Z'],
];
const PHASE_2: [string, number, string][] = [
  ['r2', 2, '2025-03-11T08:00:00.000Z'],
  ['r3', 0, '2025-03-12T09:00:00.000Z'],
  ['r6', 1, '2025-03-15T09:00:00.000Z'],
  ['r1', 2, '2025-03-20T10:00:00.000Z'],
];

describe('statistics as of an instant', () => {
  let service: ServiceUnderTest;
  let auditor: string;

  const append = async (phase: [string, number, string][]) => {
    let last: Position | null = null;
    for (const [name, index, recordedAt] of phase) {
      const position = await appendRecordedAt(service.database.url, `referral-${rid(name)}`, event(name, index), recordedAt);
      if (!last || comparePositions(position, last) > 0) last = position;
    }
    await service.app.get(ProjectionRunners).get('outcomes').waitForPosition(last as Position, 10_000);
  };
  const report = async (variables: Record<string, unknown>, query = STATISTICS_AS_OF): Promise<Cell[]> => {
    const result = await service.graphql<Record<string, Cell[]>>(auditor, query, variables);
    expect(result.errors).toBeUndefined();
    return Object.values(result.data ?? {})[0] as Cell[];
  };
  const REPORTS: Record<string, unknown>[] = [
    { at: T, groupBy: [] },
    { at: T, groupBy: ['city', 'partner', 'need_category'] },
    { at: T, groupBy: ['period'], period: 'quarter' },
    { date: '2025-03-10', groupBy: [] },
    { date: '2025-03-10', groupBy: ['partner_kind', 'period'] },
  ];

  beforeAll(async () => {
    service = await startServiceForTest((env) => OutcomesModule.forRoot(loadOutcomesConfig(env)), { label: 'outcomes_as_of' });
    auditor = await service.token('rekenkamer-g40', 'auditor');
  });
  afterAll(() => service?.close());

  it('a report as of T never changes, whatever is recorded after T (a late outcome included)', async () => {
    await append(PHASE_1);
    const before = await Promise.all(REPORTS.map((variables) => report(variables)));

    // As of T: r1, r2, r6 (r4 and r5 were recorded after T). Accepted: r1. First responses: r1 after 1 day,
    // r2 after 1 day (its information request, recorded exactly at T: "at or before" counts). r6's deadline
    // (end of 3 March) passed unanswered as far as anything recorded by T shows → SLA share 2 / 3.
    expect(before[0]).toEqual([
      expect.objectContaining({ referralsMade: 3, entrepreneurs: 3, accepted: 1, declined: 0, outcomesByCode: [], financingMobilisedEuros: 0, medianDaysToFirstResponse: 1, medianDaysToOutcome: null, answeredWithinSlaShare: 2 / 3 }),
    ]);
    // As of the end of 10 March in Amsterdam (22:59:59.999999Z): r4 too (recorded 23:30 Amsterdam time), not r5
    // (00:30 on 11 March). The same as the last millisecond of that day given as an instant.
    expect(before[3]).toEqual([expect.objectContaining({ referralsMade: 4 })]);
    expect(await report({ at: '2025-03-10T22:59:59.999Z', groupBy: [] })).toEqual(before[3]);
    expect(await report({ date: '2025-03-11', groupBy: [] })).toEqual([expect.objectContaining({ referralsMade: 5 })]);
    expect(await report({ date: '2025-03-02', groupBy: [] })).toEqual([expect.objectContaining({ referralsMade: 1, accepted: 0 })]);
    expect(await report({ date: '2025-02-23', groupBy: [] })).toEqual([]);

    await append(PHASE_2);
    const after = await Promise.all(REPORTS.map((variables) => report(variables)));
    expect(after).toEqual(before);

    // Live, everything counts: 6 referrals; accepted r1 and r6 (r6 in time after all); declined r2; the loan.
    const [live] = await report({ groupBy: [] }, STATISTICS);
    expect(live).toMatchObject({ referralsMade: 6, accepted: 2, declined: 1, financingMobilisedEuros: 10_000, jobsRetained: 4, medianDaysToOutcome: 2 });
    // As filed on 16 March: the decline (11 March), r3 (12 March) and r6's answer (15 March), not yet the loan.
    const [filed16] = await report({ date: '2025-03-16', groupBy: [] });
    expect(filed16).toMatchObject({ referralsMade: 6, accepted: 2, declined: 1, outcomesByCode: [], financingMobilisedEuros: 0, jobsRetained: 0, medianDaysToOutcome: null });
    // As filed on 20 March: the loan too (recorded 20 March 11:00 Amsterdam), 2 days after r1 was sent.
    const [filed20] = await report({ date: '2025-03-20', groupBy: [] });
    expect(filed20).toMatchObject({ financingMobilisedEuros: 10_000, outcomesByCode: [{ code: 'loan_or_guarantee', count: 1 }], medianDaysToOutcome: 2 });
  });
});
