import { DECLINE_REASONS, OUTCOME_CODES, type DeclineReason, type NeedCategory, type OutcomeCode, type PartnerKind } from '@koppelstuk/domain';
import { OUTCOMES_SCHEMA } from './outcome-tables';
/** Cells about fewer distinct entrepreneurs than this are suppressed for city officers and partner agents. */
export const MIN_ENTREPRENEURS_PER_CELL = 5;

/**
 * Whose referrals a reader's statistics may include (DESIGN.md §3, "statistics: own city / own org / all /
 * all"). Auditors and admins see every referral and every cell; a city officer only the referrals their city
 * made, a partner agent only those addressed to their organisation, and both only cells large enough not to
 * single out an entrepreneur.
 */
export type StatisticsAccess =
  | { readonly kind: 'all'; readonly suppressSmallCells: false }
  | { readonly kind: 'own'; readonly cityIds: readonly string[]; readonly partnerIds: readonly string[]; readonly suppressSmallCells: true };

export const STATISTICS_DIMENSIONS = ['city', 'partner', 'partner_kind', 'need_category', 'period'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];
export const PERIOD_GRANULARITIES = ['month', 'quarter', 'year'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

export interface StatisticsFilter {
  readonly cityId?: string | null;
  readonly partnerId?: string | null;
  readonly partnerKind?: PartnerKind | null;
  readonly needCategory?: NeedCategory | null;
  /** Amsterdam calendar dates, both inclusive, on sent_at. */
  readonly sentFrom?: string | null;
  readonly sentTo?: string | null;
}

/**
 * The instant a report is as of. Only facts recorded (by the event store) at or before it count, so the
 * same report can be reproduced exactly later on.
 */
export type AsOf =
  | { readonly kind: 'now' }
  | { readonly kind: 'instant'; readonly at: string }
  /** The end of that calendar day in Europe/Amsterdam (its last microsecond). */
  | { readonly kind: 'end_of_day'; readonly date: string };

export interface StatisticsRequest {
  readonly groupBy: readonly StatisticsDimension[];
  readonly period?: PeriodGranularity | null;
  readonly filter?: StatisticsFilter | null;
  readonly asOf: AsOf;
  readonly access: StatisticsAccess;
  /** Only referrals this organisation made (a city) or received (a partner). */
  readonly organisationId?: string;
  /** Where the tables are: the live schema by default, or a replay's scratch schema. */
  readonly schema?: string;
}

export interface OrganisationReference {
  readonly __typename: 'Organisation';
  readonly id: string;
}

export interface StatisticsCell {
  readonly city: OrganisationReference | null;
  readonly partner: OrganisationReference | null;
  readonly partnerKind: string | null;
  readonly needCategory: string | null;
  readonly period: string | null;
  readonly entrepreneurs: number | null;
  readonly referralsMade: number | null;
  readonly accepted: number | null;
  readonly declined: number | null;
  readonly declinedByReason: readonly { reason: DeclineReason; count: number }[] | null;
  readonly withdrawn: number | null;
  readonly forwarded: number | null;
  readonly completed: number | null;
  readonly outcomesByCode: readonly { code: OutcomeCode; count: number }[] | null;
  readonly financingMobilisedEuros: number | null;
  readonly subsidyMobilisedEuros: number | null;
  readonly jobsRetained: number | null;
  readonly jobsCreated: number | null;
  readonly acceptanceRate: number | null;
  readonly medianDaysToFirstResponse: number | null;
  readonly p90DaysToFirstResponse: number | null;
  readonly medianDaysToOutcome: number | null;
  readonly p90DaysToOutcome: number | null;
  readonly answeredWithinSlaShare: number | null;
  readonly suppressed: boolean;
}

const ZONE = 'Europe/Amsterdam';
const DIMENSION_COLUMN: Record<StatisticsDimension, string> = {
  city: 'd_city',
  partner: 'd_partner',
  partner_kind: 'd_partner_kind',
  need_category: 'd_need_category',
  period: 'd_period',
};
const PERIOD_FORMAT: Record<PeriodGranularity, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };
const RESPONSE_KINDS = `('accepted', 'declined', 'information_requested', 'forwarded')`;

interface CellRow {
  d_city?: string;
  d_partner?: string;
  d_partner_kind?: string;
  d_need_category?: string;
  d_period?: string;
  entrepreneurs: number;
  referrals_made: number;
  accepted: number;
  declined: number;
  withdrawn: number;
  forwarded: number;
  completed: number;
  financing_cents: string;
  subsidy_cents: string;
  jobs_retained: string;
  jobs_created: string;
  median_days_to_first_response: number | null;
  p90_days_to_first_response: number | null;
  median_days_to_outcome: number | null;
  p90_days_to_outcome: number | null;
  answered_in_time: number;
  sla_relevant: number;
  by_reason: Record<string, number>;
  by_code: Record<string, number>;
}

/** The one statement behind a report; the audit replay runs it on its scratch schema to compare. */
export function statisticsQuery(request: StatisticsRequest): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };

  const bound =
    request.asOf.kind === 'now'
      ? 'now()'
      : request.asOf.kind === 'instant'
        ? param(request.asOf.at, 'timestamptz')
        : `((${param(request.asOf.date, 'date')} + 1)::timestamp at time zone '${ZONE}') - interval '1 microsecond'`;

  const conditions: string[] = ['r.counted', 'r.made_recorded_at <= bound.t'];
  const { access } = request;
  if (access.kind === 'own') {
    conditions.push(`(r.city_id = any(${param(access.cityIds, 'text[]')}) or r.partner_id = any(${param(access.partnerIds, 'text[]')}))`);
  }
  if (request.organisationId !== undefined) {
    const organisation = param(request.organisationId, 'text');
    conditions.push(`(r.city_id = ${organisation} or r.partner_id = ${organisation})`);
  }
  const filter = request.filter ?? {};
  if (filter.cityId) conditions.push(`r.city_id = ${param(filter.cityId, 'text')}`);
  if (filter.partnerId) conditions.push(`r.partner_id = ${param(filter.partnerId, 'text')}`);
  if (filter.partnerKind) conditions.push(`r.partner_kind = ${param(filter.partnerKind, 'text')}`);
  if (filter.needCategory) conditions.push(`r.need_category = ${param(filter.needCategory, 'text')}`);
  if (filter.sentFrom) conditions.push(`r.sent_at >= (${param(filter.sentFrom, 'date')}::timestamp at time zone '${ZONE}')`);
  if (filter.sentTo) conditions.push(`r.sent_at < ((${param(filter.sentTo, 'date')} + 1)::timestamp at time zone '${ZONE}')`);

  const dimensions = [...new Set(request.groupBy)].map((dimension) => DIMENSION_COLUMN[dimension]);
  const list = (prefix: string) => dimensions.map((column) => `${prefix}${column}`).join(', ');
  const groupBy = (extra = '') => (dimensions.length > 0 ? `group by ${list('')}${extra}` : extra ? `group by ${extra.slice(2)}` : 'group by ()');
  const select = (prefix = '') => (dimensions.length > 0 ? `${list(prefix)}, ` : '');
  const joinOn = (other: string) => (dimensions.length > 0 ? dimensions.map((column) => `${other}.${column} = c.${column}`).join(' and ') : 'true');
  const S = request.schema ?? OUTCOMES_SCHEMA;

  const sql = `
    with bound as (select ${bound} as t),
    scope as (
      select r.referral_id, r.kvk_number, r.sent_at, r.sla_due_at,
             r.city_id as d_city, r.partner_id as d_partner, r.partner_kind as d_partner_kind, r.need_category as d_need_category,
             to_char(r.sent_at at time zone '${ZONE}', '${PERIOD_FORMAT[request.period ?? 'month']}') as d_period
        from ${S}.referrals r cross join bound
       where ${conditions.join(' and ')}
    ),
    fact as (
      select f.referral_id, f.kind, f.occurred_at, f.decline_reason, f.outcome_code, f.amount_cents, f.jobs_retained, f.jobs_created
        from ${S}.facts f join scope s using (referral_id) cross join bound
       where f.recorded_at <= bound.t
    ),
    per_referral as (
      select referral_id,
             min(occurred_at) filter (where kind in ${RESPONSE_KINDS}) as first_response_at,
             min(occurred_at) filter (where kind = 'outcome') as first_outcome_at,
             min(occurred_at) filter (where kind = 'withdrawn') as withdrawn_at,
             bool_or(kind = 'accepted') as accepted,
             bool_or(kind = 'declined') as declined,
             bool_or(kind = 'withdrawn') as withdrawn,
             bool_or(kind = 'forwarded') as forwarded,
             bool_or(kind = 'closed') as closed,
             min(decline_reason) filter (where kind = 'declined') as decline_reason,
             sum(amount_cents) filter (where outcome_code in ('financing_granted', 'loan_or_guarantee')) as financing_cents,
             sum(amount_cents) filter (where outcome_code = 'subsidy_granted') as subsidy_cents,
             sum(jobs_retained) filter (where kind = 'outcome') as jobs_retained,
             sum(jobs_created) filter (where kind = 'outcome') as jobs_created
        from fact
       group by referral_id
    ),
    joined as (
      select *,
             extract(epoch from first_response_at - sent_at)::float8 / 86400 as days_to_first_response,
             extract(epoch from first_outcome_at - sent_at)::float8 / 86400 as days_to_outcome
        from scope left join per_referral using (referral_id)
    ),
    cells as (
      select ${select()}
             count(distinct kvk_number)::int as entrepreneurs,
             count(*)::int as referrals_made,
             count(*) filter (where accepted)::int as accepted,
             count(*) filter (where declined)::int as declined,
             count(*) filter (where withdrawn)::int as withdrawn,
             count(*) filter (where forwarded)::int as forwarded,
             count(*) filter (where closed)::int as completed,
             coalesce(sum(financing_cents), 0)::text as financing_cents,
             coalesce(sum(subsidy_cents), 0)::text as subsidy_cents,
             coalesce(sum(jobs_retained), 0)::text as jobs_retained,
             coalesce(sum(jobs_created), 0)::text as jobs_created,
             percentile_cont(0.5) within group (order by days_to_first_response) as median_days_to_first_response,
             percentile_cont(0.9) within group (order by days_to_first_response) as p90_days_to_first_response,
             percentile_cont(0.5) within group (order by days_to_outcome) as median_days_to_outcome,
             percentile_cont(0.9) within group (order by days_to_outcome) as p90_days_to_outcome,
             count(*) filter (where first_response_at <= sla_due_at)::int as answered_in_time,
             -- Answered by the bound, or still unanswered when its deadline passed (by the bound). A referral
             -- the city withdrew before its deadline, unanswered, never asked for an answer in time.
             count(*) filter (where first_response_at is not null
                                 or (sla_due_at <= (select t from bound) and (withdrawn_at is null or withdrawn_at > sla_due_at)))::int as sla_relevant
        from joined
       ${groupBy()}
    ),
    reasons as (
      select ${select()} jsonb_object_agg(decline_reason, n) as by_reason
        from (select ${select()} decline_reason, count(*)::int as n from joined where decline_reason is not null ${groupBy(', decline_reason')}) x
       ${groupBy()}
    ),
    codes as (
      select ${select()} jsonb_object_agg(outcome_code, n) as by_code
        from (select ${select('s.')} f.outcome_code, count(*)::int as n
                from fact f join scope s using (referral_id)
               where f.kind = 'outcome'
               ${dimensions.length > 0 ? `group by ${list('s.')}, f.outcome_code` : 'group by f.outcome_code'}) x
       ${groupBy()}
    )
    select c.*, coalesce(r.by_reason, '{}'::jsonb) as by_reason, coalesce(o.by_code, '{}'::jsonb) as by_code
      from cells c
      left join reasons r on ${joinOn('r')}
      left join codes o on ${joinOn('o')}
     where c.referrals_made > 0
     order by ${dimensions.length > 0 ? list('c.') : '1'}`;
  return { sql, params };
}

const euros = (cents: string): number => Number(BigInt(cents)) / 100;

function toCell(row: CellRow, suppressSmallCells: boolean): StatisticsCell {
  const dimensions = {
    city: row.d_city !== undefined ? ({ __typename: 'Organisation', id: row.d_city } as const) : null,
    partner: row.d_partner !== undefined ? ({ __typename: 'Organisation', id: row.d_partner } as const) : null,
    partnerKind: row.d_partner_kind ?? null,
    needCategory: row.d_need_category ?? null,
    period: row.d_period ?? null,
  };
  if (suppressSmallCells && row.entrepreneurs < MIN_ENTREPRENEURS_PER_CELL) {
    return {
      ...dimensions,
      entrepreneurs: null,
      referralsMade: null,
      accepted: null,
      declined: null,
      declinedByReason: null,
      withdrawn: null,
      forwarded: null,
      completed: null,
      outcomesByCode: null,
      financingMobilisedEuros: null,
      subsidyMobilisedEuros: null,
      jobsRetained: null,
      jobsCreated: null,
      acceptanceRate: null,
      medianDaysToFirstResponse: null,
      p90DaysToFirstResponse: null,
      medianDaysToOutcome: null,
      p90DaysToOutcome: null,
      answeredWithinSlaShare: null,
      suppressed: true,
    };
  }
  const answeredOrDecided = row.accepted + row.declined;
  return {
    ...dimensions,
    entrepreneurs: row.entrepreneurs,
    referralsMade: row.referrals_made,
    accepted: row.accepted,
    declined: row.declined,
    declinedByReason: DECLINE_REASONS.filter((reason) => row.by_reason[reason]).map((reason) => ({ reason, count: row.by_reason[reason] as number })),
    withdrawn: row.withdrawn,
    forwarded: row.forwarded,
    completed: row.completed,
    outcomesByCode: OUTCOME_CODES.filter((code) => row.by_code[code]).map((code) => ({ code, count: row.by_code[code] as number })),
    financingMobilisedEuros: euros(row.financing_cents),
    subsidyMobilisedEuros: euros(row.subsidy_cents),
    jobsRetained: Number(row.jobs_retained),
    jobsCreated: Number(row.jobs_created),
    acceptanceRate: answeredOrDecided > 0 ? row.accepted / answeredOrDecided : null,
    medianDaysToFirstResponse: row.median_days_to_first_response,
    p90DaysToFirstResponse: row.p90_days_to_first_response,
    medianDaysToOutcome: row.median_days_to_outcome,
    p90DaysToOutcome: row.p90_days_to_outcome,
    answeredWithinSlaShare: row.sla_relevant > 0 ? row.answered_in_time / row.sla_relevant : null,
    suppressed: false,
  };
}

/** Runs a report on any connection (a DataSource, an EntityManager, a pg client's rows adapter). */
export async function computeStatistics(
  database: { query(sql: string, params?: unknown[]): Promise<unknown> },
  request: StatisticsRequest,
): Promise<StatisticsCell[]> {
  const { sql, params } = statisticsQuery(request);
  const result = await database.query(sql, params);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as CellRow[];
  return rows.map((row) => toCell(row, request.access.suppressSmallCells));
}
