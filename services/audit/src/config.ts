import { z } from 'zod';
import { loadConfig, port } from '@koppelstuk/service-kit';

/** The audit service's and the CLI's settings: the base ones plus the chain's checkpoint interval and signing key. */
export const auditConfigShape = {
  PORT: port(4005),
  /** A signed checkpoint every this many chained events. */
  KOPPELSTUK_AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** An Ed25519 private key (PKCS8 PEM). Without it one is generated once in KOPPELSTUK_DATA_DIR (not in production). */
  KOPPELSTUK_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
};

export const loadAuditConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(auditConfigShape, env);
export type AuditConfig = ReturnType<typeof loadAuditConfig>;
