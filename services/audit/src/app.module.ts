import { Module, type DynamicModule } from '@nestjs/common';
import { projectionsMigration } from '@koppelstuk/projections';
import { ConfigurationError, HealthModule, InfrastructureModule, loggingModule, projectionProviders, subgraphModule } from '@koppelstuk/service-kit';
import { SubjectAccessResolver } from './access-log/subject-access.resolver';
import { AsOfResolver } from './as-of/as-of.resolver';
import { AuditLogResolver } from './audit-log/audit-log.resolver';
import { AuditChainRow, auditMigrations, ChainCheckpointRow } from './chain/audit-tables';
import { chainProjection } from './chain/chain.projection';
import { loadChainSigner, SigningKeyError, type ChainSigner } from './chain/chain-signer';
import { CHAIN_SIGNER } from './chain/tokens';
import type { AuditConfig } from './config';
import { EventExportResolver } from './export/event-export.resolver';
import { FieldChangeResolver, HistoryReferralResolver, ReferralHistories } from './history/history.resolver';
import { AuditProjectionResolver } from './projection-status/audit-projection.resolver';
import { VerifyLogResolver } from './verify-log/verify-log.resolver';

@Module({})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    const signer = signerFor(config);
    return {
      module: AuditModule,
      imports: [
        loggingModule('audit', config.LOG_LEVEL),
        InfrastructureModule.forRoot({
          service: 'audit',
          config,
          entities: [AuditChainRow, ChainCheckpointRow],
          migrations: [projectionsMigration, ...auditMigrations],
        }),
        HealthModule,
        subgraphModule('audit', config.NODE_ENV === 'production'),
      ],
      providers: [
        { provide: CHAIN_SIGNER, useValue: signer },
        ReferralHistories,
        HistoryReferralResolver,
        FieldChangeResolver,
        AsOfResolver,
        AuditLogResolver,
        VerifyLogResolver,
        EventExportResolver,
        SubjectAccessResolver,
        AuditProjectionResolver,
        ...projectionProviders(chainProjection({ signer, checkpointEvery: config.KOPPELSTUK_AUDIT_CHECKPOINT_EVERY })),
      ],
    };
  }
}

/** A missing or unusable signing key is a configuration problem: the service stops with a clear message. */
export function signerFor(config: AuditConfig): ChainSigner {
  try {
    return loadChainSigner({
      keyFile: config.KOPPELSTUK_AUDIT_SIGNING_KEY_FILE,
      dataDir: config.KOPPELSTUK_DATA_DIR,
      production: config.NODE_ENV === 'production',
    });
  } catch (error) {
    if (error instanceof SigningKeyError) throw new ConfigurationError([error.message]);
    throw error;
  }
}
