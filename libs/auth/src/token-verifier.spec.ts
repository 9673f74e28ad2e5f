import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT, type KeyLike } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer';
import { AuthenticationError } from './principal';
import { authConfigFromEnv } from './auth-config';
import { createTokenVerifier, type AuthConfig } from './token-verifier';

describe('token verification', () => {
  let issuer: DevIssuer;
  let config: AuthConfig;
  const agent = { userId: 'u-1', organisationId: 'rabobank-twente', roles: ['partner_agent'] as const };

  beforeAll(async () => {
    issuer = await DevIssuer.ephemeral();
    config = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: issuer.jwks() }, organisationClaim: 'org', rolesClaim: 'roles' };
  });

  const refusal = async (token: string | undefined) => {
    const error = await createTokenVerifier(config).verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    return (error as AuthenticationError).message;
  };

  it('accepts a token of the trusted issuer and returns the principal', async () => {
    const token = await issuer.issue(agent);
    await expect(createTokenVerifier(config).verify(`Bearer ${token}`)).resolves.toEqual({
      userId: 'u-1',
      organisationId: 'rabobank-twente',
      roles: ['partner_agent'],
    });
  });

  it('refuses a missing or malformed token', async () => {
    expect(await refusal(undefined)).toMatch(/no bearer token/);
    expect(await refusal('Bearer not-a-jwt')).toMatch(/not a JSON Web Token/);
  });

  it('refuses a token signed with another key (forged)', async () => {
    const forger = await DevIssuer.ephemeral();
    expect(await refusal(await forger.issue(agent))).toMatch(/key this server does not know|signature/);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await issuer.issue(agent)).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'u-1', org: 'gm0141-almelo', roles: ['admin'], iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: 9999999999 })).toString('base64url');
    expect(await refusal(`${header}.${payload}.${signature}`)).toMatch(/signature/);
  });

  it('refuses an expired token', async () => {
    expect(await refusal(await issuer.issue({ ...agent, expiresInSeconds: -60 }))).toMatch(/expired/);
  });

  it('refuses a token of another issuer and one meant for another audience', async () => {
    expect(await refusal(await issuer.issue({ ...agent, issuer: 'https://evil.example' }))).toMatch(/issuer/);
    expect(await refusal(await issuer.issue({ ...agent, audience: 'someone-else' }))).toMatch(/audience/);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT({ org: 'rabobank-twente', roles: ['admin'] })
      .setSubject('u-1')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .encode();
    expect(await refusal(unsigned)).toMatch(/algorithm|malformed|not a JSON Web Token/);
  });

  it('refuses a token signed with a shared secret (HS256)', async () => {
    const token = await new SignJWT({ org: 'rabobank-twente', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256'));
    expect(await refusal(token)).toMatch(/algorithm/);
  });

  it('refuses a token without an organisation or without a known role', async () => {
    expect(await refusal(await issuer.issue({ ...agent, organisationId: 'Not A Slug' }))).toMatch(/organisation/);
    expect(await refusal(await issuer.issue({ ...agent, roles: ['superuser' as never] }))).toMatch(/role/);
  });

  it('reads organisation and roles from configured, nested claims', async () => {
    const keycloak = await DevIssuer.ephemeral();
    const token = await new SignJWT({ tenant: { id: 'gm0141-almelo' }, realm_access: { roles: ['city_officer', 'offline_access'] } })
      .setProtectedHeader({ alg: 'ES256', kid: keycloak.jwks().keys[0]?.kid as string })
      .setSubject('officer-7')
      .setIssuer('https://id.almelo.nl/realms/g40')
      .setAudience('koppelstuk-api')
      .setExpirationTime('1h')
      .sign(await (keycloak as unknown as { privateKey: KeyLike }).privateKey);
    const verifier = createTokenVerifier({
      issuer: 'https://id.almelo.nl/realms/g40',
      audience: 'koppelstuk-api',
      jwks: { keys: keycloak.jwks() },
      organisationClaim: 'tenant.id',
      rolesClaim: 'realm_access.roles',
    });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'officer-7', organisationId: 'gm0141-almelo', roles: ['city_officer'] });
  });
});

describe('development issuer', () => {
  it('keeps its key pair in the data directory, private key readable by its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koppelstuk-dev-issuer-'));
    try {
      const first = await DevIssuer.loadOrCreate(dir);
      const again = await DevIssuer.loadOrCreate(dir);
      expect(again.jwks()).toEqual(first.jwks());
      expect(DevIssuer.readJwks(dir)).toEqual(first.jwks());
      expect(statSync(join(dir, 'dev-issuer', 'private.jwk.json')).mode & 0o077).toBe(0);
      const token = await again.issue({ userId: 'u', organisationId: 'gm0141-almelo', roles: ['city_officer'] });
      const verifier = createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: first.jwks() }, organisationClaim: 'org', rolesClaim: 'roles' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ organisationId: 'gm0141-almelo' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('services starting at the same moment on a new data directory all end up with one and the same key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koppelstuk-dev-issuer-'));
    try {
      const issuers = await Promise.all(Array.from({ length: 6 }, () => DevIssuer.loadOrCreate(dir)));
      const keySets = issuers.map((issuer) => JSON.stringify(issuer.jwks()));
      expect(new Set(keySets).size).toBe(1);
      expect(DevIssuer.readJwks(dir)).toEqual(issuers[0]?.jwks());
      const token = await (issuers[3] as DevIssuer).issue({ userId: 'u', organisationId: 'gm0141-almelo', roles: ['city_officer'] });
      const verifier = createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: (issuers[5] as DevIssuer).jwks() }, organisationClaim: 'org', rolesClaim: 'roles' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ organisationId: 'gm0141-almelo' });
      expect(readdirSync(join(dir, 'dev-issuer')).sort()).toEqual(['jwks.json', 'private.jwk.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  it('production never falls back to the development issuer', async () => {
    await expect(authConfigFromEnv({ NODE_ENV: 'production' })).rejects.toThrow(/OIDC_ISSUER/);
  });

  it('with OIDC_ISSUER it needs the key set and the audience too', async () => {
    await expect(authConfigFromEnv({ OIDC_ISSUER: 'https://id.example.nl' })).rejects.toThrow(/OIDC_JWKS_URL/);
    await expect(authConfigFromEnv({ OIDC_ISSUER: 'https://id.example.nl', OIDC_JWKS_URL: 'https://id.example.nl/jwks', OIDC_AUDIENCE: 'koppelstuk' })).resolves.toMatchObject({
      issuer: 'https://id.example.nl',
      audience: 'koppelstuk',
      jwks: { url: 'https://id.example.nl/jwks' },
    });
  });
});
