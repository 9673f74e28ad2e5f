import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { computeStatistics, type StatisticsCell, type StatisticsRequest } from '@koppelstuk/outcome-statistics';

/**
 * Outcome statistics, computed at query time from the read model as of an instant: referrals recorded by
 * then (and whose consent allows anonymous statistics), and of their facts only those recorded by then.
 * One SQL statement, so every figure of a report comes from the same snapshot.
 */
@Injectable()
export class OutcomeStatistics {
  constructor(private readonly dataSource: DataSource) {}

  cells(request: StatisticsRequest): Promise<StatisticsCell[]> {
    return computeStatistics(this.dataSource, request);
  }
}

