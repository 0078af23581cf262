// The forum as an institution, on the demo ideas process
// larkhaven-ideas-2028 (its forum has no members in the demo, so the other
// journeys' forum is left alone): the demo owner sets the equal-veto rule;
// the forum's government member signs a response and a majority of its
// civil-society members dissent, so it stays a draft even once the third
// civil-society member signs; one withdraws the dissent and it is published.
// A member files a declaration of interests and recuses themselves from
// another draft. The owner publishes an open meeting with an agenda, a
// citizen registers, and the owner adds the minutes. Every new page is
// checked with axe, also at 390 px wide (and must not scroll sideways).
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForLink } from './mail';
import { baseURL, confirmEmail, dataDir, expectNoAxeViolations, launchBrowser, newPage, signedInPage, signIn, signUp } from './kit';

const slug = 'larkhaven-ideas-2028';
const ownerEmail = 'owner@larkhaven.example';
const ownerPassword = 'larkhaven demo owner';
const forumPassword = 'larkhaven demo forum';
const govEmail = 'forum.government@larkhaven.example';
const civilEmail = 'forum.civil@larkhaven.example';

const stamp = Date.now();
const password = 'lanterns along the quay';
// Two more civil-society members, and a citizen.
const civil2 = { email: `ines.${stamp}@example.org`, name: 'Inès Duarte', password };
const civil3 = { email: `piotr.${stamp}@example.org`, name: 'Piotr Nowak', password };
const citizen = { email: `mara.${stamp}@example.org`, name: 'Mara Quinn', password };
const meetingTitle = `Open meeting on the budget ideas ${stamp}`;

let browser: Browser;
let responseId = 0;
let secondId = 0;
let meetingPath = '';

/** api calls the server as someone with a token. */
async function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${baseURL}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** login signs in through the API and returns the token and the account's id. */
async function login(email: string, pass: string): Promise<{ token: string; id: number }> {
  const res = await api('POST', '/auth/login', '', { email, password: pass });
  expect(res.status, await res.clone().text()).toBe(200);
  const s = (await res.json()) as { access_token: string; account: { id: number } };
  return { token: s.access_token, id: s.account.id };
}

/** enrol signs an account up and confirms its address, through the API. */
async function enrol(who: { email: string; name: string; password: string }) {
  const res = await api('POST', '/auth/signup', '', { email: who.email, display_name: who.name, password: who.password });
  expect(res.status, await res.clone().text()).toBe(202);
  const link = await waitForLink(dataDir, '/verify-email', who.email);
  const token = new URL(link, baseURL).searchParams.get('token');
  const ok = await api('POST', '/auth/verify-email', '', { token });
  expect(ok.status, await ok.clone().text()).toBeLessThan(300);
}

/** narrow checks the page at 390 px wide: no sideways scrolling, and axe; then the page goes back to its width. */
async function narrow(p: Page) {
  const size = p.viewportSize();
  await p.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoAxeViolations(p);
  if (size) await p.setViewportSize(size);
}

/** checked runs axe on the page as it is, and again at 390 px. */
async function checked(p: Page) {
  await expectNoAxeViolations(p);
  await narrow(p);
}

/**
 * draftTwo has the government member draft two responses to an idea of the
 * demo process, through the API: drafted after the rule changed, they are
 * decided under it.
 */
async function draftTwo() {
  const gov = await login(govEmail, forumPassword);
  const ideas = (await (await api('GET', `/processes/${slug}/ideas?limit=50`, '')).json()) as { items: { id: number; title: string }[] };
  const target = ideas.items.find((i) => i.title === 'Participatory budgeting in every district')!;
  for (const reasoning of ['Each district will decide on part of its budget from 2028.', 'Noted for the next plan.']) {
    const res = await api('POST', `/processes/${slug}/forum/responses`, gov.token, { disposition: 'adopted', reasoning, covers: [{ kind: 'idea', id: target.id }] });
    expect(res.status, await res.clone().text()).toBe(201);
    const id = ((await res.json()) as { id: number }).id;
    if (responseId === 0) responseId = id;
    else secondId = id;
  }
}

/** status is a page's polite live region. */
function status(p: Page): Locator {
  return p.locator('[role="status"][aria-live="polite"]');
}

/** wall is a time as a datetime-local field takes it, in UTC. */
function wall(d: Date): string {
  return d.toISOString().slice(0, 16);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // The forum of the ideas process: the demo's government and civil-society
  // members, and two more civil-society members (named through the roles
  // routes, which are the process owner's).
  await enrol(civil2);
  await enrol(civil3);
  const owner = await login(ownerEmail, ownerPassword);
  const members: [string, string, string, string][] = [
    [govEmail, forumPassword, 'government', 'Larkhaven City Council'],
    [civilEmail, forumPassword, 'civil_society', 'Open Larkhaven Coalition'],
    [civil2.email, password, 'civil_society', 'Harbour Residents'],
    [civil3.email, password, 'civil_society', 'Larkhaven Cyclists'],
  ];
  for (const [email, pass, seat, organisation] of members) {
    const m = await login(email, pass);
    const res = await api('PUT', `/processes/${slug}/roles/${m.id}/forum_member`, owner.token, { seat, organisation });
    expect(res.status, await res.clone().text()).toBe(200);
  }
});
afterAll(async () => {
  await browser?.close();
});

describe('the forum as an institution', () => {
  it('the owner sets the equal-veto rule and writes the terms of reference', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(`/processes/${slug}/forum`);
    await owner.getByRole('heading', { level: 1, name: 'The forum' }).waitFor();
    const settings = owner.getByRole('region', { name: 'Forum settings' });
    await settings.getByRole('radio', { name: 'Equal veto' }).check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Saved.').waitFor();
    await owner.getByRole('region', { name: 'How responses are signed' }).getByText(/each side has an equal veto\.$/).waitFor();
    await checked(owner);

    await owner.getByRole('link', { name: /Edit the terms of reference/ }).click();
    await owner.getByRole('heading', { level: 1, name: 'Terms of reference and members' }).waitFor();
    const terms = owner.getByRole('region', { name: 'Terms of reference' });
    await terms.getByRole('textbox', { name: 'Remit' }).fill('Answer the ideas for the **2028–2030** plan, jointly.');
    await terms.getByRole('spinbutton', { name: 'Meetings a quarter (target)' }).fill('14');
    await terms.getByRole('button', { name: 'Save the terms' }).click();
    await terms.getByText('Enter a whole number in the range given.').waitFor();
    await terms.getByRole('spinbutton', { name: 'Meetings a quarter (target)' }).fill('2');
    await terms.getByRole('button', { name: 'Save the terms' }).click();
    await terms.getByText('Saved.').waitFor();
    const inès = owner.getByRole('form', { name: /Inès Duarte/ });
    await inès.getByRole('combobox', { name: 'Selected' }).selectOption('elected');
    await inès.getByLabel('Term starts').fill('2027-01-01');
    await inès.getByRole('button', { name: "Save Inès Duarte's details" }).click();
    await inès.getByText('Saved.').waitFor();
    await checked(owner);
  });

  it('a government member signs; a majority of civil society dissents, so it stays a draft', async () => {
    await draftTwo();
    const gov = await signedInPage(browser, govEmail, forumPassword);
    await gov.goto(`/responses/${responseId}`);
    await gov.getByRole('heading', { level: 1, name: 'Draft response' }).waitFor();
    const signing = gov.getByRole('region', { name: 'Signing' });
    await signing.getByText(/each side has an equal veto\.$/).waitFor();
    await signing.getByRole('button', { name: 'Sign this response' }).click();
    await status(gov).filter({ hasText: 'Your signature is recorded. Needs a civil-society signature.' }).waitFor();
    await checked(gov);

    for (const who of [civil2, civil3]) {
      const p = await signedInPage(browser, who.email, who.password);
      await p.goto(`/responses/${responseId}`);
      const s = p.getByRole('region', { name: 'Signing' });
      await s.getByRole('button', { name: 'Dissent instead' }).click();
      await s.getByRole('textbox', { name: 'Your dissenting note' }).fill(`Not every district is ready, says ${who.name}.`);
      await s.getByRole('button', { name: 'Attach my dissent' }).click();
      await status(p).filter({ hasText: 'Your dissenting note is recorded.' }).waitFor();
      await p.context().close();
    }

    const civil = await signedInPage(browser, civilEmail, forumPassword);
    await civil.goto(`/responses/${responseId}`);
    const s = civil.getByRole('region', { name: 'Signing' });
    await s.getByText('A majority of the civil-society members dissent: it is not published while they do.').waitFor();
    await s.getByRole('button', { name: 'Sign this response' }).click();
    await s.getByText('You have signed this draft.').waitFor();
    await s.getByText('A majority of the civil-society members dissent: it is not published while they do.').waitFor();
    await civil.getByRole('heading', { level: 1, name: 'Draft response' }).waitFor();
    expect((await fetch(`${baseURL}/api/v1/responses/${responseId}`)).status).toBe(404);
    await checked(civil);
  });

  it('one withdraws the dissent and the response is published', async () => {
    const p = await signedInPage(browser, civil3.email, civil3.password);
    await p.goto(`/responses/${responseId}`);
    const s = p.getByRole('region', { name: 'Signing' });
    await s.getByText('You have attached a dissenting note to this draft.').waitFor();
    await s.getByRole('button', { name: 'Withdraw my dissent' }).click();
    await status(p).filter({ hasText: /^Published: the response is entry \d+ of the ledger\.$/ }).waitFor();
    await p.getByRole('heading', { level: 1, name: 'Response of the forum: Adopted' }).waitFor();
    const facts = p.locator('dl.facts');
    await facts.getByText('Equal veto').waitFor();
    await p.getByText('Not every district is ready, says Inès Duarte.').waitFor();
    await checked(p);

    // The public reads it, and the ledger names its rule.
    const anonymous = await newPage(browser);
    await anonymous.goto(`/processes/${slug}/ledger`);
    await anonymous.getByText('Decided under the rule: Equal veto.').first().waitFor();
    expect((await fetch(`${baseURL}/api/v1/responses/${responseId}`)).status).toBe(200);
  });

  it('a member files a declaration of interests and recuses themselves from a draft', async () => {
    const p = await signedInPage(browser, civil2.email, civil2.password);
    await p.goto(`/processes/${slug}/forum`);
    const form = p.getByRole('region', { name: 'Your declaration of interests' });
    await form.getByRole('button', { name: 'File my declaration' }).click();
    await form.getByText('Fill this in.').waitFor();
    await form.getByRole('textbox', { name: 'Your interests' }).fill('I chair the *Harbour Residents* association, which proposed the harbour plan.');
    await form.getByRole('button', { name: 'File my declaration' }).click();
    await form.getByText('Your declaration is filed.').waitFor();
    const members = p.getByRole('region', { name: 'Members, their terms and declarations of interests' });
    await members.getByText('Elected by civil society').waitFor();
    await members.getByText('Harbour Residents', { exact: true }).first().waitFor();
    await checked(p);

    await p.goto(`/responses/${secondId}`);
    const s = p.getByRole('region', { name: 'Signing' });
    await s.getByRole('button', { name: 'Recuse myself' }).click();
    await s.getByRole('textbox', { name: 'Why you take no part (optional)' }).fill('My association proposed this idea.');
    await s.getByRole('button', { name: 'Recuse me from this response' }).click();
    await s.getByText('You have recused yourself from this draft.').waitFor();
    await s.getByRole('heading', { name: 'Recusals' }).waitFor();
    await s.getByText('My association proposed this idea.').waitFor();
    await checked(p);

    // The declaration is public.
    const anonymous = await newPage(browser);
    await anonymous.goto(`/processes/${slug}/forum`);
    await anonymous.getByText('which proposed the harbour plan.', { exact: false }).waitFor();
    await checked(anonymous);
  });

  it('the owner publishes an open meeting with an agenda; a citizen registers; the owner adds the minutes', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(`/processes/${slug}`);
    await owner.getByRole('region', { name: 'Meetings' }).getByRole('link', { name: 'Plan a meeting' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Plan a meeting' }).waitFor();
    await owner.getByRole('combobox', { name: 'Kind of meeting' }).selectOption('open');
    await owner.getByRole('textbox', { name: 'Title' }).fill(meetingTitle);
    // Under way: it started ten minutes ago and lasts two hours.
    const now = Date.now();
    await owner.getByLabel('Starts').fill(wall(new Date(now - 10 * 60_000)));
    await owner.getByLabel('Ends').fill(wall(new Date(now + 2 * 3600_000)));
    await owner.getByRole('combobox', { name: 'Time zone' }).selectOption('UTC');
    await owner.getByRole('textbox', { name: /^Remote link/ }).fill('http://meet.example.org/budget');
    await owner.getByRole('textbox', { name: /^Agenda/ }).fill('1. Participatory budgets\n2. **Questions** from the public');
    await owner.getByRole('spinbutton', { name: 'Places' }).fill('40');
    await owner.getByRole('button', { name: 'Create the meeting' }).click();
    await owner.getByText('The link must start with https://.').waitFor();
    await checked(owner);
    await owner.getByRole('textbox', { name: /^Remote link/ }).fill('https://meet.example.org/budget');
    await owner.getByRole('button', { name: 'Create the meeting' }).click();
    await owner.getByRole('heading', { level: 1, name: meetingTitle }).waitFor();
    meetingPath = new URL(owner.url()).pathname;
    expect(meetingPath).toMatch(/^\/meetings\/\d+$/);
    expect((await fetch(`${baseURL}/api/v1${meetingPath}`)).status).toBe(404);
    await owner.getByRole('button', { name: 'Publish the meeting' }).click();
    await status(owner).filter({ hasText: 'The meeting is published.' }).waitFor();
    await checked(owner);

    // A citizen finds it on the process page and registers.
    const p = await newPage(browser);
    await signUp(p, citizen);
    await confirmEmail(p, citizen.email);
    await signIn(p, citizen.email, citizen.password);
    await p.goto(`/processes/${slug}`);
    await p.getByRole('region', { name: 'Meetings' }).getByRole('link', { name: meetingTitle }).click();
    await p.getByRole('heading', { level: 1, name: meetingTitle }).waitFor();
    await p.getByRole('region', { name: 'Agenda' }).getByText('Questions', { exact: true }).waitFor();
    await p.getByRole('link', { name: 'Join online' }).waitFor();
    const reg = p.getByRole('region', { name: 'Registration' });
    await reg.getByRole('button', { name: 'Register' }).click();
    await status(p).filter({ hasText: 'You are registered: a place is yours.' }).waitFor();
    await p.getByText('1 of 40 places taken.').waitFor();
    await checked(p);

    // The owner sees who registered and adds the minutes with attendance.
    await owner.reload();
    await owner.getByRole('region', { name: 'Registrations' }).getByText(/^Mara Quinn · place confirmed/).waitFor();
    const form = owner.getByRole('region', { name: 'Publish the minutes' });
    await form.getByRole('textbox', { name: 'Minutes' }).fill('The forum presented the **participatory budget**; 12 questions were answered.');
    await form.getByRole('checkbox', { name: 'Amira Haddad (Government)' }).check();
    await form.getByRole('checkbox', { name: 'Inès Duarte (Civil society)' }).check();
    await form.getByRole('spinbutton', { name: 'Other people present' }).fill('23');
    await form.getByRole('button', { name: 'Publish the minutes' }).click();
    await status(owner).filter({ hasText: 'The minutes are published.' }).waitFor();
    const minutes = owner.getByRole('region', { name: 'Minutes' });
    await minutes.getByText('23 other people present.').waitFor();
    await owner.getByRole('region', { name: 'Publish a correction of the minutes' }).waitFor();
    await checked(owner);

    // The public reads the minutes.
    const anonymous = await newPage(browser);
    await anonymous.goto(meetingPath);
    const pub = anonymous.getByRole('region', { name: 'Minutes' });
    await pub.getByText('participatory budget', { exact: true }).waitFor();
    await pub.getByText(/^Amira Haddad · Government/).waitFor();
    await checked(anonymous);
    await anonymous.goto(`/processes/${slug}/meetings`);
    await anonymous.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
    await anonymous.getByRole('link', { name: meetingTitle }).waitFor();
    await checked(anonymous);
  });
});
