import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectFitsPhones, expectNoAxeViolations, launchBrowser, newPage } from './kit';

const current = 'Larkhaven Open Government Action Plan 2027–2029';
const past = 'Larkhaven Open Government Action Plan 2025–2027';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await newPage(browser);
});

describe('processes', () => {
  it('lists the processes and follows one to its current phase', async () => {
    await page.goto('/');
    await expect(page.title()).resolves.toBe('Cocreate');
    const list = page.getByRole('list').filter({ has: page.getByRole('link', { name: current }) });
    await list.waitFor();
    await page.getByRole('link', { name: past }).waitFor();
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: current }).click();
    await page.getByRole('heading', { level: 1, name: current }).waitFor();
    expect(await page.title()).toContain(current);

    const step = page.locator('ol.timeline > li[aria-current="step"]');
    await expect(step.count()).resolves.toBe(1);
    expect(await step.textContent()).toContain('Public comment');
    await page.getByText('Read the draft and comment on its paragraphs.').waitFor();
    await expectNoAxeViolations(page);
  });

  it('links to the calendar of the process, which lists its phases, and to its Atom feed', async () => {
    await page.goto('/processes/larkhaven-action-plan-2027');
    const feeds = page.getByRole('region', { name: 'Follow this process' });
    const calendar = feeds.getByRole('link', { name: 'Add to a calendar (iCalendar)' });
    await calendar.waitFor();
    const ics = await page.request.get((await calendar.getAttribute('href'))!);
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    const text = await ics.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    for (const phase of ['Idea collection', 'Public comment', 'Implementation']) {
      expect(text).toContain(`: ${phase}\r\n`);
    }
    const atom = await page.request.get((await feeds.getByRole('link', { name: 'Follow in a feed reader (Atom)' }).getAttribute('href'))!);
    expect(atom.status()).toBe(200);
    expect(await atom.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]').count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    await expectFitsPhones(page);
  });

  it('shows an ended process as ended', async () => {
    await page.goto('/processes/larkhaven-action-plan-2025');
    await page.getByRole('heading', { level: 1, name: past }).waitFor();
    await page.getByText('This process has ended.', { exact: false }).waitFor();
    await expect(page.locator('[aria-current="step"]').count()).resolves.toBe(0);
  });

  it('says when a process does not exist', async () => {
    await page.goto('/processes/no-such-process');
    await page.getByRole('heading', { level: 1, name: 'Process not found' }).waitFor();
    expect(await page.title()).toBe('Process not found · Cocreate');
    await expectNoAxeViolations(page);
    await page.goto('/no/such/page');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await expectNoAxeViolations(page);
  });

  it('switches to French', async () => {
    await page.goto('/processes/larkhaven-action-plan-2027');
    await page.getByRole('heading', { level: 1, name: current }).waitFor();
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Ce que vous pouvez faire maintenant' }).waitFor();
    await page.getByText('Lisez le projet et commentez ses paragraphes.').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await expectNoAxeViolations(page);
  });

  it('starts keyboard users at a skip link that moves focus to the content', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: current }).waitFor();
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Tabbing on from the content reaches the first process link.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(page.url()).toContain('/processes/');
  });
});
