import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { projectionsMigration } from '@koppelstuk/projections';
import { HealthModule, InfrastructureModule, loggingModule, projectionProviders, subgraphModule } from '@koppelstuk/service-kit';
import { ActOnReferralHandler } from './act-on-referral/act-on-referral';
import { ReferralActionsResolver } from './act-on-referral/referral-actions.resolver';
import type { ReferralsConfig } from './config';
import { ChangeSubjectHandler } from './consent/subject-commands';
import { SubjectResolver } from './consent/subject.resolver';
import { ForwardCompletion, ForwardReferralHandler } from './forward-referral/forward-referral';
import { ForwardReferralResolver } from './forward-referral/forward-referral.resolver';
import { MakeReferralHandler } from './make-referral/make-referral';
import { MakeReferralResolver } from './make-referral/make-referral.resolver';
import { DeadlineWatcher } from './process/deadline-watcher';
import { OpenReferrals } from './process/open-referrals';
import { OpenReferralRow, PendingForwardRow, ReferralProcessTables1764000000100 } from './process/process-tables';
import { referralProcessProjection } from './process/referral-process.projection';
import { ReferralReader } from './read-referral/referral-reader';
import { ReferralResolver } from './read-referral/referral.resolver';

@Module({})
export class ReferralsModule {
  static forRoot(config: ReferralsConfig): DynamicModule {
    return {
      module: ReferralsModule,
      imports: [
        loggingModule('referrals', config.LOG_LEVEL),
        InfrastructureModule.forRoot({
          service: 'referrals',
          config,
          entities: [OpenReferralRow, PendingForwardRow],
          migrations: [projectionsMigration, ReferralProcessTables1764000000100],
        }),
        CqrsModule.forRoot(),
        HealthModule,
        subgraphModule('referrals', config.NODE_ENV === 'production'),
      ],
      providers: [
        ReferralReader,
        ReferralResolver,
        ReferralActionsResolver,
        ActOnReferralHandler,
        MakeReferralHandler,
        MakeReferralResolver,
        ForwardCompletion,
        ForwardReferralHandler,
        ForwardReferralResolver,
        ChangeSubjectHandler,
        SubjectResolver,
        OpenReferrals,
        DeadlineWatcher,
        ...projectionProviders(referralProcessProjection),
      ],
    };
  }
}
