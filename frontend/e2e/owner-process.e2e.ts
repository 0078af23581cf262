// The owner's workspace: an administrator creates a process with its phases
// (after a refused overlap), writes its engagement mandate, is warned of the
// parts left empty and publishes it; a visitor without an account could not
// see it before and reads it with its mandate after; an owner of the process
// posts an update that the visitor then reads. Axe on every new page; the
// whole journey also at 390 px wide, and no page scrolls sideways at 320 px.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, confirmEmail, dataDir, expectNoAxeViolations, launchBrowser, newPage, signIn, signUp } from './kit';

// The demo's owner account (internal/demo/demo.go).
const ownerEmail = 'owner@larkhaven.example';
const ownerPassword = 'larkhaven demo owner';

const admin = { email: `ada.${Date.now()}@example.org`, name: 'Ada Okafor', password: 'harbour lights at midnight' };

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // An administrator: signed up as anyone would, then named by the operator.
  const p = await newPage(browser);
  await signUp(p, admin);
  await confirmEmail(p, admin.email);
  await p.context().close();
  grantAdmin(admin.email);
});
afterAll(async () => {
  await browser?.close();
});

/**
 * grantAdmin runs `cocreate grant-admin` against the test server's database
 * (the private cluster serve started, through its socket).
 */
function grantAdmin(email: string) {
  const bin = resolve(import.meta.dirname, '../..', process.env.COCREATE_BIN || 'bin/cocreate');
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: `host=${dataDir}/pgdata port=5432 user=cocreate dbname=cocreate sslmode=disable` };
  const r = spawnSync(bin, ['grant-admin', email], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`cocreate grant-admin failed (${r.status}):\n${r.stderr}`);
}

/** api calls the API as the account with email (signing in first). */
async function apiAs(email: string, password: string, method: string, path: string, body?: unknown) {
  const login = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const token = ((await login.json()) as { access_token: string }).access_token;
  return fetch(`${baseURL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** day is the local calendar day n days from today, as a date field takes it. */
function day(n: number): string {
  const t = new Date();
  t.setDate(t.getDate() + n);
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
}

/** fits checks the page needs no sideways scrolling at its width. */
async function fits(p: Page) {
  const { scroll, width } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

/** check runs the page checks of the journey: axe, and no sideways scrolling at this width nor at 320 px. */
async function check(p: Page) {
  await expectNoAxeViolations(p);
  await fits(p);
  const size = p.viewportSize() ?? { width: 1280, height: 900 };
  await p.setViewportSize({ width: 320, height: size.height });
  await fits(p);
  await p.setViewportSize(size);
}

async function pageAt(width: number): Promise<Page> {
  const p = await newPage(browser);
  await p.setViewportSize({ width, height: 900 });
  return p;
}

describe.each([1280, 390])('an owner runs a consultation from the web app (%i px wide)', (width) => {
  const title = `Harbour district plan ${width} ${Date.now()}`;
  const slug = title.toLowerCase().replace(/ /g, '-');
  let adminPage: Page;
  let visitor: Page;

  beforeAll(async () => {
    adminPage = await pageAt(width);
    await signIn(adminPage, admin.email, admin.password);
    visitor = await pageAt(width);
  });
  afterAll(async () => {
    await adminPage?.context().close();
    await visitor?.context().close();
  });

  it('creates the process with its phases; it stays hidden from the public', async () => {
    const p = adminPage;
    await p.goto('/');
    await p.getByRole('link', { name: 'New process' }).click();
    await p.getByRole('heading', { level: 1, name: 'New process' }).waitFor();
    await check(p);

    await p.getByRole('textbox', { name: 'Title' }).fill(title);
    expect(await p.getByRole('textbox', { name: 'Web address' }).inputValue()).toBe(slug);
    await p.getByRole('textbox', { name: 'Summary' }).fill('The city and the residents of the **harbour district** plan its next five years.');
    await p.getByRole('textbox', { name: 'Languages' }).fill('en, fr');
    const ideas = p.getByRole('group', { name: 'Idea collection' });
    await ideas.getByRole('checkbox', { name: 'Include Idea collection' }).check();
    await ideas.getByLabel('First day').fill(day(-1));
    await ideas.getByLabel('Last day').fill(day(20));
    const comment = p.getByRole('group', { name: 'Public comment' });
    await comment.getByRole('checkbox', { name: 'Include Public comment' }).check();
    await comment.getByLabel('First day').fill(day(10)); // overlaps idea collection
    await comment.getByLabel('Last day').fill(day(40));
    await p.getByRole('button', { name: 'Create the process' }).click();

    // The server's rule shows at the phase it is about; the form keeps what was typed.
    await p.getByRole('alert').getByText('Some fields need attention.').waitFor();
    await comment.getByText('This phase starts before the one before it ends.').waitFor();
    expect(await comment.getByLabel('First day').getAttribute('aria-invalid')).toBe('true');
    expect(await p.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(title);
    await check(p);

    await comment.getByLabel('First day').fill(day(30));
    await p.getByRole('button', { name: 'Create the process' }).click();
    await p.getByRole('heading', { level: 1, name: 'Manage the process' }).waitFor();
    await p.getByText('Process created. It is not published yet').waitFor();
    expect(new URL(p.url()).pathname).toBe(`/processes/${slug}/manage`);
    await check(p);

    await visitor.goto(`/processes/${slug}`);
    await visitor.getByRole('heading', { level: 1, name: 'Process not found' }).waitFor();
    await visitor.goto('/');
    await visitor.getByRole('link', { name: 'Larkhaven Open Government Action Plan 2027–2029' }).waitFor();
    expect(await visitor.getByRole('link', { name: title }).count()).toBe(0);
  });

  it('writes the engagement mandate, sees what is missing, and publishes', async () => {
    const p = adminPage;
    await p.getByRole('link', { name: 'Engagement mandate' }).click();
    await p.getByRole('heading', { level: 1, name: 'Engagement mandate' }).waitFor();
    await check(p);
    await p.getByRole('textbox', { name: 'Why are you engaging the public, and what will be decided?' }).fill('The council will adopt a plan for the harbour district: housing, the quays and the ferry.');
    await p.getByRole('radio', { name: 'Consult' }).check();
    await p.getByRole('button', { name: 'Add an open item' }).click();
    await p.getByRole('textbox', { name: 'Open item 1' }).fill('Where the new housing goes');
    await p.getByRole('textbox', { name: 'How your input will be used' }).fill('Every contribution is read and answered by the planning team.');
    await p.getByRole('textbox', { name: 'Who decides' }).fill('The city council');
    await p.getByRole('button', { name: 'Add a decision point' }).click();
    await p.getByRole('group', { name: 'Decision point 1' }).getByRole('textbox', { name: 'What is decided' }).fill('The council votes the plan');
    // The point is named by what it decides from then on.
    await p.getByRole('group', { name: 'The council votes the plan' }).getByLabel('Date').fill(day(60));
    await p.getByRole('textbox', { name: 'Name or office' }).fill('Harbour planning team');
    await p.getByRole('textbox', { name: 'E-mail address' }).fill('not an address');
    await p.getByRole('button', { name: 'Save the mandate' }).click();
    await p.getByText('This is not an e-mail address.').waitFor();
    await check(p);
    await p.getByRole('textbox', { name: 'E-mail address' }).fill('harbour@larkhaven.example');
    await p.getByRole('button', { name: 'Save the mandate' }).click();
    await p.getByText('Mandate saved.').waitFor();
    await p.getByText('Still empty: What is already decided, Privacy notice.').waitFor();

    await p.getByRole('link', { name: `Manage: ${title}` }).click();
    await p.getByRole('link', { name: 'Publication' }).click();
    await p.getByRole('heading', { level: 1, name: 'Publication' }).waitFor();
    const checks = p.getByRole('region', { name: 'Before you publish' });
    await checks.getByText('2 parts of the engagement mandate are empty.', { exact: false }).waitFor();
    await checks.getByRole('link', { name: 'What is already decided' }).waitFor();
    await checks.getByRole('link', { name: 'Privacy notice' }).waitFor();
    await check(p);
    await p.getByRole('button', { name: 'Publish anyway' }).click();
    await p.getByRole('group', { name: `Publish “${title}”? Everyone will be able to see it and take part.` }).getByRole('button', { name: 'Publish' }).click();
    await p.getByRole('heading', { name: 'The process is published.' }).waitFor();
    await check(p);
  });

  it('shows the public the process with its mandate', async () => {
    const v = visitor;
    await v.goto(`/processes/${slug}`);
    await v.getByRole('heading', { level: 1, name: title }).waitFor();
    const mandate = v.getByRole('region', { name: 'About this consultation' });
    await mandate.getByText('The council will adopt a plan for the harbour district').waitFor();
    await mandate.getByText('We will listen to your views and tell you how they influenced the decision.').waitFor();
    await mandate.getByText('Where the new housing goes').waitFor();
    await mandate.getByRole('link', { name: 'harbour@larkhaven.example' }).waitFor();
    expect(await v.getByRole('link', { name: 'Manage this process' }).count()).toBe(0);
    await check(v);
  });

  it('lets an owner post an update that the public reads', async () => {
    // The roles screen is another part of this round; the administrator names the owner through the API.
    const me = (await (await apiAs(ownerEmail, ownerPassword, 'GET', '/api/v1/me')).json()) as { id: number };
    const granted = await apiAs(admin.email, admin.password, 'PUT', `/api/v1/processes/${slug}/roles/${me.id}/owner`, {});
    expect(granted.status).toBe(200);

    const owner = await pageAt(width);
    try {
      await signIn(owner, ownerEmail, ownerPassword);
      await owner.goto(`/processes/${slug}`);
      await owner.getByRole('link', { name: 'Manage this process' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Manage the process' }).waitFor();
      await owner.getByRole('link', { name: 'Updates' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Updates' }).waitFor();
      await check(owner);
      const form = owner.getByRole('region', { name: 'Post an update' });
      await form.getByRole('textbox', { name: 'Title' }).fill('Workshops on the quays');
      await form.getByRole('textbox', { name: 'Text' }).fill('Come to the **ferry terminal** on Saturday to discuss the quays.');
      await form.getByRole('button', { name: 'Post the update' }).click();
      await owner.getByRole('heading', { level: 3, name: 'Workshops on the quays' }).waitFor();
      await check(owner);
    } finally {
      await owner.context().close();
    }

    // Another visitor: public reads may be kept by a browser for 30 seconds.
    const reader = await pageAt(width);
    try {
      await reader.goto(`/processes/${slug}`);
      const updates = reader.getByRole('region', { name: 'Updates' });
      await updates.getByRole('heading', { level: 3, name: 'Workshops on the quays' }).waitFor();
      expect(await updates.locator('strong').textContent()).toBe('ferry terminal');
      await updates.getByRole('link', { name: 'All updates' }).click();
      await reader.getByRole('heading', { level: 1, name: 'Updates' }).waitFor();
      expect(await reader.getByRole('button', { name: /Edit the update/ }).count()).toBe(0);
      await check(reader);
    } finally {
      await reader.context().close();
    }
  });

  it('lets its administrator change its settings', async () => {
    const p = adminPage;
    await p.goto(`/processes/${slug}/settings`);
    await p.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await check(p);
    await p.getByRole('textbox', { name: 'Title' }).fill(`${title} (revised)`);
    await p.getByRole('button', { name: 'Save changes' }).click();
    await p.getByText('Changes saved.').waitFor();
    await p.goto(`/processes/${slug}`);
    await p.getByRole('heading', { level: 1, name: `${title} (revised)` }).waitFor();
  });
});
