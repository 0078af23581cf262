// Ideas: a citizen signs up, proposes an idea (after being shown a similar
// one), supports three ideas of the demo ideas process and is told why a
// fourth support is refused. Only the demo process larkhaven-ideas-2028 is
// touched (its supports and one new idea); its settings stay as seeded.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signIn, signUp } from './kit';
const slug = 'larkhaven-ideas-2028';

const myTitle = 'Open data on the city budget';
const similarTitle = 'Publish the city budget as open data';
const demoIdeas = [
  similarTitle,
  'Participatory budgeting in every district',
  "A public register of lobbyists' meetings",
  "Citizens' assembly on the harbour plan",
  'Answer information requests within 15 days',
];
// The three ideas supported, then the one the limit refuses.
const supported = [similarTitle, "A public register of lobbyists' meetings", "Citizens' assembly on the harbour plan"];
const refused = 'Answer information requests within 15 days';

const email = `noor.${Date.now()}@example.org`;
const password = 'kites above the breakwater';
const name = 'Noor Haddad';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

function supportBox(): Locator {
  return page.getByRole('region', { name: 'Support' });
}

/** supportsOf reads the count the support box shows ("4 supports"). */
async function supportsOf(): Promise<number> {
  const text = (await supportBox().locator('.support-count').textContent()) ?? '';
  const m = /^(\d+) supports?$/.exec(text.trim());
  if (!m) throw new Error(`no support count in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

const left = (n: number) => (n === 0 ? 'You have no supports left in this process.' : n === 1 ? 'You have 1 support left in this process.' : `You have ${n} supports left in this process.`);

/** openIdea goes to an idea from the ideas list, as a reader would. */
async function openIdea(title: string) {
  await page.goto(`/processes/${slug}/ideas`);
  await page.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
  await page.getByRole('region', { name: 'Proposed ideas' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('ideas', () => {
  it('signs up, confirms the address and signs in', async () => {
    await signUp(page, { email, name, password });
    await confirmEmail(page, email);
    await signIn(page, email, password, name);
  });

  it('finds the ideas from the process page', async () => {
    await page.goto(`/processes/${slug}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Ideas' }).getByRole('link', { name: 'See the ideas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
    const list = page.getByRole('region', { name: 'Proposed ideas' });
    for (const title of demoIdeas) await list.getByRole('link', { name: title, exact: true }).waitFor();
    await page.getByText('Each person can support up to 3 ideas.').waitFor();
    // Random order by default, with this visitor's seed in the request.
    expect(await page.getByLabel('Order').inputValue()).toBe('random');
    const seed = await page.evaluate(() => localStorage.getItem('cocreate.ideaSeed'));
    expect(seed).toMatch(/^[1-9]\d*$/);

    // A filter goes into the address and narrows the list.
    await page.getByLabel('Theme').selectOption({ label: 'Open budgets' });
    await expect.poll(() => new URL(page.url()).searchParams.get('theme')).toMatch(/^\d+$/);
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    await page.getByLabel('Theme').selectOption({ label: 'All themes' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(5);
    await expectNoAxeViolations(page);
  });

  it('proposes an idea after being shown a similar one', async () => {
    await page.getByRole('link', { name: 'Propose an idea' }).click();
    await page.getByRole('heading', { level: 1, name: 'Propose an idea' }).waitFor();
    await page.getByRole('textbox', { name: 'Title' }).pressSequentially(myTitle, { delay: 20 });
    const similar = page.locator('[aria-live="polite"]').filter({ has: page.getByRole('heading', { name: 'Similar ideas already proposed' }) });
    await similar.getByRole('link', { name: new RegExp(`^${similarTitle}`) }).waitFor();
    await similar.getByText('Consider supporting one of them instead.').waitFor();
    await expectNoAxeViolations(page);

    // Proposed all the same.
    await page.getByLabel('Theme').selectOption({ label: 'Open budgets' });
    await page.getByRole('textbox', { name: 'Your idea' }).fill('Not only the budget: every payment above 1,000 euros, each month, as a spreadsheet.');
    await page.getByRole('button', { name: 'Propose this idea' }).click();
    await page.getByRole('heading', { level: 1, name: myTitle }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/processes/${slug}/ideas/\\d+$`));
    await page.getByRole('status').filter({ hasText: 'Your idea is published.' }).waitFor();
    await page.getByText(`Proposed by ${name} on`, { exact: false }).waitFor();
    await page.locator('.theme-tag', { hasText: 'Open budgets' }).waitFor();
    await page.getByText('every payment above 1,000 euros', { exact: false }).waitFor();
    // Nobody has supported or discussed it yet: its author may still edit it.
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    await supportBox().getByText(left(3)).waitFor();
    await expectNoAxeViolations(page);
  });

  it('supports three ideas, each time with one support fewer left', async () => {
    let remaining = 3;
    for (const title of supported) {
      await openIdea(title);
      await supportBox().getByText(left(remaining)).waitFor();
      const before = await supportsOf();
      await supportBox().getByRole('button', { name: 'Support this idea' }).click();
      await supportBox().getByRole('button', { name: 'Withdraw my support' }).waitFor();
      remaining--;
      await supportBox().getByRole('status').filter({ hasText: `Your support is counted. ${left(remaining)}` }).waitFor();
      await expect.poll(supportsOf).toBe(before + 1);
    }
    // The count holds after a reload (read past any cache).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: supported[2] }).waitFor();
    await supportBox().getByRole('button', { name: 'Withdraw my support' }).waitFor();
    await supportBox().getByText(left(0)).waitFor();
  });

  it('is told why a fourth support is refused', async () => {
    await openIdea(refused);
    const before = await supportsOf();
    const button = supportBox().getByRole('button', { name: 'Support this idea' });
    await button.click();
    const alert = supportBox().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('You have used all 3 of your supports in this process. Withdraw one to support this idea.');
    expect(await button.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    expect(await supportsOf()).toBe(before);
    await expectNoAxeViolations(page);

    // "Ideas I support" lists the three.
    await page.getByRole('link', { name: /^All the ideas of / }).click();
    await page.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
    await page.getByRole('checkbox', { name: 'Ideas I support' }).check();
    const list = page.getByRole('region', { name: 'Proposed ideas' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3);
    for (const title of supported) await list.getByRole('link', { name: title, exact: true }).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('supported')).toBe('1');
  });
});
