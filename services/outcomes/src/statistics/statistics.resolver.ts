import { Args, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { canSeeReferral, hasRole } from '@koppelstuk/domain';
import { appError, Ctx, ProjectionRunners, type RequestContext } from '@koppelstuk/service-kit';
import { DataSource } from 'typeorm';
import {
  OutcomeReferralRow,
  OUTCOMES_PROJECTION_NAME,
  type AsOf,
  type PeriodGranularity,
  type StatisticsCell,
  type StatisticsDimension,
  type StatisticsFilter,
} from '@koppelstuk/outcome-statistics';
import { OutcomeStatistics } from './outcome-statistics';
import { mayReadOrganisation, statisticsAccess } from './statistics-access';

/** A calendar date that exists (the Date scalar only checks its shape; 2026-02-30 must not reach SQL). */
function checkDate(value: string | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw appError('BAD_USER_INPUT', `${value} is not a calendar date`, { field });
  }
}

function checkFilter(filter: StatisticsFilter | null | undefined): void {
  checkDate(filter?.sentFrom, 'filter.sentFrom');
  checkDate(filter?.sentTo, 'filter.sentTo');
}

@Resolver()
export class StatisticsResolver {
  constructor(
    private readonly statistics: OutcomeStatistics,
    private readonly runners: ProjectionRunners,
  ) {}

  @Query('outcomeStatistics')
  outcomeStatistics(
    @Args('groupBy') groupBy: StatisticsDimension[],
    @Args('period') period: PeriodGranularity | null,
    @Args('filter') filter: StatisticsFilter | null,
    @Ctx() context: RequestContext,
  ): Promise<StatisticsCell[]> {
    const access = statisticsAccess(context.principal);
    checkFilter(filter);
    return this.statistics.cells({ groupBy, period, filter, asOf: { kind: 'now' }, access });
  }

  @Query('outcomeStatisticsAsOf')
  outcomeStatisticsAsOf(
    @Args('date') date: string | null,
    @Args('at') at: string | null,
    @Args('groupBy') groupBy: StatisticsDimension[],
    @Args('period') period: PeriodGranularity | null,
    @Args('filter') filter: StatisticsFilter | null,
    @Ctx() context: RequestContext,
  ): Promise<StatisticsCell[]> {
    const access = statisticsAccess(context.principal);
    if ((date === null || date === undefined) === (at === null || at === undefined)) {
      throw appError('BAD_USER_INPUT', 'Give exactly one of date (end of that day, Amsterdam time) and at (an instant)', { field: date ? 'at' : 'date' });
    }
    checkDate(date, 'date');
    checkFilter(filter);
    const asOf: AsOf = date ? { kind: 'end_of_day', date } : { kind: 'instant', at: at as string };
    return this.statistics.cells({ groupBy, period, filter, asOf, access });
  }

  @Query('outcomesProjection')
  outcomesProjection(@Ctx() context: RequestContext) {
    if (!hasRole(context.principal, 'admin')) throw appError('FORBIDDEN', 'Only admins can see the projection status');
    return this.runners.report(OUTCOMES_PROJECTION_NAME);
  }
}

/** Organisation (owned by the directory) gains its own statistics here, grouped by period. */
@Resolver('Organisation')
export class OrganisationStatisticsResolver {
  constructor(private readonly statistics: OutcomeStatistics) {}

  @ResolveReference()
  reference(reference: { id: string }): { id: string } {
    return { id: reference.id };
  }

  @ResolveField('outcomeStatistics')
  outcomeStatistics(
    @Parent() organisation: { id: string },
    @Args('period') period: PeriodGranularity | null,
    @Args('from') from: string | null,
    @Args('to') to: string | null,
    @Ctx() context: RequestContext,
  ): Promise<StatisticsCell[]> | StatisticsCell[] {
    const access = statisticsAccess(context.principal);
    // Someone else's organisation: nothing, and nothing that tells whether it has referrals at all.
    if (!mayReadOrganisation(access, organisation.id)) return [];
    checkDate(from, 'from');
    checkDate(to, 'to');
    return this.statistics.cells({
      groupBy: ['period'],
      period,
      filter: { sentFrom: from, sentTo: to },
      asOf: { kind: 'now' },
      access,
      organisationId: organisation.id,
    });
  }
}

/** Referral (owned by the referrals subgraph) gains whether it is counted in the statistics. */
@Resolver('Referral')
export class ReferralStatisticsResolver {
  constructor(private readonly dataSource: DataSource) {}

  @ResolveReference()
  reference(reference: { id: string }): { id: string } {
    return { id: reference.id };
  }

  @ResolveField('countedInStatistics')
  async countedInStatistics(@Parent() referral: { id: string }, @Ctx() context: RequestContext): Promise<boolean | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(referral.id)) return null;
    const row = await this.dataSource.getRepository(OutcomeReferralRow).findOne({
      where: { referralId: referral.id },
      select: { referralId: true, cityId: true, partnerId: true, counted: true },
    });
    if (!row || !canSeeReferral(context.principal, row)) return null;
    return row.counted;
  }
}
