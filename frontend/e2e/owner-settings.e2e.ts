import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, signedInPage } from './kit';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the demo owner's settings pages", () => {
  // Issue 15, item 12: axe (and the phone widths) on the two settings pages.
  it('pass the accessibility and phone checks', async () => {
    const p = await signedInPage(browser, 'owner@larkhaven.example', 'larkhaven demo owner');
    await p.goto('/processes/larkhaven-ideas-2028/ideas/settings');
    await p.getByRole('heading', { level: 1 }).waitFor();
    await p.getByRole('button', { name: /Save/ }).first().waitFor();
    await expectNoAxeViolations(p);
    await p.goto('/processes/larkhaven-youth-2028/moderation/settings');
    await p.getByRole('heading', { level: 1 }).waitFor();
    await p.getByRole('button', { name: /Save/ }).first().waitFor();
    await expectNoAxeViolations(p);
  });
});
