import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (`npx playwright install` cannot download here). */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile: Dutch, in the Netherlands' time zone (the portal's users). */
export function newContext(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', acceptDownloads: true });
}

export const SCREENSHOTS = join(__dirname, '..', 'test-output', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let charts and fonts settle: wait for the network to go quiet (polling pauses in between).
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Signs in through the development sign-in form, as a user would. */
export async function signIn(page: Page, organisation: string, identity: string | RegExp): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(/^(Organisatie|Organisation)$/).selectOption(organisation);
  const select = page.getByLabel(/^(Gebruiker en rol|User and role)$/);
  const options = await select.locator('option').allTextContents();
  const label = options.find((text) => (typeof identity === 'string' ? text.includes(identity) : identity.test(text)));
  if (!label) throw new Error(`No identity ${identity} at ${organisation}: ${options.join(' | ')}`);
  await select.selectOption({ label });
  await page.getByRole('button', { name: /^(Aanmelden|Sign in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 30_000 });
}

export async function setLanguage(page: Page, language: 'nl' | 'en'): Promise<void> {
  await page.getByRole('button', { name: language === 'en' ? 'English' : 'Nederlands' }).click();
  await page.locator(`html[lang="${language}"]`).waitFor({ state: 'attached' });
}

/** Retries an assertion until it holds (Playwright-style polling, generous deadline, no timing assertion). */
export async function eventually<T>(check: () => Promise<T>, { timeout = 60_000, interval = 500, message = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${message} did not hold within ${timeout / 1000} s: ${(last as Error)?.message ?? last}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** A <input type="datetime-local"> value (seconds precision) for an instant, in Amsterdam time. */
export function amsterdamLocal(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}
