// Moderation: a citizen proposes an idea in the pre-moderated youth panel; it
// waits for review and is not listed. Moderator one claims it and rejects it
// by keyboard only; the citizen reads why on "Your contributions in
// moderation" and appeals; the appeal goes to moderator two (not back to
// moderator one), who approves it with a key; the idea is then published and
// listed. The citizen then edits it: the edit waits for a moderator while the
// approved idea stays public, and the console shows it beside the published
// text until moderator two approves it. Only the demo process
// larkhaven-youth-2028 is touched.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signedInPage, signIn, signUp } from './kit';
const slug = 'larkhaven-youth-2028';
const processTitle = 'Larkhaven youth panel: ideas for 2028';

const email = `amara.${Date.now()}@example.org`;
const password = 'skateboards by the old harbour';
const name = 'Amara Osei';
const ideaTitle = 'A skate park by the river';
const ideaBody = 'Young people need a place to skate that is lit in the evening and near the bus stop.';
const explanation = 'This panel collects ideas for 2028; please say how the city should run it.';
const appealNote = 'It is an idea for 2028: the city would build and run the park.';
const moderatorPassword = 'larkhaven demo moderator';
const editedTitle = 'A lit skate park by the river';

let browser: Browser;
let citizen: Page;
let moderatorOne: Page;
let moderatorTwo: Page;
let ideaPath = '';

beforeAll(async () => {
  browser = await launchBrowser();
  citizen = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

/** moderatorPage signs a moderator in, in a browser context of their own. */
function moderatorPage(address: string): Promise<Page> {
  return signedInPage(browser, address, moderatorPassword);
}

/** openConsole goes to the console from the process page, where only moderators see the link. */
async function openConsole(p: Page) {
  await p.goto(`/processes/${slug}`);
  await p.getByRole('heading', { level: 1, name: processTitle }).waitFor();
  await p.getByRole('region', { name: 'Moderation' }).getByRole('link', { name: 'Moderation console' }).click();
  await p.getByRole('heading', { level: 1, name: 'Moderation console' }).waitFor();
  await p.getByRole('heading', { level: 2, name: 'Queue' }).waitFor();
}

function status(p: Page) {
  return p.locator('.console-status[role="status"][aria-live="polite"]');
}

/** publicTitles reads the ideas list as an anonymous reader would (past any cache). */
async function publicTitles(): Promise<string[]> {
  const res = await fetch(`${baseURL}/api/v1/processes/${slug}/ideas?sort=newest&limit=100`, { cache: 'no-store' });
  expect(res.status).toBe(200);
  const page = (await res.json()) as { items: { title: string }[] };
  return page.items.map((i) => i.title);
}

describe('moderation', () => {
  it('a citizen proposes an idea, which awaits review and is not listed', async () => {
    await signUp(citizen, { email, name, password });
    await confirmEmail(citizen, email);
    await signIn(citizen, email, password, name);

    // Nobody but moderators sees the console link; everyone sees the figures.
    await citizen.goto(`/processes/${slug}`);
    const section = citizen.getByRole('region', { name: 'Moderation' });
    await section.getByRole('link', { name: 'Moderation statistics' }).waitFor();
    expect(await section.getByRole('link', { name: 'Moderation console' }).count()).toBe(0);

    await citizen.goto(`/processes/${slug}/ideas/new`);
    await citizen.getByRole('heading', { level: 1, name: 'Propose an idea' }).waitFor();
    await citizen.getByRole('textbox', { name: 'Title' }).fill(ideaTitle);
    await citizen.getByLabel('Theme').selectOption({ label: 'Public space' });
    await citizen.getByRole('textbox', { name: 'Your idea' }).fill(ideaBody);
    await citizen.getByRole('button', { name: 'Propose this idea' }).click();
    await citizen.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
    ideaPath = new URL(citizen.url()).pathname;
    expect(ideaPath).toMatch(new RegExp(`^/processes/${slug}/ideas/\\d+$`));
    await citizen.getByText('Thank you. Your idea will appear in the list once a moderator has approved it.').waitFor();
    await citizen.getByText(/^Awaiting review: only you and the moderators can see this idea/).waitFor();
    // Not in the public list.
    expect(await publicTitles()).not.toContain(ideaTitle);
    await citizen.goto(`/processes/${slug}/ideas`);
    await citizen.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
    await citizen.getByRole('region', { name: 'Proposed ideas' }).getByRole('status').filter({ hasText: /./ }).waitFor();
    expect(await citizen.getByRole('region', { name: 'Proposed ideas' }).getByRole('link', { name: ideaTitle }).count()).toBe(0);
  });

  it('moderator one claims it and rejects it by keyboard only', async () => {
    moderatorOne = await moderatorPage('moderator.one@larkhaven.example');
    await openConsole(moderatorOne);
    const claim = moderatorOne.getByRole('button', { name: 'Claim next' });
    await claim.focus();
    await moderatorOne.keyboard.press('Enter');
    const heading = moderatorOne.getByRole('heading', { level: 2, name: `Idea by ${name}` });
    await heading.waitFor();
    await moderatorOne.getByRole('heading', { level: 3, name: ideaTitle }).waitFor();
    await moderatorOne.getByText(ideaBody).waitFor();
    await status(moderatorOne).filter({ hasText: `Claimed: ${ideaTitle}.` }).waitFor();
    await moderatorOne.getByText(/^You hold this item until /).waitFor();
    await expect.poll(() => moderatorOne.evaluate(() => document.activeElement?.id)).toBe('item-heading');
    await expectNoAxeViolations(moderatorOne);

    // The shortcuts, in a real dialog.
    await moderatorOne.keyboard.press('?');
    const dialog = moderatorOne.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    for (let i = 0; i < 3; i++) {
      await moderatorOne.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await expectNoAxeViolations(moderatorOne);
    await moderatorOne.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await moderatorOne.evaluate(() => document.activeElement?.id)).toBe('item-heading');

    // r opens the reason picker with the focus in it; arrows choose "Off topic".
    await moderatorOne.keyboard.press('r');
    const reasons = moderatorOne.getByRole('group', { name: 'Reason' });
    await reasons.waitFor();
    await expect.poll(() => moderatorOne.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('radio');
    const focusedLabel = () => moderatorOne.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent ?? '');
    for (let i = 0; i < 7 && (await focusedLabel()) !== 'Off topic'; i++) await moderatorOne.keyboard.press('ArrowDown');
    expect(await focusedLabel()).toBe('Off topic');
    expect(await reasons.getByRole('radio', { name: 'Off topic' }).isChecked()).toBe(true);
    await moderatorOne.keyboard.press('Tab');
    expect(await moderatorOne.evaluate(() => (document.activeElement as HTMLTextAreaElement).labels?.[0]?.textContent)).toBe('Explanation for the author');
    await moderatorOne.keyboard.type(explanation);
    await moderatorOne.keyboard.press('Shift+Tab');
    await moderatorOne.keyboard.press('Enter');

    await status(moderatorOne).filter({ hasText: /^Rejected\. / }).waitFor();
    await reasons.waitFor({ state: 'detached' });
  });

  it('the citizen reads why on their moderation page and appeals', async () => {
    const rules = (await (await fetch(`${baseURL}/api/v1/processes/${slug}/house-rules`)).json()) as { rules: { code: string; description: string }[] };
    const offTopic = rules.rules.find((r) => r.code === 'off_topic')!.description;

    await citizen.goto('/account');
    await citizen.getByRole('link', { name: 'Your contributions in moderation' }).first().click();
    await citizen.getByRole('heading', { level: 1, name: 'Your contributions in moderation' }).waitFor();
    const item = citizen.getByRole('article', { name: new RegExp(`^Idea: `) }).filter({ hasText: ideaTitle });
    await item.waitFor();
    const words = (await item.locator('.my-status strong').textContent()) ?? '';
    expect(words.startsWith('Hidden: ')).toBe(true);
    expect(words).toContain(offTopic.replace(/\.$/, ''));
    expect(words).toContain(explanation);
    await expectNoAxeViolations(citizen);

    await item.getByRole('button', { name: 'Appeal' }).click();
    await item.getByRole('textbox', { name: 'Why should this decision be reconsidered?' }).fill(appealNote);
    await item.getByRole('button', { name: 'Send appeal' }).click();
    await item.getByRole('status').filter({ hasText: 'Appeal sent; a different moderator will review it.' }).waitFor();
    expect(await item.getByRole('button', { name: 'Appeal' }).count()).toBe(0);
    await expectNoAxeViolations(citizen);
  });

  it('the appeal goes to moderator two, who approves it with a key', async () => {
    // Not back to the moderator who decided it.
    await openConsole(moderatorOne);
    await moderatorOne.getByRole('combobox', { name: 'Cause' }).selectOption('appeal');
    await moderatorOne.getByRole('button', { name: 'Claim next' }).click();
    await status(moderatorOne).filter({ hasText: 'Nothing to claim.' }).waitFor();

    moderatorTwo = await moderatorPage('moderator.two@larkhaven.example');
    await openConsole(moderatorTwo);
    await moderatorTwo.getByRole('button', { name: 'Claim next' }).click();
    await moderatorTwo.getByRole('heading', { level: 2, name: `Idea by ${name}` }).waitFor();
    await moderatorTwo.getByRole('heading', { level: 3, name: ideaTitle }).waitFor();
    await moderatorTwo.getByText(appealNote).waitFor();
    await moderatorTwo.getByText(explanation).waitFor();
    await moderatorTwo.keyboard.press('a');
    await status(moderatorTwo).filter({ hasText: /^Approved\. / }).waitFor();
  });

  it('the idea is published and listed', async () => {
    await expect.poll(publicTitles, { timeout: 15_000, interval: 1000 }).toContain(ideaTitle);
    await expect
      .poll(
        async () => {
          await citizen.goto(ideaPath);
          await citizen.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
          await citizen.getByRole('region', { name: 'Support' }).waitFor();
          return citizen.getByText(/^Awaiting review/).count();
        },
        { timeout: 20_000, interval: 2000 },
      )
      .toBe(0);
    await expect
      .poll(
        async () => {
          await citizen.goto(`/processes/${slug}/ideas`);
          await citizen.getByRole('heading', { level: 1, name: 'Ideas' }).waitFor();
          await citizen.getByRole('region', { name: 'Proposed ideas' }).getByRole('status').filter({ hasText: /./ }).waitFor();
          return citizen.getByRole('region', { name: 'Proposed ideas' }).getByRole('link', { name: ideaTitle }).count();
        },
        { timeout: 20_000, interval: 2000 },
      )
      .toBe(1);

    await citizen.goto('/account/moderation');
    const item = citizen.getByRole('article', { name: new RegExp(`^Idea: `) }).filter({ hasText: ideaTitle });
    await item.locator('.my-status strong', { hasText: /^Published$/ }).waitFor();
  });

  it('the citizen edits the published idea: the edit waits while the approved idea stays public', async () => {
    await citizen.goto(ideaPath);
    await citizen.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
    await citizen.getByRole('button', { name: 'Edit' }).click();
    await citizen.getByRole('textbox', { name: 'Title' }).fill(editedTitle);
    await citizen.getByRole('button', { name: 'Save changes' }).click();
    await citizen.getByRole('status').filter({ hasText: 'Your changes are saved. Your edit is waiting for a moderator.' }).waitFor();
    await citizen.getByText(/^Your edit is waiting for a moderator\./).waitFor();
    await citizen.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
    expect(await publicTitles()).not.toContain(editedTitle);
    await expectNoAxeViolations(citizen);
  });

  it('moderator two sees the edit beside the published text and approves it', async () => {
    await openConsole(moderatorTwo);
    await moderatorTwo.getByRole('combobox', { name: 'Cause' }).selectOption('edit');
    await moderatorTwo.getByRole('button', { name: 'Claim next' }).click();
    await moderatorTwo.getByRole('heading', { level: 2, name: `Idea by ${name}` }).waitFor();
    await moderatorTwo.getByRole('heading', { level: 3, name: 'The edit to decide' }).waitFor();
    await moderatorTwo.getByRole('heading', { level: 3, name: editedTitle }).waitFor();
    const before = moderatorTwo.locator('.item-previous');
    await before.getByRole('heading', { level: 3, name: 'Published now, and public until you decide' }).waitFor();
    await before.getByText(ideaTitle).waitFor();
    await expectNoAxeViolations(moderatorTwo);
    await moderatorTwo.keyboard.press('a');
    await status(moderatorTwo).filter({ hasText: /^Approved\. / }).waitFor();
    await expect.poll(publicTitles, { timeout: 15_000, interval: 1000 }).toContain(editedTitle);
  });

  it('shows the public figures', async () => {
    await citizen.goto(`/processes/${slug}`);
    await citizen.getByRole('region', { name: 'Moderation' }).getByRole('link', { name: 'Moderation statistics' }).click();
    await citizen.getByRole('heading', { level: 1, name: 'Moderation statistics' }).waitFor();
    const appeals = citizen.getByRole('region', { name: 'Appeals' });
    await appeals.getByRole('row', { name: /^Made \d+$/ }).waitFor();
    expect(await citizen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/moderation/stats?format=csv`);
    const csv = await fetch(`${baseURL}/api/v1/processes/${slug}/moderation/stats?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toMatch(/^text\/csv/);
    await expectNoAxeViolations(citizen);
  });
});
