// The owner's people and offline contributions: the demo owner names a
// moderator and a forum member of the ideas process from the roles screen;
// enters a comment received by post (with its scan) on the 2027 draft, which
// the public then reads with its channel while the scan stays private; enters
// an idea received by phone; and the new moderator merges that idea into the
// demo idea it duplicates, from the idea page. Each screen is checked with axe,
// at desktop width and at 390 px. Touched: the roles of larkhaven-ideas-2028
// (two new holders), one comment on section 2 of the 2027 draft (a paragraph
// the other journeys leave alone), and one idea of larkhaven-ideas-2028 that
// ends merged (so the ideas list is as seeded again).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signedInPage, signIn, signUp } from './kit';

const ideasSlug = 'larkhaven-ideas-2028';
const planSlug = 'larkhaven-action-plan-2027';
const ownerEmail = 'owner@larkhaven.example';
const ownerPassword = 'larkhaven demo owner';
const ownerName = 'Larkhaven Open Government Office';
const draftTitle = 'Draft action plan 2027–2029';
const paragraphStart = 'Elected councillors and senior officials will record every meeting';
const demoIdea = 'Publish the city budget as open data';

const stamp = Date.now();
const moderator = { email: `mina.${stamp}@example.org`, name: 'Mina Okafor', password: 'lanterns along the quay' };
const member = { email: `tomas.${stamp}@example.org`, name: `Tomás Reyes ${stamp}`, password: 'ferries at first light' };
const association = "Harbour Residents' Association";
const letter = 'Please publish the register every week, not every five working days.';
const ideaTitle = `Put the city budget online as a spreadsheet (${stamp})`;
const scan = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// A date received: yesterday, in the browser's (and this machine's) calendar.
const yesterday = (() => {
  const d = new Date(Date.now() - 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
})();

let browser: Browser;
let owner: Page;
let ideaPath = '';

beforeAll(async () => {
  browser = await launchBrowser();
  // The two people the owner names sign up and confirm their addresses first.
  for (const who of [moderator, member]) {
    const p = await newPage(browser);
    await signUp(p, who);
    await confirmEmail(p, who.email);
    await p.context().close();
  }
  owner = await signedInPage(browser, ownerEmail, ownerPassword);
});
afterAll(async () => {
  await browser?.close();
});

/** narrowCheck looks at the page at 390 px: nothing scrolls sideways, and axe still passes. */
async function narrowCheck(p: Page) {
  const size = p.viewportSize();
  await p.setViewportSize({ width: 390, height: 844 });
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoAxeViolations(p);
  if (size) await p.setViewportSize(size);
}

/** ownerToken signs the owner in through the API, for what the test checks behind the screens. */
async function ownerToken(): Promise<string> {
  const res = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: ownerEmail, password: ownerPassword }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the owner names people', () => {
  it('reaches the roles screen from the process page', async () => {
    await owner.goto(`/processes/${ideasSlug}`);
    await owner.getByRole('heading', { level: 1 }).waitFor();
    await owner.getByRole('region', { name: 'Running this process' }).getByRole('link', { name: 'People and roles' }).click();
    await owner.getByRole('heading', { level: 1, name: 'People and roles' }).waitFor();
    await owner.getByRole('region', { name: 'Who holds which role' }).getByText(ownerName, { exact: true }).first().waitFor();
    await expectNoAxeViolations(owner);
    await narrowCheck(owner);
  });

  it('finds the moderator by address and names her', async () => {
    const search = owner.getByRole('searchbox', { name: 'E-mail address or name' });
    await search.fill(moderator.email);
    await owner.getByRole('button', { name: 'Search' }).click();
    await owner.getByText('The account with this address:').waitFor();
    // The answer names the person, never an address.
    expect(await owner.locator('.people-results').textContent()).not.toContain('@');
    await owner.getByRole('button', { name: `Give ${moderator.name} a role` }).click();
    const form = owner.getByRole('region', { name: `Give ${moderator.name} a role` });
    await form.getByRole('radio', { name: 'Moderator' }).check();
    await expectNoAxeViolations(owner);
    await form.getByRole('button', { name: 'Give the role' }).click();
    await owner.getByRole('status').filter({ hasText: `${moderator.name} is now a moderator of this process.` }).waitFor();
    const mods = owner.getByRole('region', { name: 'Moderators' });
    await mods.getByText(moderator.name).waitFor();
    await mods.getByText(`named by ${ownerName}`, { exact: false }).waitFor();
  });

  it('finds the forum member by name and gives him a seat', async () => {
    const search = owner.getByRole('searchbox', { name: 'E-mail address or name' });
    await search.fill(String(stamp));
    await owner.getByRole('button', { name: 'Search' }).click();
    await owner.getByText(`1 account whose name contains “${stamp}”:`).waitFor();
    await owner.getByRole('button', { name: `Give ${member.name} a role` }).click();
    const form = owner.getByRole('region', { name: `Give ${member.name} a role` });
    await form.getByRole('radio', { name: 'Forum member' }).check();
    // A seat left empty is refused in place, before anything is sent.
    await form.getByRole('button', { name: 'Give the role' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByLabel('Seat on the forum').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Seat on the forum').selectOption('civil_society');
    await form.getByLabel('Organisation (optional)').fill("Larkhaven Tenants' Union");
    await form.getByRole('button', { name: 'Give the role' }).click();
    await owner.getByRole('status').filter({ hasText: `${member.name} is now a member of this process's forum.` }).waitFor();
    const forum = owner.getByRole('region', { name: 'Forum members' });
    await forum.getByText("Civil society, Larkhaven Tenants' Union").waitFor();
    await expectNoAxeViolations(owner);
    await narrowCheck(owner);
  });
});

describe('contributions received offline', () => {
  it('enters a comment received by post, with its scan', async () => {
    await owner.goto(`/processes/${planSlug}`);
    await owner.getByRole('region', { name: 'Running this process' }).getByRole('link', { name: 'Contributions received offline' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Contributions received offline' }).waitFor();
    await expectNoAxeViolations(owner);

    await owner.getByLabel('How it was received').selectOption('paper');
    await owner.getByLabel("Contributor's name or organisation (optional)").fill(association);
    await owner.getByLabel('Date received').fill(yesterday);
    await owner.getByLabel('Draft').selectOption({ label: draftTitle });
    const paragraph = owner.getByLabel('Paragraph', { exact: true });
    await paragraph.locator('option', { hasText: paragraphStart }).waitFor({ state: 'attached' });
    const value = await paragraph.locator('option', { hasText: paragraphStart }).getAttribute('value');
    await paragraph.selectOption(value!);
    await owner.getByLabel('What they wrote or said').fill(letter);
    await owner.getByLabel('Scan of the original (optional)').setInputFiles({ name: 'letter from the association.pdf', mimeType: 'application/pdf', buffer: scan });
    await owner.getByText(/^Chosen: letter from the association\.pdf/).waitFor();
    await expectNoAxeViolations(owner);
    await narrowCheck(owner);

    await owner.getByRole('button', { name: 'Enter the contribution' }).click();
    const notice = owner.getByRole('status').filter({ hasText: 'Entered:' });
    await notice.waitFor();
    const list = owner.getByRole('region', { name: 'Entered so far' });
    await list.getByText(`Received by post from ${association}`, { exact: false }).waitFor();
    await list.getByRole('button', { name: /^Download the scan letter from the association\.pdf/ }).waitFor();
    await expectNoAxeViolations(owner);

    // The scan is private: it does not exist for anyone but the process's owners.
    const token = await ownerToken();
    const entries = (await (await fetch(`${baseURL}/api/v1/processes/${planSlug}/offline`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      items: { excerpt: string; attachment: { url: string } | null }[];
    };
    const url = entries.items.find((e) => e.excerpt === letter)!.attachment!.url;
    expect((await fetch(`${baseURL}${url}`)).status).toBe(404);
    const download = await fetch(`${baseURL}${url}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="letter from the association.pdf"');
    expect(Buffer.from(await download.arrayBuffer()).equals(scan)).toBe(true);

    // The comment is on the draft for everyone, with its channel.
    await notice.getByRole('link', { name: 'See it on the draft' }).click();
    await owner.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    const reader = await newPage(browser);
    const path = new URL(owner.url()).pathname + new URL(owner.url()).hash;
    await expect
      .poll(
        async () => {
          await reader.goto(`${path.split('#')[0]}?at=${Date.now()}#${path.split('#')[1]}`);
          // The page loads before its thread does: wait for the thread, not just the load event.
          const article = reader.getByRole('article', { name: `Comment by ${association}` });
          await article.waitFor({ timeout: 5000 }).catch(() => undefined);
          return article.count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    const comment = reader.getByRole('article', { name: `Comment by ${association}` });
    await comment.getByText(letter).waitFor();
    await comment.getByText(/^Received by post on .+; entered by Larkhaven Open Government Office\.$/).waitFor();
    expect(await reader.content()).not.toContain('letter from the association');
    await expectNoAxeViolations(reader);
    await narrowCheck(reader);
    await reader.context().close();
  });

  it('enters an idea received by phone, anonymously', async () => {
    await owner.goto(`/processes/${ideasSlug}/offline`);
    await owner.getByRole('heading', { level: 1, name: 'Contributions received offline' }).waitFor();
    await owner.getByRole('radio', { name: 'Idea' }).check();
    await owner.getByLabel('How it was received').selectOption('phone');
    await owner.getByLabel('Date received').fill(yesterday);
    await owner.getByLabel('Title of the idea').fill(ideaTitle);
    await owner.getByLabel('Theme').selectOption({ label: 'Open budgets' });
    await owner.getByLabel('What they wrote or said').fill('A caller asked for the budget as a spreadsheet anyone can open, every month.');
    await owner.getByRole('button', { name: 'Enter the contribution' }).click();
    const link = owner.getByRole('status').filter({ hasText: 'Entered:' }).getByRole('link', { name: 'See the idea' });
    await link.waitFor();
    ideaPath = (await link.getAttribute('href'))!;
    expect(ideaPath).toMatch(new RegExp(`^/processes/${ideasSlug}/ideas/\\d+$`));
    await link.click();
    await owner.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
    await owner.getByText(/^Entered from a phone call on behalf of a participant/).waitFor();
  });
});

describe('the moderator merges a duplicate', () => {
  it('merges the idea received by phone into the demo idea, from the idea page', async () => {
    const mod = await newPage(browser);
    await signIn(mod, moderator.email, moderator.password, moderator.name);
    await mod.goto(ideaPath);
    await mod.getByRole('heading', { level: 1, name: ideaTitle }).waitFor();
    await mod.getByRole('button', { name: 'Merge into another idea' }).click();
    const panel = mod.getByRole('region', { name: 'Merge this idea into another' });
    await panel.getByText('Ideas like this one:').waitFor();
    await panel.getByRole('button', { name: `Compare with “${demoIdea}”` }).click();
    await panel.getByRole('heading', { name: 'Side by side' }).waitFor();
    const sides = panel.getByRole('article');
    await expect(sides.count()).resolves.toBe(2);
    await sides.nth(0).getByRole('heading', { name: ideaTitle }).waitFor();
    await sides.nth(1).getByRole('heading', { name: demoIdea }).waitFor();
    await expectNoAxeViolations(mod);
    await narrowCheck(mod);

    await panel.getByRole('button', { name: 'Yes, merge them' }).click();
    await mod.getByRole('status').filter({ hasText: 'This idea is merged into the other one' }).waitFor();
    const banner = mod.locator('.merged-banner');
    await banner.getByRole('link', { name: demoIdea }).waitFor();
    expect(await mod.getByRole('button', { name: 'Merge into another idea' }).count()).toBe(0);
    await expectNoAxeViolations(mod);

    // The merged idea points to the one it went into.
    const res = await fetch(`${baseURL}/api/v1${ideaPath.replace(`/processes/${ideasSlug}`, '')}`);
    const merged = (await res.json()) as { status: string; merged_into: number };
    expect(merged.status).toBe('merged');
    await banner.getByRole('link', { name: demoIdea }).click();
    await mod.getByRole('heading', { level: 1, name: demoIdea }).waitFor();
    expect(new URL(mod.url()).pathname).toBe(`/processes/${ideasSlug}/ideas/${merged.merged_into}`);
    await mod.context().close();
  });
});
