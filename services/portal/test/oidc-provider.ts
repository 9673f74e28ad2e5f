import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/**
 * A minimal OpenID Connect provider for the portal's sign-in test: discovery, an authorization endpoint
 * that approves at once (no login page), a token endpoint that insists on PKCE (S256) and a key set the
 * gateway verifies the access token with. It records whether every code was redeemed with its verifier.
 */
export interface TestProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  readonly audience: string;
  /** One entry per token request: whether the code verifier matched the challenge of the authorization request. */
  readonly redemptions: { pkce: boolean; redirectUri: string }[];
  readonly authorizations: { codeChallengeMethod: string | null; scope: string | null; state: string | null; nonce: string | null }[];
  stop(): Promise<void>;
}

export interface TestUser {
  readonly sub: string;
  readonly name: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
}

export async function startTestProvider(user: TestUser, clientId = 'koppelstuk-portal', audience = 'koppelstuk-api'): Promise<TestProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string | null; redirectUri: string }>();
  const redemptions: TestProvider['redemptions'] = [];
  const authorizations: TestProvider['authorizations'] = [];
  let issuer = '';

  const sign = (key: KeyLike, claims: Record<string, unknown>, aud: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }).setIssuer(issuer).setAudience(aud).setSubject(user.sub).setIssuedAt().setExpirationTime('1h').sign(key);

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'content-type, accept, authorization, dpop');
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    if (request.method === 'OPTIONS') {
      response.statusCode = 204;
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', issuer);
    const json = (body: unknown, status = 200) => {
      response.statusCode = status;
      response.setHeader('content-type', 'application/json');
      response.setHeader('cache-control', 'no-store');
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['none'],
        subject_types_supported: ['public'],
      });
      return;
    }
    if (url.pathname === '/jwks') {
      json({ keys: [jwk] });
      return;
    }
    if (url.pathname === '/authorize') {
      const params = url.searchParams;
      authorizations.push({ codeChallengeMethod: params.get('code_challenge_method'), scope: params.get('scope'), state: params.get('state'), nonce: params.get('nonce') });
      const redirectUri = params.get('redirect_uri') ?? '';
      if (params.get('client_id') !== clientId || params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) {
        json({ error: 'invalid_request' }, 400);
        return;
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: params.get('code_challenge') as string, nonce: params.get('nonce'), redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (params.get('state')) back.searchParams.set('state', params.get('state') as string);
      back.searchParams.set('iss', issuer);
      response.statusCode = 302;
      response.setHeader('location', back.toString());
      response.end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const pkce = !!grant && createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
      redemptions.push({ pkce, redirectUri: form.get('redirect_uri') ?? '' });
      if (!grant || !pkce || form.get('client_id') !== clientId || form.get('redirect_uri') !== grant.redirectUri || form.get('grant_type') !== 'authorization_code') {
        json({ error: 'invalid_grant' }, 400);
        return;
      }
      json({
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: await sign(privateKey, { org: user.organisationId, roles: user.roles }, audience),
        id_token: await sign(privateKey, { name: user.name, ...(grant.nonce ? { nonce: grant.nonce } : {}) }, clientId),
      });
      return;
    }
    json({ error: 'not_found' }, 404);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId,
    audience,
    redemptions,
    authorizations,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
