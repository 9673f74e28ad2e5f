import type { GatewayConfig } from '../config';

/** How the portal signs in, as GET /portal/config tells it. */
export type PortalConfig =
  | { readonly auth: 'development' }
  | {
      readonly auth: 'oidc';
      readonly issuer: string;
      /** null when the provider is configured but the portal has no client there (OIDC_PORTAL_CLIENT_ID). */
      readonly clientId: string | null;
      readonly scope: string;
      /** Where the token keeps the organisation and roles (the portal reads them only to choose its screens). */
      readonly organisationClaim: string;
      readonly rolesClaim: string;
    }
  /** Production without an identity provider: nobody can sign in to the portal. */
  | { readonly auth: 'none' };

type AuthSettings = Pick<GatewayConfig, 'NODE_ENV' | 'OIDC_ISSUER' | 'OIDC_PORTAL_CLIENT_ID' | 'OIDC_PORTAL_SCOPE' | 'OIDC_ORGANISATION_CLAIM' | 'OIDC_ROLES_CLAIM'>;

/** The development sign-in (GET /dev/identities, POST /dev/token) exists only without OIDC and outside production. */
export const developmentSignIn = (config: AuthSettings): boolean => !config.OIDC_ISSUER && config.NODE_ENV !== 'production';

export function portalConfig(config: AuthSettings): PortalConfig {
  if (config.OIDC_ISSUER) {
    return {
      auth: 'oidc',
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_PORTAL_CLIENT_ID ?? null,
      scope: config.OIDC_PORTAL_SCOPE,
      organisationClaim: config.OIDC_ORGANISATION_CLAIM,
      rolesClaim: config.OIDC_ROLES_CLAIM,
    };
  }
  return developmentSignIn(config) ? { auth: 'development' } : { auth: 'none' };
}
