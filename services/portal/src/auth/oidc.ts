import * as oauth from 'oauth4webapi';
import type { PortalConfig } from './portal-config';
import { claimAt, jwtClaims, ROLES, type Role, type Session } from './session';

/**
 * Sign-in with the organisation's OIDC provider: the authorization-code flow with PKCE (oauth4webapi),
 * as a public client. The access token is what the gateway verifies; organisation and roles are read from
 * it (unverified, only to choose screens) with the claim names the gateway uses.
 */
type OidcConfig = Extract<PortalConfig, { auth: 'oidc' }> & { clientId: string };
const PENDING = 'koppelstuk.oidc.pending';
export const CALLBACK_PATH = '/auth/callback';

const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

/** Plain http only for a provider on this machine (development and tests); anything else must be https. */
const loopback = (url: URL) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const requestOptions = (issuer: URL) => (loopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {});

async function authorizationServer(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) }));
}

export async function startOidcSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  const as = await authorizationServer(config);
  if (!as.authorization_endpoint) throw new Error('The identity provider has no authorization endpoint');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, nonce, returnTo }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  window.location.assign(url.toString());
}

/** On /auth/callback: exchanges the code for tokens and returns the session and where to go next. */
export async function completeOidcSignIn(config: OidcConfig, currentUrl: URL): Promise<{ session: Session; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { codeVerifier: string; state: string; nonce: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('No sign-in was started in this tab; start again');
  const as = await authorizationServer(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, currentUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.codeVerifier, requestOptions(new URL(config.issuer)));
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  const claims = jwtClaims(result.access_token);
  const idClaims = oauth.getValidatedIdTokenClaims(result);
  const organisationId = claimAt(claims, config.organisationClaim);
  const rawRoles = claimAt(claims, config.rolesClaim);
  const roles = (Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(' ') : []).filter((r): r is Role => ROLES.includes(r as Role));
  if (typeof organisationId !== 'string' || roles.length === 0) throw new Error('NO_ROLE');
  const expiresIn = typeof result.expires_in === 'number' ? result.expires_in : 3600;
  const name = (idClaims?.['name'] ?? idClaims?.['preferred_username'] ?? claims['sub']) as string;
  return {
    returnTo: pending.returnTo,
    session: {
      token: result.access_token,
      expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
      userId: String(claims['sub']),
      displayName: name,
      organisationId,
      organisationName: null,
      roles,
      source: 'oidc',
    },
  };
}
