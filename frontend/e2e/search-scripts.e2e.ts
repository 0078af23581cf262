// Search in every script (issue 22): a citizen proposes an idea written in
// Traditional Chinese in the demo ideas process, sees it offered as similar
// when starting another from a two-character word, and finds it by searching
// a two-character word of its title (best match first) and a Latin word
// written against the Chinese; a word it lacks finds nothing. Only one new
// idea is added to larkhaven-ideas-2028.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signIn, signUp } from './kit';

const slug = 'larkhaven-ideas-2028';
const title = '改善公車站無障礙電梯與MRT轉乘';
const email = `mei.${Date.now()}@example.org`;
const password = 'lanterns over the harbour';
const name = 'Mei Lin';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

/** search submits the ideas list's search form and waits for the list's answer. */
async function search(q: string) {
  const box = page.getByRole('searchbox', { name: 'Search the ideas' });
  await box.fill(q);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/api/v1/processes/${slug}/ideas?`) && new URL(r.url()).searchParams.get('q') === q),
    page.getByRole('button', { name: 'Search', exact: true }).click(),
  ]);
}

describe('search in every script', () => {
  it('proposes an idea written in Chinese', async () => {
    await signUp(page, { email, name, password });
    await confirmEmail(page, email);
    await signIn(page, email, password, name);
    await page.goto(`/processes/${slug}/ideas/new`);
    await page.getByRole('heading', { level: 1, name: 'Propose an idea' }).waitFor();
    await page.getByRole('textbox', { name: 'Title' }).fill(title);
    await page.getByLabel('Theme').selectOption({ label: 'Open budgets' });
    await page.getByRole('textbox', { name: 'Your idea' }).fill('許多公車站沒有電梯，輪椅使用者無法上車。');
    await page.getByRole('button', { name: 'Propose this idea' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your idea is published.' }).waitFor();
  });

  it('offers it as similar from a two-character word', async () => {
    await page.goto(`/processes/${slug}/ideas/new`);
    await page.getByRole('heading', { level: 1, name: 'Propose an idea' }).waitFor();
    await page.getByRole('textbox', { name: 'Title' }).pressSequentially('電梯', { delay: 20 });
    const similar = page.locator('[aria-live="polite"]').filter({ has: page.getByRole('heading', { name: 'Similar ideas already proposed' }) });
    await similar.getByRole('link', { name: new RegExp(`^${title}`) }).waitFor();
    await expectNoAxeViolations(page);
  });

  it('finds it by a two-character word and by a Latin word inside the Chinese, and nothing by a word it lacks', async () => {
    await page.goto(`/processes/${slug}/ideas`);
    await page.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
    const list = page.getByRole('region', { name: 'Proposed ideas' });

    await search('電梯');
    await list.getByRole('link', { name: title, exact: true }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(1);
    // While searching, the best match comes first.
    expect(await page.getByLabel('Order').inputValue()).toBe('relevant');
    expect(new URL(page.url()).searchParams.get('q')).toBe('電梯');
    const heading = list.getByRole('heading', { name: title });
    expect(await heading.getAttribute('dir')).toBe('auto');
    await expectNoAxeViolations(page);

    await search('公車');
    await list.getByRole('link', { name: title, exact: true }).waitFor();

    await search('MRT');
    await list.getByRole('link', { name: title, exact: true }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(1);

    await search('地鐵');
    await list.getByRole('link', { name: title, exact: true }).waitFor({ state: 'detached' });
    expect(await list.getByRole('link').count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
