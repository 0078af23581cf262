import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './kit';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** visit opens path and waits until the page has settled (no request for half a second). */
async function visit(p: Page, path: string) {
  await p.goto(path);
  await p.waitForLoadState('networkidle');
}

describe('an anonymous visitor', () => {
  // Issue 15, item 12: a visitor who never signed in gets no 401 (no silent
  // refresh, no personal read) and no error in the console on any page.
  it('loads the public pages without a 401 or a console error', async () => {
    const p = await newPage(browser);
    const refused: string[] = [];
    const errors: string[] = [];
    p.on('response', (r: Response) => {
      if (r.status() === 401 || r.status() === 404) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await visit(p, '/');
    await p.getByRole('link', { name: 'Larkhaven Open Government Action Plan 2027–2029' }).click();
    await p.waitForLoadState('networkidle');
    const process = new URL(p.url()).pathname;
    await p.getByRole('link', { name: /Draft action plan/ }).first().click();
    await p.waitForLoadState('networkidle');
    await visit(p, `${process}/forum`);
    await visit(p, `${process}/ledger`);
    await visit(p, `${process}/moderation/stats`);
    await visit(p, '/processes/larkhaven-ideas-2028/ideas');
    await p.getByRole('link', { name: 'Publish the city budget as open data' }).click();
    await p.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});
