import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, newContext, screenshot } from './browser';
import { startGatewayOnly } from './network';
import { startTestProvider, type TestProvider } from './oidc-provider';
import { buildPortal, PORTAL_DIR } from './portal-build';

/**
 * With an OIDC provider configured, the portal signs in with the authorization-code flow and PKCE, and the
 * gateway accepts the access token it gets; the development sign-in is gone.
 */
describe('the portal with an OIDC provider', () => {
  let provider: TestProvider;
  let gateway: { url: string; stop(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    provider = await startTestProvider({ sub: 'u-4711', name: 'Fatima Rabobank', organisationId: 'rabobank', roles: ['partner_agent'] });
    [gateway, browser] = await Promise.all([
      startGatewayOnly({
        OIDC_ISSUER: provider.issuer,
        OIDC_JWKS_URL: provider.jwksUrl,
        OIDC_AUDIENCE: provider.audience,
        OIDC_PORTAL_CLIENT_ID: provider.clientId,
        OIDC_PORTAL_SCOPE: 'openid profile',
        PORTAL_DIR,
      }),
      launchChromium(),
      buildPortal(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await gateway?.stop();
    await provider?.stop();
  });

  it('signs in with the authorization code and PKCE, and the gateway accepts the token', async () => {
    expect((await fetch(`${gateway.url}/dev/identities`)).status).toBe(404);
    context = await newContext(browser, gateway.url);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    await page.goto('/inbox');
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    expect(await page.getByLabel('Organisatie').count()).toBe(0);
    const button = page.getByRole('button', { name: `Aanmelden via 127.0.0.1:${new URL(provider.issuer).port}` });
    await screenshot(page, 'sign-in-oidc-nl');
    await button.click();

    // Back from the provider, signed in, on the page first asked for.
    await page.waitForURL((url) => url.pathname === '/inbox');
    await page.getByText('Aangemeld als Fatima Rabobank').waitFor();
    expect(provider.authorizations).toEqual([expect.objectContaining({ codeChallengeMethod: 'S256', scope: 'openid profile' })]);
    expect(provider.authorizations[0]?.state).toBeTruthy();
    expect(provider.redemptions).toEqual([{ pkce: true, redirectUri: `${gateway.url}/auth/callback` }]);

    // The token the portal holds is one the gateway verifies (a field it answers without any subgraph).
    const session = JSON.parse((await page.evaluate(() => sessionStorage.getItem('koppelstuk.session'))) ?? '{}') as { token?: string; roles?: string[]; organisationId?: string };
    expect(session).toMatchObject({ organisationId: 'rabobank', roles: ['partner_agent'] });
    const answer = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
