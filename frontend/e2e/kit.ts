// What every browser journey needs: Chromium, a page of its own, the
// accessibility check, and signing up and in as a person would.
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { waitForLink } from './mail';

/** baseURL is the test server's address; dataDir its folder (where its e-mails are written). */
export const baseURL = inject('baseURL');
export const dataDir = inject('dataDir');

/** launchBrowser starts Debian's Chromium headless, with no network chatter. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** newPage opens a page in a browser context of its own (its own cookies, so its own session), in British English. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'en-GB' });
  return context.newPage();
}

/**
 * expectNoAxeViolations checks the page against WCAG 2.1 A and AA with axe,
 * and that it fits a phone: no horizontal page scroll at 390 and 320 px.
 */
export async function expectNoAxeViolations(p: Page) {
  const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await expectFitsPhones(p);
}

/**
 * expectFitsPhones checks the page at 390 and 320 px wide: the page itself
 * never scrolls sideways (wide content scrolls inside its own frame). The
 * viewport is put back afterwards.
 */
export async function expectFitsPhones(p: Page) {
  const before = p.viewportSize();
  for (const width of [390, 320]) {
    await p.setViewportSize({ width, height: 800 });
    const sizes = await p.evaluate(
      () => new Promise<{ scroll: number; inner: number; wide: string[] }>((done) =>
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const inner = window.innerWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > inner + 1)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`);
          done({ scroll: document.scrollingElement!.scrollWidth, inner, wide });
        })),
      ),
    );
    expect(sizes.scroll, `${p.url()} at ${width} px is ${sizes.scroll} px wide: ${sizes.wide.join(', ')}`).toBeLessThanOrEqual(sizes.inner);
  }
  if (before) await p.setViewportSize(before);
}

/** A person who signs up in a journey. */
export interface Person {
  email: string;
  name: string;
  password: string;
}

/** signUp creates an account from the sign-up page, up to "Check your e-mail". */
export async function signUp(p: Page, who: Person) {
  await p.goto('/signup');
  await p.getByLabel('E-mail address').fill(who.email);
  await p.getByLabel('Display name').fill(who.name);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
}

/** confirmEmail follows the e-mailed link that confirms the address. */
export async function confirmEmail(p: Page, email: string) {
  await p.goto(await waitForLink(dataDir, '/verify-email', email));
  await p.getByText('Your address is confirmed. You can sign in.').waitFor();
}

/** signIn signs in from the sign-in page and waits for the menu to say who is signed in (anyone, unless named). */
export async function signIn(p: Page, email: string, password: string, shownName: string | RegExp = /^Signed in as /) {
  await p.goto('/login');
  await p.getByLabel('E-mail address').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByText(typeof shownName === 'string' ? `Signed in as ${shownName}` : shownName).waitFor();
}

/** signedInPage signs someone in, in a browser context of their own. */
export async function signedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const p = await newPage(browser);
  await signIn(p, email, password);
  return p;
}
