import { CITY, PARTNER, uuidFromText, type ReferralSpec, type Step } from './fixtures';

/**
 * The hand-computed fixture: 30 referrals (28 specs, 2 of which forward) over 3 cities × 3 partners × 2 need
 * categories, sent in February-April 2025. Times are at 09:00 UTC (10:00 in Amsterdam, winter time) unless
 * said otherwise; step times are days after the referral's sentAt, so "accept 1.5" answered after 1.5 days.
 *
 * Every referral has an SLA of 5 working days. There is no Dutch public holiday in February-March 2025, so
 * a referral sent on a weekday is due at the end (23:59:59.999 Amsterdam = 22:59:59.999Z) of the same
 * weekday a week later: 7 days + 13:59:59.999 = 7.583 days after a 09:00Z sentAt. An answer after 8 or 10
 * days is late; 0.25-6 days is in time.
 *
 * a10 and c9 were made without consent for anonymous statistics: they must never be counted.
 */
export const id = (name: string) => uuidFromText(`outcomes-fixture-${name}`);
const sent = (date: string) => `${date}T09:00:00.000Z`;
const { almelo, apeldoorn, zwolle } = CITY;
const { rabobank, oostNl, provincie } = PARTNER;

const accept = (after: number): Step => ({ type: 'accept', after });
const decline = (after: number, reason: Extract<Step, { type: 'decline' }>['reason']): Step => ({ type: 'decline', after, reason });

export const FIXTURE: readonly ReferralSpec[] = [
  // ---- Almelo ------------------------------------------------------------------------------------------
  { id: id('a1'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000001', sentAt: sent('2025-02-03'),
    steps: [accept(1), { type: 'start', after: 2 }, { type: 'outcome', after: 20, code: 'financing_granted', amountCents: 5_000_000, jobsRetained: 3, jobsCreated: 1 }, { type: 'close', after: 21 }] },
  { id: id('a2'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000002', sentAt: sent('2025-02-04'),
    steps: [accept(2), { type: 'outcome', after: 30, code: 'loan_or_guarantee', amountCents: 2_500_000, jobsRetained: 5 }, { type: 'close', after: 31 }] },
  { id: id('a3'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000003', sentAt: sent('2025-02-05'), steps: [decline(3, 'no_capacity')] },
  { id: id('a4'), city: almelo, partner: rabobank, need: 'innovation', kvk: '10000004', sentAt: sent('2025-02-06'),
    steps: [{ type: 'request_information', after: 1.5 }, { type: 'provide_information', after: 2 }, accept(4), { type: 'outcome', after: 10, code: 'advice_given' }, { type: 'close', after: 11 }] },
  { id: id('a5'), city: almelo, partner: oostNl, need: 'innovation', kvk: '10000005', sentAt: sent('2025-02-10'),
    steps: [accept(8), { type: 'outcome', after: 40, code: 'subsidy_granted', amountCents: 1_000_000, jobsCreated: 2 }] },
  // The same entrepreneur as a1.
  { id: id('a6'), city: almelo, partner: oostNl, need: 'innovation', kvk: '10000001', sentAt: sent('2025-02-11'), steps: [decline(0.5, 'not_eligible')] },
  // Forwarded after 2 days (Friday 14 February) to the province: a7f is a referral of its own, sent then.
  { id: id('a7'), city: almelo, partner: oostNl, need: 'financing', kvk: '10000006', sentAt: sent('2025-02-12'),
    steps: [{ type: 'forward', after: 2, to: { id: id('a7f'), partner: provincie, steps: [accept(1), { type: 'outcome', after: 15, code: 'subsidy_granted', amountCents: 500_000 }] } }] },
  // Withdrawn before its deadline without an answer: not part of the SLA share.
  { id: id('a8'), city: almelo, partner: provincie, need: 'financing', kvk: '10000007', sentAt: sent('2025-02-13'), steps: [{ type: 'withdraw', after: 1 }] },
  // Never answered: its deadline passed, so it counts against the SLA share.
  { id: id('a9'), city: almelo, partner: provincie, need: 'innovation', kvk: '10000008', sentAt: sent('2025-02-17'), steps: [] },
  { id: id('a10'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000009', sentAt: sent('2025-02-18'), anonymousStatistics: false,
    steps: [accept(1), { type: 'outcome', after: 5, code: 'financing_granted', amountCents: 99_999_900, jobsRetained: 50 }] },
  { id: id('a11'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000010', sentAt: sent('2025-03-03'), steps: [decline(10, 'no_capacity')] },
  // 31 March 22:30 UTC is 1 April 00:30 in Amsterdam (summer time): period 2025-04 / 2025-Q2.
  { id: id('a12'), city: almelo, partner: rabobank, need: 'financing', kvk: '10000011', sentAt: '2025-03-31T22:30:00.000Z', steps: [accept(1)] },

  // ---- Rabobank financing elsewhere ---------------------------------------------------------------------
  { id: id('b1'), city: apeldoorn, partner: rabobank, need: 'financing', kvk: '10000021', sentAt: sent('2025-02-03'),
    steps: [accept(0.25), { type: 'outcome', after: 25, code: 'financing_granted', amountCents: 12_000_050, jobsRetained: 10, jobsCreated: 4 }, { type: 'close', after: 26 }] },
  { id: id('b2'), city: apeldoorn, partner: rabobank, need: 'financing', kvk: '10000022', sentAt: sent('2025-02-04'), steps: [decline(5, 'entrepreneur_unreachable')] },
  // Withdrawn unanswered after its deadline (12 February): counts against the SLA share.
  { id: id('b3'), city: zwolle, partner: rabobank, need: 'financing', kvk: '10000023', sentAt: sent('2025-02-05'), steps: [{ type: 'withdraw', after: 9 }] },
  { id: id('b4'), city: zwolle, partner: rabobank, need: 'financing', kvk: '10000024', sentAt: sent('2025-02-06'),
    steps: [accept(3), { type: 'start', after: 4 }, { type: 'outcome', after: 12, code: 'no_fit' }] },
  { id: id('b5'), city: zwolle, partner: rabobank, need: 'financing', kvk: '10000025', sentAt: sent('2025-03-03'),
    steps: [accept(2), { type: 'outcome', after: 50, code: 'loan_or_guarantee', amountCents: 3_000_000, jobsRetained: 2 }] },
  { id: id('b6'), city: zwolle, partner: rabobank, need: 'financing', kvk: '10000026', sentAt: sent('2025-02-18'), steps: [decline(1, 'missing_information')] },

  // ---- The rest of the grid ------------------------------------------------------------------------------
  { id: id('c1'), city: apeldoorn, partner: oostNl, need: 'innovation', kvk: '10000031', sentAt: sent('2025-02-10'), steps: [accept(2), { type: 'outcome', after: 7, code: 'coaching_started' }] },
  { id: id('c2'), city: apeldoorn, partner: oostNl, need: 'financing', kvk: '10000032', sentAt: sent('2025-02-11'),
    steps: [{ type: 'request_information', after: 1 }, { type: 'provide_information', after: 3 }, decline(4, 'outside_service_area')] },
  { id: id('c3'), city: apeldoorn, partner: provincie, need: 'innovation', kvk: '10000033', sentAt: sent('2025-02-12'),
    steps: [accept(1), { type: 'outcome', after: 14, code: 'permit_granted' }, { type: 'close', after: 15 }] },
  { id: id('c4'), city: apeldoorn, partner: provincie, need: 'financing', kvk: '10000034', sentAt: sent('2025-02-13'),
    steps: [accept(6), { type: 'outcome', after: 20, code: 'subsidy_granted', amountCents: 250_000 }] },
  { id: id('c5'), city: apeldoorn, partner: rabobank, need: 'innovation', kvk: '10000035', sentAt: sent('2025-02-14'), steps: [{ type: 'withdraw', after: 2 }] },
  { id: id('c6'), city: zwolle, partner: oostNl, need: 'innovation', kvk: '10000036', sentAt: sent('2025-02-17'),
    steps: [accept(1), { type: 'forward', after: 3, to: { id: id('c6f'), partner: provincie, steps: [accept(1)] } }] },
  { id: id('c7'), city: zwolle, partner: oostNl, need: 'financing', kvk: '10000037', sentAt: sent('2025-02-18'), steps: [decline(2, 'other')] },
  { id: id('c8'), city: zwolle, partner: provincie, need: 'financing', kvk: '10000038', sentAt: sent('2025-02-19'),
    steps: [accept(2), { type: 'outcome', after: 30, code: 'financing_granted', amountCents: 4_000_000 }] },
  { id: id('c9'), city: zwolle, partner: rabobank, need: 'innovation', kvk: '10000039', sentAt: sent('2025-02-20'), anonymousStatistics: false, steps: [accept(1)] },
  // The same entrepreneur as b1.
  { id: id('c10'), city: apeldoorn, partner: rabobank, need: 'innovation', kvk: '10000021', sentAt: sent('2025-03-10'), steps: [accept(1)] },
];

export const CELL_FIELDS = `
  city { id } partner { id } partnerKind needCategory period
  entrepreneurs referralsMade accepted declined declinedByReason { reason count } withdrawn forwarded completed
  outcomesByCode { code count } financingMobilisedEuros subsidyMobilisedEuros jobsRetained jobsCreated acceptanceRate
  medianDaysToFirstResponse p90DaysToFirstResponse medianDaysToOutcome p90DaysToOutcome answeredWithinSlaShare suppressed`;

export interface Cell {
  city: { id: string } | null;
  partner: { id: string } | null;
  partnerKind: string | null;
  needCategory: string | null;
  period: string | null;
  entrepreneurs: number | null;
  referralsMade: number | null;
  accepted: number | null;
  declined: number | null;
  declinedByReason: { reason: string; count: number }[] | null;
  withdrawn: number | null;
  forwarded: number | null;
  completed: number | null;
  outcomesByCode: { code: string; count: number }[] | null;
  financingMobilisedEuros: number | null;
  subsidyMobilisedEuros: number | null;
  jobsRetained: number | null;
  jobsCreated: number | null;
  acceptanceRate: number | null;
  medianDaysToFirstResponse: number | null;
  p90DaysToFirstResponse: number | null;
  medianDaysToOutcome: number | null;
  p90DaysToOutcome: number | null;
  answeredWithinSlaShare: number | null;
  suppressed: boolean;
}

export const STATISTICS = `query($groupBy: [StatisticsDimension!]!, $period: PeriodGranularity, $filter: StatisticsFilter) {
  outcomeStatistics(groupBy: $groupBy, period: $period, filter: $filter) { ${CELL_FIELDS} } }`;

export const STATISTICS_AS_OF = `query($date: Date, $at: DateTime, $groupBy: [StatisticsDimension!]!, $period: PeriodGranularity, $filter: StatisticsFilter) {
  outcomeStatisticsAsOf(date: $date, at: $at, groupBy: $groupBy, period: $period, filter: $filter) { ${CELL_FIELDS} } }`;
