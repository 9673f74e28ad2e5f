import { resolve } from 'node:path';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer';
import type { AuthConfig } from './token-verifier';

/**
 * OIDC_ISSUER + OIDC_JWKS_URL + OIDC_AUDIENCE: only that provider's tokens are accepted. Without
 * OIDC_ISSUER: the development issuer of this installation (its keys in KOPPELSTUK_DATA_DIR, created on
 * first use), so that `npm start` and `npm run token` work with no identity provider at all.
 */
export async function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AuthConfig> {
  const organisationClaim = env['OIDC_ORGANISATION_CLAIM'] || 'org';
  const rolesClaim = env['OIDC_ROLES_CLAIM'] || 'roles';
  const issuer = env['OIDC_ISSUER'];
  if (issuer) {
    const url = env['OIDC_JWKS_URL'];
    const audience = env['OIDC_AUDIENCE'];
    if (!url || !audience) {
      throw new Error('With OIDC_ISSUER set, also set OIDC_JWKS_URL (the provider\'s key set) and OIDC_AUDIENCE (this API\'s client id)');
    }
    return { issuer, audience, jwks: { url }, organisationClaim, rolesClaim };
  }
  if (env['NODE_ENV'] === 'production') {
    throw new Error('Set OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE: production does not trust the development token issuer');
  }
  const dataDir = resolve(env['KOPPELSTUK_DATA_DIR'] ?? '.koppelstuk');
  const issuerKeys = await DevIssuer.loadOrCreate(dataDir);
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: issuerKeys.jwks() }, organisationClaim: 'org', rolesClaim: 'roles' };
}
