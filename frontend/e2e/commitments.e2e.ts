// The implementation phase: the demo owner adds two commitments with
// milestones to the ended 2025 plan (its working-group member linked by
// address); the working-group member drafts a joint progress update; the
// forum's government member and civil-society member sign it and it is
// published in the ledger; a citizen comments on it and asks a question on
// the commitment; the owner answers. The dashboard shows the right states,
// also at 390 px wide. Only the demo process larkhaven-action-plan-2025 is
// touched, with commitments of its own (their titles carry the run's time).
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, confirmEmail, expectNoAxeViolations, launchBrowser, newPage, signedInPage, signIn, signUp } from './kit';

const slug = 'larkhaven-action-plan-2025';
const ownerEmail = 'owner@larkhaven.example';
const ownerPassword = 'larkhaven demo owner';
const wgEmail = 'working.group@larkhaven.example';
const wgPassword = 'larkhaven demo working group';
const forumPassword = 'larkhaven demo forum';

const run = Date.now();
const onTrack = `Open budget data, run ${run}`;
const late = `Citizen budget app, run ${run}`;
const citizen = { email: `ines.${run}@example.org`, name: 'Inès Duarte', password: 'harbour lights at dusk' };

/** day is today plus n days, as a date field takes it. */
function day(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

let browser: Browser;
let updatePath = '';
let commitmentPath = '';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** status is a page's polite live region of announcements. */
function status(p: Page): Locator {
  return p.locator('[role="status"][aria-live="polite"]');
}

/** addCommitment fills the owner's form: one or two milestones, the working-group member linked by address. */
async function addCommitment(p: Page, title: string, start: number, milestones: [string, number][]) {
  await p.goto(`/processes/${slug}/commitments`);
  await p.getByRole('link', { name: 'Add a commitment' }).click();
  await p.getByRole('heading', { level: 1, name: 'Add a commitment' }).waitFor();
  await p.getByLabel('Title').fill(title);
  await p.getByLabel('Short description').fill('Publish the **budget** as open data every month.');
  await p.getByLabel('Lead institution').fill('Department of Finance');
  await p.getByLabel('Theme', { exact: true }).fill('Open budgets');
  await p.getByLabel('Start date').fill(day(start));
  await p.getByLabel('End date').fill(day(300));
  await p.getByLabel('Access to information').check();
  for (const [i, [name, due]] of milestones.entries()) {
    if (i > 0) await p.getByRole('button', { name: 'Add a milestone' }).click();
    const m = p.getByRole('group', { name: `Milestone ${i + 1}` });
    await m.getByLabel('Milestone', { exact: true }).fill(name);
    await m.getByLabel('Due date').fill(day(due));
  }
  await p.getByRole('button', { name: 'Add a member' }).click();
  const member = p.getByRole('group', { name: 'Member 1' });
  await member.getByLabel('Name').fill('Nadia Brennan');
  await member.getByLabel('Seat').selectOption('government');
  await member.getByLabel(/Account e-mail address/).fill(wgEmail);
  await expectNoAxeViolations(p);
  await p.getByRole('button', { name: 'Add the commitment' }).click();
  await p.getByRole('heading', { level: 1, name: title }).waitFor();
  await p.getByText('The commitment is added.').waitFor();
}

// Each journey signs several people in (argon2id) and loads several pages: on the
// shared two-core machine it may take longer than the suite's default minute.
const journey = 150_000;

describe('commitments after the plan is adopted', () => {
  it('the owner adds two commitments with milestones; a refused form keeps what was typed', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    // A milestone outside the commitment's dates is refused by the field.
    await owner.goto(`/processes/${slug}/commitments/new`);
    await owner.getByLabel('Title').fill(onTrack);
    await owner.getByLabel('Lead institution').fill('Department of Finance');
    await owner.getByLabel('Start date').fill(day(-30));
    await owner.getByLabel('End date').fill(day(300));
    const m1 = owner.getByRole('group', { name: 'Milestone 1' });
    await m1.getByLabel('Milestone', { exact: true }).fill('Monthly budget files');
    await m1.getByLabel('Due date').fill(day(400));
    await owner.getByRole('button', { name: 'Add the commitment' }).click();
    await owner.getByRole('alert').filter({ hasText: 'Some fields need attention.' }).waitFor();
    await m1.getByText("Choose a date inside the commitment's dates.").waitFor();
    expect(await owner.getByLabel('Title').inputValue()).toBe(onTrack);
    await expectNoAxeViolations(owner);

    await addCommitment(owner, onTrack, -30, [['Monthly budget files', 60], ['Budget app', 200]]);
    commitmentPath = new URL(owner.url()).pathname;
    await owner.getByText('Begun, but no milestone is completed and no update published yet.').waitFor();
    await expectNoAxeViolations(owner);
    await addCommitment(owner, late, -200, [['Prototype', -40]]);
    await owner.getByText('A milestone is 40 days late.').waitFor();
  }, journey);

  it('the working-group member drafts a joint update, and the forum signs it into the ledger', async () => {
    const wg = await signedInPage(browser, wgEmail, wgPassword);
    await wg.goto(commitmentPath);
    await wg.getByRole('link', { name: 'Write a progress update' }).click();
    await wg.getByRole('heading', { level: 1, name: 'Write a progress update' }).waitFor();
    await wg.getByLabel('Joint update (government and civil society)').check();
    await wg.getByLabel('Progress since the last update').fill('The first monthly budget file is **online**.');
    await wg.getByLabel('Next steps').fill('Publish every month; start the budget app.');
    await wg.getByRole('button', { name: 'Add evidence' }).click();
    await wg.getByLabel('Link 1').fill('https://larkhaven.example/budget/2027-03');
    await expectNoAxeViolations(wg);
    await wg.getByRole('button', { name: 'Save the draft' }).click();
    await wg.getByText('The draft is saved. Publish it, or have the forum sign it.').waitFor();
    updatePath = new URL(wg.url()).pathname;
    expect(updatePath).toMatch(/^\/progress-updates\/\d+$/);
    await wg.getByText('Still needs a signature from: Government, Civil society.').waitFor();
    // A draft is not public.
    expect((await fetch(`${baseURL}/api/v1${updatePath}`)).status).toBe(404);

    const gov = await signedInPage(browser, 'forum.government@larkhaven.example', forumPassword);
    await gov.goto(updatePath);
    await gov.getByRole('button', { name: 'Sign this update' }).click();
    await status(gov).filter({ hasText: 'Your signature is recorded. Still needed: Civil society.' }).waitFor();
    await expectNoAxeViolations(gov);

    const civil = await signedInPage(browser, 'forum.civil@larkhaven.example', forumPassword);
    await civil.goto(updatePath);
    await civil.getByText('Still needs a signature from: Civil society.').waitFor();
    await civil.getByRole('button', { name: 'Sign this update' }).click();
    await status(civil).filter({ hasText: 'The update is published and recorded in the ledger.' }).waitFor();
    await civil.getByRole('link', { name: /^Entry \d+ of the public ledger$/ }).waitFor();
    await civil.getByText(/^member m-[0-9a-f]+ · Government · Larkhaven City Council$/).waitFor();
    await civil.getByText(/^member m-[0-9a-f]+ · Civil society · Open Larkhaven Coalition$/).waitFor();

    const verify = (await (await fetch(`${baseURL}/api/v1/processes/${slug}/ledger/verify`)).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
  }, journey);

  it('a citizen comments on the update and asks a question; the owner answers', async () => {
    const p = await newPage(browser);
    await signUp(p, citizen);
    await confirmEmail(p, citizen.email);
    await signIn(p, citizen.email, citizen.password);
    await p.goto(updatePath);
    const comments = p.getByRole('region', { name: 'Comments on this update' });
    await comments.getByLabel('Your comment on this update').fill('Could the files also be in CSV?');
    await comments.getByRole('button', { name: 'Post comment' }).click();
    await comments.getByText('Your comment is published.').waitFor();
    await comments.getByRole('article', { name: `Comment by ${citizen.name}` }).getByText('Could the files also be in CSV?').waitFor();
    await expectNoAxeViolations(p);

    await p.goto(commitmentPath);
    const questions = p.getByRole('region', { name: 'Questions' });
    await questions.getByLabel('Your question').fill('When will the budget app be tested with residents?');
    await questions.getByRole('button', { name: 'Ask' }).click();
    await questions.getByText('Your question is published; the answer clock has started.').waitFor();
    await questions.getByText(/^Answer due by .+ \(0 working days so far\)\.$/).waitFor();
    await expectNoAxeViolations(p);

    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(commitmentPath);
    const q = owner.getByRole('region', { name: 'Questions' }).getByRole('article').filter({ hasText: 'When will the budget app be tested' });
    await q.getByRole('button', { name: 'Answer' }).click();
    await q.getByLabel('Your answer').fill('In **May**, with the district offices.');
    await q.getByRole('button', { name: 'Publish the answer' }).click();
    await q.getByText(/^Answer of Department of Finance/).waitFor();
    await q.getByText('In May, with the district offices.').waitFor();
    await q.getByText('Answered in 0 working days.').waitFor();
  }, journey);

  it('the dashboard shows the right states, in words, also 390 px wide', async () => {
    const p = await newPage(browser);
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(`/processes/${slug}`);
    await p.getByRole('region', { name: 'Implementation' }).getByRole('link', { name: 'Commitments and their progress' }).click();
    await p.getByRole('heading', { level: 1, name: 'Commitments and their progress' }).waitFor();
    const card = (title: string) => p.getByRole('article', { name: title });
    // Public reads may be cached for a few seconds: the publication shows within that.
    await expect.poll(async () => (await card(onTrack).textContent()) ?? '', { timeout: 15_000 }).toContain('Status: On track');
    expect(await card(onTrack).textContent()).toContain('0 of 2 milestones done (0 %)');
    expect(await card(late).textContent()).toContain('Status: Delayed');
    expect(await card(late).textContent()).toContain('A milestone is 40 days late.');
    // The demo's commitments are there too, one in each state.
    const glance = p.getByRole('region', { name: 'At a glance' });
    for (const s of ['Not started', 'On track', 'At risk', 'Delayed', 'Completed', 'Withdrawn']) await glance.getByRole('row', { name: new RegExp(`^Status: ${s}`) }).waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(p);

    await p.getByLabel('Status').selectOption('delayed');
    await expect.poll(() => new URL(p.url()).searchParams.get('status')).toBe('delayed');
    await expect.poll(() => card(onTrack).count()).toBe(0);
    await card(late).waitFor();

    await p.goto(commitmentPath);
    await p.getByRole('heading', { level: 1, name: onTrack }).waitFor();
    await p.getByRole('region', { name: 'Milestones and updates' }).getByRole('link', { name: 'Joint update (government and civil society)' }).waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(p);
    await p.goto(updatePath);
    await p.getByRole('heading', { level: 1, name: `Progress update on “${onTrack}”` }).waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(p);
  }, journey);
});
