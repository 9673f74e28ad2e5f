import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTokenVerifier, DEV_AUDIENCE, DEV_ISSUER, DevIssuer, type TokenVerifier } from '@koppelstuk/auth';
import { DEMO_DIRECTORY } from '@koppelstuk/seed';
import { GatewayModule } from '../app.module';
import { loadGatewayConfig } from '../config';
import { configureHttp } from '../http';

/**
 * The portal's sign-in support at the gateway: GET /portal/config always; GET /dev/identities and
 * POST /dev/token only without OIDC and outside production. The directory subgraph is a stub that
 * answers with the demo directory, and only to an admin token of the installation's development issuer.
 */
describe('portal sign-in endpoints', () => {
  let dataDir: string;
  let portalDir: string;
  let issuer: DevIssuer;
  let verifier: TokenVerifier;
  let directory: Server;
  let directoryUrl: string;
  const directoryCalls: { roles: readonly string[] }[] = [];
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'koppelstuk-gateway-dev-'));
    portalDir = join(dataDir, 'portal');
    mkdirSync(portalDir);
    writeFileSync(join(portalDir, 'index.html'), '<!doctype html><title>portal</title>');
    issuer = await DevIssuer.loadOrCreate(dataDir);
    verifier = createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: issuer.jwks() }, organisationClaim: 'org', rolesClaim: 'roles' });
    directory = createServer((request, response) => {
      void (async () => {
        const principal = await verifier.verify(request.headers.authorization).catch(() => null);
        response.setHeader('content-type', 'application/json');
        if (!principal) {
          response.end(JSON.stringify({ errors: [{ message: 'unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] }));
          return;
        }
        directoryCalls.push({ roles: principal.roles });
        const admin = principal.roles.includes('admin');
        const organisations = DEMO_DIRECTORY.map((o) => ({ id: o.id, name: o.name, kind: o.kind, municipalityCode: o.municipalityCode, members: admin ? o.members : null }));
        response.end(JSON.stringify({ data: { organisations } }));
      })();
    });
    await new Promise<void>((done) => directory.listen(0, '127.0.0.1', done));
    directoryUrl = `http://127.0.0.1:${(directory.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await new Promise((done) => directory.close(done));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function gateway(env: Record<string, string> = {}): Promise<string> {
    const config = loadGatewayConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      KOPPELSTUK_DATA_DIR: dataDir,
      DIRECTORY_URL: directoryUrl,
      PORTAL_DIR: portalDir,
      ...env,
    });
    const app = await NestFactory.create(GatewayModule.forRoot(config), { bodyParser: false, logger: false });
    configureHttp(app, config);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('in development (no OIDC)', () => {
    let url: string;
    beforeAll(async () => {
      url = await gateway();
    });

    it('tells the portal to use the development sign-in', async () => {
      const response = await fetch(`${url}/portal/config`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/json/);
      expect(await response.json()).toEqual({ auth: 'development' });
    });

    it('lists the organisations and their members, read from the directory with an admin token', async () => {
      const response = await fetch(`${url}/dev/identities`);
      expect(response.status).toBe(200);
      const { organisations } = (await response.json()) as { organisations: { id: string; kind: string; municipalityCode: string | null; members: { userId: string; roles: string[] }[] }[] };
      expect(organisations).toHaveLength(DEMO_DIRECTORY.length);
      expect(organisations.find((o) => o.id === 'gm0141-almelo')).toMatchObject({
        kind: 'city',
        municipalityCode: 'GM0141',
        members: [
          { userId: 'gm0141-almelo.officer', roles: ['city_officer'] },
          { userId: 'gm0141-almelo.beheer', roles: ['org_admin'] },
        ],
      });
      expect(organisations.find((o) => o.id === 'rekenkamer-g40')?.members[0]?.roles).toEqual(['auditor']);
      expect(directoryCalls.at(-1)?.roles).toEqual(['admin']);
    });

    it('signs a token for a member in a role the directory gives them', async () => {
      const response = await post(`${url}/dev/token`, { userId: 'rabobank.agent', organisationId: 'rabobank', role: 'partner_agent' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { token: string; expiresAt: string; principal: Record<string, unknown> };
      await expect(verifier.verify(body.token)).resolves.toEqual({ userId: 'rabobank.agent', organisationId: 'rabobank', roles: ['partner_agent'] });
      expect(body.principal).toMatchObject({ userId: 'rabobank.agent', organisationId: 'rabobank', organisationName: 'Rabobank', organisationKind: 'bank', roles: ['partner_agent'] });
      expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 3600_000);
    });

    it.each([
      [{ userId: 'nobody', organisationId: 'rabobank', role: 'partner_agent' }, 403, /not a member of Rabobank/],
      [{ userId: 'ing.agent', organisationId: 'rabobank', role: 'partner_agent' }, 403, /not a member/],
      [{ userId: 'rabobank.agent', organisationId: 'rabobank', role: 'admin' }, 403, /does not have the role admin/],
      [{ userId: 'x.agent', organisationId: 'no-such-org', role: 'partner_agent' }, 403, /no organisation "no-such-org"/],
      [{ userId: 'rabobank.agent', organisationId: 'rabobank', role: 'superuser' }, 400, /role must be one of/],
      [{ organisationId: 'rabobank', role: 'partner_agent' }, 400, /Give userId/],
    ])('refuses %j', async (request, status, message) => {
      const response = await post(`${url}/dev/token`, request);
      expect(response.status).toBe(status);
      const body = (await response.json()) as { token?: string; errors: { message: string; extensions: { code: string } }[] };
      expect(body.token).toBeUndefined();
      expect(body.errors[0]?.message).toMatch(message);
      expect(body.errors[0]?.extensions.code).toBe(status === 400 ? 'BAD_USER_INPUT' : 'FORBIDDEN');
    });

    it('still serves the portal for its own routes', async () => {
      const response = await fetch(`${url}/inbox`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>portal</title>');
    });
  });

  it('says clearly when the directory does not answer', async () => {
    const url = await gateway({ DIRECTORY_URL: 'http://127.0.0.1:9/graphql' });
    const response = await fetch(`${url}/dev/identities`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/directory does not answer/);
  });

  it('with OIDC configured: gives the portal the provider and client, and has no development sign-in', async () => {
    const url = await gateway({ OIDC_ISSUER: 'https://id.example.nl/realms/g40', OIDC_PORTAL_CLIENT_ID: 'koppelstuk-portal', OIDC_ROLES_CLAIM: 'realm_access.roles' });
    expect(await (await fetch(`${url}/portal/config`)).json()).toEqual({
      auth: 'oidc',
      issuer: 'https://id.example.nl/realms/g40',
      clientId: 'koppelstuk-portal',
      scope: 'openid profile',
      organisationClaim: 'org',
      rolesClaim: 'realm_access.roles',
    });
    expect((await fetch(`${url}/dev/identities`)).status).toBe(404);
    const token = await post(`${url}/dev/token`, { userId: 'rabobank.agent', organisationId: 'rabobank', role: 'partner_agent' });
    expect(token.status).toBe(404);
    expect(JSON.stringify(await token.json())).not.toMatch(/eyJ/);
  });

  it('in production without OIDC: no sign-in at all, and no development endpoints', async () => {
    const url = await gateway({ NODE_ENV: 'production' });
    expect(await (await fetch(`${url}/portal/config`)).json()).toEqual({ auth: 'none' });
    expect((await fetch(`${url}/dev/identities`)).status).toBe(404);
    expect((await post(`${url}/dev/token`, { userId: 'rabobank.agent', organisationId: 'rabobank', role: 'partner_agent' })).status).toBe(404);
  });
});
