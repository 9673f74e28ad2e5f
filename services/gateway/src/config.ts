import { z } from 'zod';
import { loadConfig, port } from '@koppelstuk/service-kit';
import { defaultSubgraphUrl } from './supergraph/compose';

const url = (name: string) => z.string().url().default(defaultSubgraphUrl(name));

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      PORT: port(4000),
      REFERRALS_URL: url('referrals'),
      DIRECTORY_URL: url('directory'),
      INBOX_URL: url('inbox'),
      OUTCOMES_URL: url('outcomes'),
      AUDIT_URL: url('audit'),
      /** The composed supergraph; default schema/supergraph.graphql of this checkout or image. */
      SUPERGRAPH_PATH: z.string().optional(),
      /** The portal's static build, served at /; default services/portal/dist if it exists. */
      PORTAL_DIR: z.string().optional(),
      MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
      MAX_QUERY_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
      MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
    },
    env,
  );
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function subgraphUrls(config: GatewayConfig): Record<string, string> {
  return { referrals: config.REFERRALS_URL, directory: config.DIRECTORY_URL, inbox: config.INBOX_URL, outcomes: config.OUTCOMES_URL, audit: config.AUDIT_URL };
}
