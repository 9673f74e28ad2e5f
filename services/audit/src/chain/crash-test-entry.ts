import { chainProjection, DEFAULT_CHECKPOINT_EVERY } from './chain.projection';
import { loadChainSigner } from './chain-signer';
import { auditMigrations } from './audit-tables';

/**
 * Entry points for libs/projections' crash-test child process, which loads a module by path and calls a
 * factory without arguments: the signing key and interval therefore come from the environment the test sets.
 */
export const createChainProjection = () =>
  chainProjection({
    signer: loadChainSigner({
      keyFile: process.env['KOPPELSTUK_AUDIT_SIGNING_KEY_FILE'],
      dataDir: process.env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk',
      production: false,
    }),
    checkpointEvery: Number(process.env['KOPPELSTUK_AUDIT_CHECKPOINT_EVERY'] ?? DEFAULT_CHECKPOINT_EVERY),
  });
export const chainMigrations = auditMigrations;
