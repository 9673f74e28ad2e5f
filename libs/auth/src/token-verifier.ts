import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { isOrganisationId, ROLES, type Role } from '@koppelstuk/domain';
import { AuthenticationError, type Principal } from './principal';

export interface AuthConfig {
  readonly issuer: string;
  readonly audience: string;
  /** A JWKS endpoint (an OIDC provider's) or the keys themselves (the development issuer's). */
  readonly jwks: { readonly url: string } | { readonly keys: JSONWebKeySet };
  /** Claim holding the organisation id; dots reach into nested claims. */
  readonly organisationClaim: string;
  /** Claim holding the roles array, e.g. `roles` or Keycloak's `realm_access.roles`. */
  readonly rolesClaim: string;
  readonly clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  /** Accepts a bare token or an `Authorization` header value (`Bearer <token>`). */
  verify(tokenOrHeader: string | undefined | null): Promise<Principal>;
}

/** Asymmetric algorithms only: `none` and shared-secret HMAC tokens are never accepted. */
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const MAX_TOKEN_LENGTH = 8192;

/**
 * A token verified once is not verified again for a while: every request is checked at the gateway and at
 * each subgraph it reaches, and ES256 checks are the largest CPU cost per request. An entry lives until the
 * token expires or for CACHE_SECONDS, whichever comes first (so a key withdrawn from the JWKS stops being
 * trusted within that time); the cache holds at most CACHE_ENTRIES tokens, the oldest leaving first.
 */
const CACHE_SECONDS = 60;
const CACHE_ENTRIES = 10_000;

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const keys = 'url' in config.jwks ? createRemoteJWKSet(new URL(config.jwks.url)) : createLocalJWKSet(config.jwks.keys);
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    async verify(tokenOrHeader) {
      const token = bearerToken(tokenOrHeader);
      const known = verified.get(token);
      if (known && known.until > Date.now()) return known.principal;
      verified.delete(token);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: ALGORITHMS,
          clockTolerance: config.clockToleranceSeconds ?? 5,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw new AuthenticationError(describe(error));
      }
      const principal = toPrincipal(payload, config);
      if (verified.size >= CACHE_ENTRIES) verified.delete(verified.keys().next().value as string);
      verified.set(token, { principal, until: Math.min((payload.exp as number) * 1000, Date.now() + CACHE_SECONDS * 1000) });
      return principal;
    },
  };
}

function bearerToken(value: string | undefined | null): string {
  if (!value || value.trim() === '') throw new AuthenticationError('Sign in: this request carries no bearer token');
  const token = value.startsWith('Bearer ') ? value.slice('Bearer '.length).trim() : value.trim();
  if (token.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]*\.[\w-]*$/.test(token)) {
    throw new AuthenticationError('The bearer token is not a JSON Web Token');
  }
  return token;
}

function toPrincipal(payload: JWTPayload, config: AuthConfig): Principal {
  const organisationId = claim(payload, config.organisationClaim);
  if (typeof organisationId !== 'string' || !isOrganisationId(organisationId)) {
    throw new AuthenticationError(`The token names no organisation (claim "${config.organisationClaim}")`);
  }
  const rawRoles = claim(payload, config.rolesClaim);
  const roles = (Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(' ') : []).filter(
    (role): role is Role => (ROLES as readonly unknown[]).includes(role),
  );
  if (roles.length === 0) {
    throw new AuthenticationError(`The token grants no Koppelstuk role (claim "${config.rolesClaim}": one of ${ROLES.join(', ')})`);
  }
  return { userId: payload.sub as string, organisationId, roles: [...new Set(roles)] };
}

function claim(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired; get a new one';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'The token comes from an issuer this server does not trust';
    if (error.claim === 'aud') return 'The token is meant for another audience';
    if (error.claim === 'nbf') return 'The token is not valid yet';
    return `The token's "${error.claim}" claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this server does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token is signed with a key this server does not know';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'The bearer token is malformed';
  return 'The token could not be verified';
}
