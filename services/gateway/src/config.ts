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
      /**
       * The federation runtime: Apollo Gateway or Hive Gateway, on the same supergraph with the same behaviour
       * (token verified before planning, depth and cost limits, error shapes). Chosen by bench/ (gateway benchmark).
       */
      GATEWAY_RUNTIME: z.enum(['apollo', 'hive']).default('apollo'),
      MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
      MAX_QUERY_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
      MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
      /** With an OIDC provider (see libs/auth): the portal signs in there with the authorization-code flow and PKCE. */
      OIDC_ISSUER: z.string().url().optional(),
      /** The portal's public client id at that provider. */
      OIDC_PORTAL_CLIENT_ID: z.string().min(1).optional(),
      OIDC_PORTAL_SCOPE: z.string().min(1).default('openid profile'),
      OIDC_ORGANISATION_CLAIM: z.string().min(1).default('org'),
      OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
    },
    env,
  );
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function subgraphUrls(config: GatewayConfig): Record<string, string> {
  return { referrals: config.REFERRALS_URL, directory: config.DIRECTORY_URL, inbox: config.INBOX_URL, outcomes: config.OUTCOMES_URL, audit: config.AUDIT_URL };
}
