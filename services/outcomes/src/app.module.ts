import { Module, type DynamicModule } from '@nestjs/common';
import { projectionsMigration } from '@koppelstuk/projections';
import { HealthModule, InfrastructureModule, loggingModule, projectionProviders, subgraphModule } from '@koppelstuk/service-kit';
import type { OutcomesConfig } from './config';
import { OUTCOME_ENTITIES, outcomesMigrations, outcomesProjection } from '@koppelstuk/outcome-statistics';
import { OutcomeStatistics } from './statistics/outcome-statistics';
import { OrganisationStatisticsResolver, ReferralStatisticsResolver, StatisticsResolver } from './statistics/statistics.resolver';

@Module({})
export class OutcomesModule {
  static forRoot(config: OutcomesConfig): DynamicModule {
    return {
      module: OutcomesModule,
      imports: [
        loggingModule('outcomes', config.LOG_LEVEL),
        InfrastructureModule.forRoot({
          service: 'outcomes',
          config,
          entities: OUTCOME_ENTITIES,
          migrations: [projectionsMigration, ...outcomesMigrations],
        }),
        HealthModule,
        subgraphModule('outcomes', config.NODE_ENV === 'production'),
      ],
      providers: [OutcomeStatistics, StatisticsResolver, OrganisationStatisticsResolver, ReferralStatisticsResolver, ...projectionProviders(outcomesProjection)],
    };
  }
}
