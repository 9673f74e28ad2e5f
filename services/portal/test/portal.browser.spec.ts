import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { ALMELO_FIXTURES, caller, makeReferral, seedReferrals, type Fixture } from './fixtures';
import { amsterdamLocal, eventually, launchChromium, newContext, PHONE, screenshot, setLanguage, signIn } from './browser';
import { startNetwork, type Network } from './network';
import { buildPortal, PORTAL_DIR } from './portal-build';

/**
 * The portal in Debian's Chromium against the real network: every service and the gateway as their own
 * processes on a fresh database, the portal's production build served by the gateway at /.
 */
const ALMELO = 'gm0141-almelo';
const byKvk = (kvk: string) => ALMELO_FIXTURES.find((f) => f.kvk === kvk) as Fixture;

describe('the portal in a browser', () => {
  let network: Network;
  let browser: Browser;
  let referralIds: Map<string, string>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [started] = await Promise.all([startNetwork({ portalDir: PORTAL_DIR, log: (line) => process.stderr.write(`${line}\n`) }), buildPortal()]);
    network = started;
    [browser, referralIds] = await Promise.all([launchChromium(), seedReferrals(network, ALMELO)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await network?.stop();
  }, 60_000);

  async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, network.gatewayUrl, viewport);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  it('a partner sees a new referral arrive, accepts it, records an outcome, and is told clearly why a forward is refused', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await screenshot(page, 'sign-in-nl');
    await signIn(page, 'rabobank', 'Accountmanager Rabobank');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Bakkerij Van den Berg' }).waitFor();

    // A city refers someone while the inbox is open: it appears without a reload.
    const city = await network.token(ALMELO, 'city_officer');
    const arrival: Fixture = { kvk: '91827364', name: 'Koffiebranderij Het Anker', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'sent', contact: 'Ilse Mulder' };
    const newId = await makeReferral(network, city, ALMELO, arrival, 20);
    const row = page.locator(`tr[data-referral-id="${newId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await page.getByText('1 nieuwe verwijzing ontvangen').waitFor({ state: 'attached' });
    await screenshot(page, 'inbox-nl');

    // Filters and search narrow the list.
    const search = page.getByRole('searchbox', { name: 'Zoeken' });
    await search.fill('Koffie');
    await eventually(async () => expect(await page.locator('tbody tr').count()).toBe(1), { message: 'search' });
    await search.fill('');
    await page.getByLabel('Status').selectOption('on_hold');
    await eventually(async () => expect(await page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('Kapsalon Knip & Zo')]), { message: 'status filter' });
    await page.getByRole('button', { name: 'Filters wissen' }).click();

    // Open it: the entrepreneur's data is there (consent for this partner), with the timeline.
    await row.getByRole('link', { name: 'Koffiebranderij Het Anker' }).click();
    await page.getByRole('heading', { name: 'Verwijzing Koffiebranderij Het Anker' }).waitFor();
    await page.getByText('Ilse Mulder').first().waitFor();
    await page.locator('[data-personal-data="visible"]').waitFor();
    await page.locator('[data-event-type="ReferralMade"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'referral-detail-nl');

    await page.getByRole('button', { name: 'Accepteren' }).click();
    await page.getByText('De verwijzing is geaccepteerd.').waitFor();
    await page.locator('.page-heading .badge-accepted').waitFor();
    await page.getByRole('button', { name: 'Starten met de begeleiding' }).click();
    await page.getByText('De verwijzing staat nu op ‘in behandeling’.').waitFor();
    await page.locator('.page-heading .badge-in_progress').waitFor();

    await page.getByRole('button', { name: 'Resultaat vastleggen' }).click();
    const outcome = page.getByRole('form', { name: 'Resultaat vastleggen' });
    await outcome.getByLabel('Resultaat', { exact: true }).selectOption('financing_granted');
    // A financing outcome needs an amount: refused in the form before anything is sent.
    await outcome.getByRole('button', { name: 'Resultaat vastleggen' }).click();
    await outcome.getByText('Vul een bedrag in euro’s in, groter dan 0.').waitFor();
    await outcome.getByLabel('Bedrag in euro’s').fill('125.000');
    await outcome.getByLabel('Banen behouden').fill('4');
    await outcome.getByLabel('Banen gecreëerd').fill('2');
    await outcome.getByRole('button', { name: 'Resultaat vastleggen' }).click();
    await page.getByText('Het resultaat is vastgelegd.').waitFor();
    const recorded = page.locator('[data-outcome-code="financing_granted"]');
    await recorded.waitFor();
    expect(await recorded.textContent()).toMatch(/Financiering verstrekt\s*€\s?125\.000/);
    await page.locator('[data-event-type="OutcomeRecorded"]').waitFor({ timeout: 60_000 });

    // Forwarding to a partner the entrepreneur gave no consent for: the API's refusal, in words.
    await page.getByRole('button', { name: 'Doorsturen' }).click();
    const forward = page.getByRole('form', { name: 'Doorsturen' });
    await forward.getByLabel('Naar partner en dienst').selectOption({ label: 'ING — Zakelijk krediet' });
    await forward.getByRole('button', { name: 'Doorsturen' }).click();
    const refusal = page.locator('[data-error-code="BAD_USER_INPUT"]');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('Controleer de invoer');
    expect(text).toContain("The entrepreneur's consent for this partner is needed");
    expect(text).toContain('De gemeente moet eerst de toestemming van de ondernemer voor deze partner vastleggen.');
    expect(text).not.toMatch(/[{}]|"extensions"/);

    // The same screens in English.
    await setLanguage(page, 'en');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Referral Koffiebranderij Het Anker' }).waitFor();
    await screenshot(page, 'referral-detail-en');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('columnheader', { name: 'Entrepreneur' }).waitFor();
    await screenshot(page, 'inbox-en');
  });

  it('a partner declines with a reason, and "other" needs an explanation', async () => {
    const page = await newPage();
    await signIn(page, 'ing', 'Accountmanager ING');
    await page.getByRole('link', { name: 'Houtbewerking Wierden' }).click();
    await page.getByRole('button', { name: 'Afwijzen' }).click();
    const decline = page.getByRole('form', { name: 'Afwijzen' });
    await decline.getByLabel('Reden').selectOption('other');
    await decline.getByRole('button', { name: 'Afwijzen' }).click();
    await decline.getByText('Geef een toelichting bij de reden ‘Anders’.').waitFor();
    await decline.getByLabel(/^Toelichting/).fill('Wij financieren geen houtbewerking');
    await decline.getByRole('button', { name: 'Afwijzen' }).click();
    await page.getByText('De verwijzing is afgewezen.').waitFor();
    await page.getByText('Reden van afwijzing').waitFor();
    await page.locator('.page-heading .badge-declined').waitFor();
  });

  it('the inbox and a referral are usable at phone width and with the keyboard', async () => {
    const page = await newPage(PHONE);
    await signIn(page, 'rabobank', 'Accountmanager Rabobank');
    await page.getByRole('link', { name: 'Twentse Metaalbewerking BV' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'inbox-phone-nl');

    // Keyboard only, from a fresh page load: the skip link, then tab to a referral and open it with Enter.
    await page.goto('/inbox');
    await page.getByRole('link', { name: 'Twentse Metaalbewerking BV' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const link = page.getByRole('link', { name: 'Twentse Metaalbewerking BV' });
    for (let i = 0; i < 40 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Verwijzing Twentse Metaalbewerking BV' }).waitFor();
    // The new page's content has the focus, and the actions come first on a phone.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByRole('button', { name: 'Starten met de begeleiding' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'referral-detail-phone-nl');

    // Ask the city a question: the referral waits for the answer.
    await page.getByRole('button', { name: 'Informatie vragen' }).click();
    await page.getByLabel('Uw vraag aan de gemeente').fill('Welk bedrag aan werkkapitaal is nodig, en voor hoe lang?');
    await page.getByRole('form', { name: 'Informatie vragen' }).getByRole('button', { name: 'Informatie vragen' }).click();
    await page.getByText('Uw vraag is naar de gemeente gestuurd.').waitFor();
    await page.locator('.page-heading .badge-on_hold').waitFor();
    await page.getByText('De gemeente is gevraagd om informatie. U kunt verder zodra zij heeft geantwoord.').waitFor();
  });

  it('a city answers an information request, makes a referral (KvK check, duplicate warning, consent) and sees its dashboard change', async () => {
    const page = await newPage();
    const call = caller(network);
    const cityToken = await network.token(ALMELO, 'city_officer');
    const cityTotal = async () => (await call<{ cityReferrals: { totalCount: number } }>(cityToken, '{ cityReferrals(first: 1) { totalCount } }')).cityReferrals.totalCount;
    const referralsKpi = () => page.locator('[data-kpi="referrals"] dd');
    const waitForKpi = async (value: number) =>
      eventually(
        async () => {
          await page.getByRole('button', { name: /^(Vernieuwen|Refresh)$/ }).click();
          await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
          expect(await referralsKpi().textContent()).toBe(String(value));
        },
        { message: `the dashboard showing ${value} referrals`, timeout: 90_000, interval: 1000 },
      );

    await signIn(page, ALMELO, 'Bedrijfscontactfunctionaris Almelo');
    await page.getByRole('heading', { name: 'Verwijzingen van Gemeente Almelo' }).waitFor();

    // Answer the partner's question.
    await page.getByText(/\d+ verwijzingen? wachte?n? op uw antwoord/).waitFor();
    await page.getByRole('link', { name: 'Kapsalon Knip & Zo' }).click();
    await page.getByText('Kunt u de schadeopgave van de verzekeraar meesturen?').first().waitFor();
    await page.getByRole('button', { name: 'Informatie geven' }).click();
    await page.getByLabel('Uw antwoord aan de partner').fill('De schadeopgave is per e-mail naar u verstuurd.');
    await page.getByRole('form', { name: 'Informatie geven' }).getByRole('button', { name: 'Informatie geven' }).click();
    await page.getByText('Uw antwoord is naar de partner gestuurd.').waitFor();
    await page.locator('.page-heading .badge-sent').waitFor();

    // The dashboard before.
    const before = await cityTotal();
    await page.getByRole('link', { name: 'Resultaten' }).click();
    await page.getByRole('heading', { name: 'Resultaten van Gemeente Almelo' }).waitFor();
    await waitForKpi(before);

    // A new referral for a business that already has an open one.
    await page.getByRole('link', { name: 'Nieuwe verwijzing' }).click();
    const kvk = page.getByLabel('KvK-nummer');
    await kvk.fill('1234');
    await kvk.blur();
    await page.getByText('Een KvK-nummer bestaat uit 8 cijfers (niet alleen nullen).').waitFor();
    const groeneDrukker = byKvk('62345678');
    await kvk.fill(groeneDrukker.kvk);
    await page.getByText('Geldig KvK-nummer').waitFor();
    await page.getByTestId('duplicate-precheck').waitFor();
    await page.getByLabel('Bedrijfsnaam').fill(groeneDrukker.name);
    await page.getByLabel('Grootte van het bedrijf').selectOption('micro');
    await page.getByLabel('SBI-code').fill('1813');
    await page.getByLabel('Naam', { exact: true }).fill('Pieter Bos');
    await page.getByLabel('E-mailadres').fill('pieter@degroenedrukker.nl');
    await page.getByLabel('Telefoonnummer').fill('0546 987654');
    await page.getByLabel('Soort hulpvraag').selectOption('financing');
    await page.getByLabel('Omschrijving').fill('Nieuwe drukpers; de bank vond het bedrag te klein.');
    const qredits = page.getByRole('radio', { name: /Microkrediet tot €50\.000/ });
    await qredits.waitFor();
    // Only services for this need in Almelo's municipality are offered.
    expect(await page.locator('.service-option').allTextContents()).not.toContainEqual(expect.stringContaining('Digitale Werkplaats'));
    await qredits.check();
    expect(await page.getByLabel('Gegeven door').inputValue()).toBe('Pieter Bos');
    expect(await page.getByLabel('Doel').inputValue()).toContain('Qredits');
    await page.getByRole('radio', { name: 'Ja', exact: true }).check();
    await screenshot(page, 'new-referral-nl');
    await setLanguage(page, 'en');
    await page.getByRole('heading', { name: 'New referral' }).waitFor();
    await screenshot(page, 'new-referral-en');
    await setLanguage(page, 'nl');

    await page.getByRole('button', { name: 'Verwijzing versturen' }).click();
    await page.getByText('De verwijzing is verstuurd naar Qredits Microfinanciering.').waitFor();
    const warning = page.getByTestId('duplicate-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Let op: mogelijk dubbele verwijzing');
    expect(await warning.getByRole('link').count()).toBeGreaterThanOrEqual(1);

    // The dashboard after: one referral more.
    await page.getByRole('link', { name: 'Resultaten' }).click();
    await waitForKpi(before + 1);
    expect(await page.locator('figure.chart canvas').count()).toBe(4);
    await screenshot(page, 'dashboard-nl');
    await setLanguage(page, 'en');
    await page.getByRole('heading', { name: 'Outcomes of Gemeente Almelo' }).waitFor();
    await screenshot(page, 'dashboard-en');
  });

  it('after the city records consent for another partner, the partner forwards the referral there', async () => {
    const city = await newPage();
    await signIn(city, ALMELO, 'Bedrijfscontactfunctionaris Almelo');
    await city.getByRole('link', { name: 'De Groene Drukker' }).first().waitFor();
    await city.goto(`/referrals/${referralIds.get('62345678')}`);
    await city.getByRole('button', { name: 'Toestemming voor een andere partner vastleggen' }).click();
    const consent = city.getByRole('form', { name: 'Toestemming voor een andere partner vastleggen' });
    await consent.getByLabel('Partner', { exact: true }).selectOption({ label: 'Provincie Overijssel' });
    expect(await consent.getByLabel('Gegeven door').inputValue()).toBe('Pieter Bos');
    await consent.getByRole('button', { name: 'Toestemming voor een andere partner vastleggen' }).click();
    await city.getByText('De toestemming is vastgelegd.').waitFor();

    const partner = await newPage();
    await signIn(partner, 'rabobank', 'Accountmanager Rabobank');
    await partner.goto(`/referrals/${referralIds.get('62345678')}`);
    await partner.getByRole('button', { name: 'Doorsturen' }).click();
    const forward = partner.getByRole('form', { name: 'Doorsturen' });
    await forward.getByLabel('Naar partner en dienst').selectOption({ label: 'Provincie Overijssel — Subsidie energiebesparing bedrijven' });
    await forward.getByLabel(/^Waarom doorsturen/).fill('De provincie heeft een passende subsidie');
    await forward.getByRole('button', { name: 'Doorsturen' }).click();
    await partner.getByText('De verwijzing is doorgestuurd.').waitFor();
    await partner.locator('.page-heading .badge-forwarded').waitFor();

    // The city follows the entrepreneur's journey to the new partner.
    await city.reload();
    await city.getByRole('link', { name: 'Bekijk de nieuwe verwijzing' }).click();
    await city.getByRole('heading', { name: 'Verwijzing De Groene Drukker' }).waitFor();
    await city.getByText('Provincie Overijssel (Provincie)').waitFor();
  });

  it('an auditor opens a timeline, a state as of a date, verifies the log and exports events', async () => {
    // A referral whose acceptance and outcome lie seconds apart, so that a moment between them exists.
    const call = caller(network);
    const fixture: Fixture = { kvk: '45678912', name: 'Glasatelier Twente', need: 'financing', service: 'rabobank-bedrijfsfinanciering', partner: 'rabobank', path: 'sent', contact: 'Ruud Smit' };
    const id = await makeReferral(network, await network.token(ALMELO, 'city_officer'), ALMELO, fixture, 30);
    const partner = await network.token('rabobank', 'partner_agent');
    await call(partner, 'mutation($id: ID!) { acceptReferral(input: { referralId: $id }) { referral { id } } }', { id });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await call(partner, 'mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { referral { id } } }', {
      input: { referralId: id, code: 'advice_given', occurredAt: new Date().toISOString() },
    });

    const page = await newPage();
    await signIn(page, 'rekenkamer-g40', 'Auditor Rekenkamer');
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Log controleren' }).click();
    await page.getByText('De log is volledig en ongewijzigd.').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-verified]').getAttribute('data-verified')).toBe('ok');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporteren' }).click()]);
    await page.getByText(/is gedownload/).waitFor();
    const exported = readFileSync(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.jsonl?$|\.ndjson$|json/);
    expect(exported.trim().split('\n').length).toBeGreaterThan(10);
    expect(exported).not.toContain('Ruud Smit');

    await page.getByRole('searchbox', { name: 'Zoeken' }).fill('Glasatelier');
    await page.getByRole('link', { name: 'Glasatelier Twente' }).click();
    await page.getByRole('heading', { name: 'Audit van Glasatelier Twente' }).waitFor();
    for (const type of ['ReferralMade', 'ReferralAccepted', 'OutcomeRecorded']) await page.locator(`[data-event-type="${type}"]`).waitFor({ timeout: 60_000 });
    expect(await page.locator('body').textContent()).not.toContain('Ruud Smit');

    // As of the moment between acceptance and outcome: accepted, no outcome yet.
    await page.getByLabel('Datum en tijd').fill(amsterdamLocal(between));
    await page.getByRole('button', { name: 'Toon stand' }).click();
    const snapshot = page.getByTestId('snapshot');
    await snapshot.waitFor();
    await snapshot.locator('.badge-accepted').waitFor();
    expect(await snapshot.textContent()).toContain('Nog geen resultaat vastgelegd.');
    await screenshot(page, 'audit-timeline-nl');

    // And now: the outcome is there.
    await page.getByLabel('Datum en tijd').fill(amsterdamLocal(new Date(Date.now() + 60_000)));
    await page.getByRole('button', { name: 'Toon stand' }).click();
    await snapshot.getByText('Advies gegeven').waitFor();
    await setLanguage(page, 'en');
    await page.getByRole('heading', { name: 'Audit of Glasatelier Twente' }).waitFor();
    await screenshot(page, 'audit-timeline-en');
  });

  it("a partner who types another organisation's referral URL sees nothing of it", async () => {
    const page = await newPage();
    const leaked: string[] = [];
    const secrets = ['Bakkerij Van den Berg', '68750110', 'Eva van den Berg', 'eva@example.nl'];
    page.on('response', (response: Response) => {
      if (!response.url().includes('/graphql')) return;
      void response
        .text()
        .then((body) => secrets.filter((secret) => body.includes(secret)).forEach((secret) => leaked.push(`${secret} in ${response.url()}`)))
        .catch(() => undefined);
    });
    await signIn(page, 'ing', 'Accountmanager ING');
    const rabobankReferral = referralIds.get('68750110') as string;
    await page.goto(`/referrals/${rabobankReferral}`);
    await page.getByRole('heading', { name: 'Verwijzing niet gevonden' }).waitFor();
    await page.getByText('Deze verwijzing bestaat niet, of u heeft er geen toegang toe.').waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    for (const secret of secrets) expect(body).not.toContain(secret);
    expect(body).not.toMatch(/Tijdlijn|Acties|Persoonsgegevens/);
    await screenshot(page, 'referral-not-found-nl');

    // Nor through the auditor's route.
    await page.goto(`/audit/referrals/${rabobankReferral}`);
    await page.getByRole('heading', { name: 'Pagina niet gevonden' }).waitFor();
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    expect(leaked).toEqual([]);
  });
});
