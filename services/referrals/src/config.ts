import { z } from 'zod';
import { loadConfig, port } from '@koppelstuk/service-kit';

export const loadReferralsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      PORT: port(4001),
      /** How often the deadline watcher looks for referrals past their SLA (milliseconds). */
      DEADLINE_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    },
    env,
  );
export type ReferralsConfig = ReturnType<typeof loadReferralsConfig>;
