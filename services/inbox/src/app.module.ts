import { Module, type DynamicModule } from '@nestjs/common';
import { projectionsMigration } from '@koppelstuk/projections';
import { HealthModule, InfrastructureModule, loggingModule, projectionProviders, subgraphModule } from '@koppelstuk/service-kit';
import type { InboxConfig } from './config';
import { InboxOrganisationResolver, InboxQueriesResolver, InboxReferralResolver, ReferralConnectionResolver } from './queries/inbox.resolver';
import { ReferralPages } from './queries/referral-page';
import { inboxProjection, InboxConsentRow, InboxErasureRow, InboxReferralRow, InboxTables1764000000200 } from '@koppelstuk/inbox-read-model';

@Module({})
export class InboxModule {
  static forRoot(config: InboxConfig): DynamicModule {
    return {
      module: InboxModule,
      imports: [
        loggingModule('inbox', config.LOG_LEVEL),
        InfrastructureModule.forRoot({
          service: 'inbox',
          config,
          entities: [InboxReferralRow, InboxConsentRow, InboxErasureRow],
          migrations: [projectionsMigration, InboxTables1764000000200],
        }),
        HealthModule,
        subgraphModule('inbox', config.NODE_ENV === 'production'),
      ],
      providers: [ReferralPages, InboxQueriesResolver, InboxReferralResolver, InboxOrganisationResolver, ReferralConnectionResolver, ...projectionProviders(inboxProjection)],
    };
  }
}
