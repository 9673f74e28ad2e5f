import { inboxProjection, InboxTables1764000000200 } from '@koppelstuk/inbox-read-model';
import { outcomesMigrations, outcomesProjection } from '@koppelstuk/outcome-statistics';
import { auditMigrations } from '../chain/audit-tables';
import { CHAIN_PROJECTION_NAME, chainProjection } from '../chain/chain.projection';
import type { ReplayTarget } from './replay-target';

/**
 * The projections `koppelstuk-audit replay <name>` knows. A replay never signs checkpoints (signer: null):
 * it proves, it leaves no evidence behind. Register another read model here with its definition, its
 * migrations and its service's migrations table.
 */
export const REPLAY_TARGETS: Readonly<Record<string, ReplayTarget>> = {
  [CHAIN_PROJECTION_NAME]: { projection: chainProjection({ signer: null }), migrations: auditMigrations, migrationsTable: 'koppelstuk_audit_migrations' },
  // The outcome statistics: the figures cities publish. Its tables are the outcomes service's.
  [outcomesProjection.name]: { projection: outcomesProjection, migrations: outcomesMigrations, migrationsTable: 'koppelstuk_outcomes_migrations' },
  // The partner inbox and city tracker.
  [inboxProjection.name]: { projection: inboxProjection, migrations: [InboxTables1764000000200], migrationsTable: 'koppelstuk_inbox_migrations' },
};
