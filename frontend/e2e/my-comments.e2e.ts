// "Your comments": a citizen signs up, comments on a paragraph of the demo
// draft, opens /account/comments from the account page by keyboard, sees the
// comment with its state and follows its link back to the paragraph. Another
// person's comment on the same paragraph is not in the list. The draft page
// offers the published comments as Web Annotations.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, expectNoAxeViolations, launchBrowser, newPage, signIn, signUp } from './kit';

const draftTitle = 'Draft action plan 2027–2029';
// A paragraph of internal/demo/draft-2027.md that no other journey comments on
// (owner-people enters a comment on section 2's and reads its thread).
const paragraph = 'The city will publish the cost estimates of every proposal';

const stamp = Date.now();
const email = `tomas.${stamp}@example.org`;
const password = 'ferries leave at dawn';
const name = 'Tomás Reyes';
const mine = `Publish the estimates before the district vote (${stamp}).`;
const theirs = `Say who made each estimate (${stamp}).`;

let browser: Browser;
let page: Page;
let documentId: number;
let paragraphKey: string;

/** someoneElseComments signs another person up through the API and posts their comment on the paragraph. */
async function someoneElseComments() {
  const other = { email: `wen.${stamp}@example.org`, display_name: 'Wen Li', password: 'lanterns on the quay' };
  const signup = await fetch(`${baseURL}/api/v1/auth/signup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(other) });
  expect(signup.status).toBe(202);
  const login = await fetch(`${baseURL}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: other.email, password: other.password }) });
  expect(login.status).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };
  const v = (await (await fetch(`${baseURL}/api/v1/documents/${documentId}/versions/latest`)).json()) as { number: number; blocks: { key: string; text: string }[] };
  paragraphKey = v.blocks.find((b) => b.text.startsWith(paragraph))!.key;
  const posted = await fetch(`${baseURL}/api/v1/documents/${documentId}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ paragraph_key: paragraphKey, version: v.number, body: theirs }),
  });
  expect(posted.status).toBe(201);
}

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  const res = await fetch(`${baseURL}/api/v1/processes/larkhaven-action-plan-2027/documents`);
  const list = (await res.json()) as { items: { id: number; title: string }[] };
  documentId = list.items.find((d) => d.title === draftTitle)!.id;
  await someoneElseComments();
});
afterAll(async () => {
  await browser?.close();
});

function thread() {
  return page.getByRole('region', { name: 'Comments on this paragraph' });
}

describe('your comments', () => {
  it('a citizen comments on a paragraph of the demo draft', async () => {
    await signUp(page, { email, name, password });
    await signIn(page, email, password, name);
    await page.goto(`/documents/${documentId}`);
    await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    const block = page.locator('.block', { has: page.locator('[data-text-key]', { hasText: paragraph }) });
    await block.getByRole('button', { name: '1 comment' }).click();
    await thread().getByText(theirs).waitFor();
    await thread().getByLabel('Your comment on this paragraph').fill(mine);
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await thread().getByText('Your comment is published.').waitFor();
    await block.getByRole('button', { name: '2 comments' }).waitFor();
  });

  it('opens "Your comments" from the account page by keyboard, with the comment and its state', async () => {
    await page.goto('/account');
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    // The session menu links it too, on every page.
    await page.locator('.session-menu').getByRole('link', { name: 'Your comments' }).waitFor();
    await expectNoAxeViolations(page);

    // Skip link, then Tab through the page's content to its "Your comments" link.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const focusedInMain = () => page.evaluate(() => (document.activeElement?.closest('main') ? document.activeElement.textContent : null));
    for (let i = 0; i < 6 && (await focusedInMain()) !== 'Your comments'; i++) await page.keyboard.press('Tab');
    expect(await focusedInMain()).toBe('Your comments');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Your comments' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/comments');
    expect(await page.title()).toBe('Your comments · Cocreate');
    await page.getByText('1 comment shown').waitFor();
    const item = page.getByRole('article', { name: `On the draft “${draftTitle}”` });
    await item.getByText(mine).waitFor();
    await item.getByText('Published', { exact: true }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    // Another person's comment on the same paragraph is not listed.
    expect(await page.getByText(theirs).count()).toBe(0);

    await expectNoAxeViolations(page);
  });

  it('follows the link of the comment to its paragraph, with the thread open', async () => {
    const link = page.getByRole('article').getByRole('link', { name: 'Go to the paragraph' });
    expect(await link.getAttribute('href')).toBe(`/documents/${documentId}#p-${paragraphKey}`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#p-${paragraphKey}`);
    await thread().getByRole('article', { name: `Comment by ${name}` }).getByText(mine).waitFor();
    // The draft page, with its open data links, passes axe and fits 320 px.
    await expectNoAxeViolations(page);
  });

  it('downloads the published comments of the draft as Web Annotations', async () => {
    const link = page.getByRole('region', { name: 'Open data' }).getByRole('link', { name: 'Download comments as Web Annotations (JSON-LD)' });
    const href = await link.getAttribute('href');
    expect(href).toBe(`/api/v1/documents/${documentId}/annotations`);
    const res = await fetch(`${baseURL}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('application/ld+json');
    const body = await res.text();
    expect(body).toContain(mine);
    expect(body).toContain(theirs);
    // Names are not open data.
    expect(body).not.toContain(name);
  });
});
