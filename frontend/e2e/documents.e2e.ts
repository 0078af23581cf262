// The reading view of a draft: a citizen signs up, reads the demo draft,
// comments on a paragraph and on a selected phrase, replies and votes; then the
// process owner publishes a new version and the comments follow (or are shown
// as comments on text that changed).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, expectNoAxeViolations, launchBrowser, newPage, signUp } from './kit';

const processTitle = 'Larkhaven Open Government Action Plan 2027–2029';
const draftTitle = 'Draft action plan 2027–2029';
const draftSource = readFileSync(resolve(import.meta.dirname, '../../internal/demo/draft-2027.md'), 'utf8');

// The paragraphs the journey uses, from internal/demo/draft-2027.md.
const removedParagraph = 'Every commitment names a lead office, a civil-society partner and dated milestones, so that anyone can follow its progress and hold the city to it.';
const phraseParagraph = 'The city will publish every public-works contract above 25,000 euros';
const phrase = '25,000 euros';
const editedParagraph = 'Residents told us they could not find out who was repaving their street';

const email = `iris.${Date.now()}@example.org`;
const password = 'gulls over the harbour wall';
const name = 'Iris Novak';

let browser: Browser;
let page: Page;
let documentId: number;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  const res = await fetch(`${baseURL}/api/v1/processes/larkhaven-action-plan-2027/documents`);
  const list = (await res.json()) as { items: { id: number; title: string }[] };
  documentId = list.items.find((d) => d.title === draftTitle)!.id;
});
afterAll(async () => {
  await browser?.close();
});

/** block is the reading view's block (paragraph, list item...) holding text. */
function block(text: string): Locator {
  return page.locator('.block', { has: page.locator('[data-text-key]', { hasText: text }) });
}

function thread(): Locator {
  return page.getByRole('region', { name: 'Comments on this paragraph' });
}

/** selectWithMouse drags the mouse over words of a paragraph, as a reader would. */
async function selectWithMouse(paragraph: string, words: string) {
  const at = await page.evaluate(
    ([paragraph, words]) => {
      const el = Array.from(document.querySelectorAll('[data-text-key]')).find((e) => e.textContent?.includes(paragraph))!;
      el.scrollIntoView({ block: 'center' });
      const node = el.firstChild as Text;
      const i = node.data.indexOf(words);
      const r = document.createRange();
      r.setStart(node, i);
      r.setEnd(node, i + 1);
      const first = r.getBoundingClientRect();
      r.setStart(node, i + words.length - 1);
      r.setEnd(node, i + words.length);
      const last = r.getBoundingClientRect();
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    },
    [paragraph, words],
  );
  await page.mouse.move(at.x1, at.y1);
  await page.mouse.down();
  await page.mouse.move(at.x2, at.y2, { steps: 8 });
  await page.mouse.up();
}

describe('reading and commenting on a draft', () => {
  it('signs up and finds the draft from the process page', async () => {
    await signUp(page, { email, name, password });

    await page.goto('/processes/larkhaven-action-plan-2027');
    await page.getByRole('heading', { level: 1, name: processTitle }).waitFor();
    const drafts = page.getByRole('region', { name: 'Drafts' });
    await drafts.getByRole('link', { name: draftTitle }).click();
    await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/documents/${documentId}`);
    expect(await page.title()).toBe(`${draftTitle} · Cocreate`);
    // Headings of the draft sit under the page's h1.
    await page.getByRole('heading', { level: 3, name: '1. Open contracting for city public works' }).waitFor();
    await expect(page.locator('table tr').count()).resolves.toBe(3);
  });

  it('signs in from a paragraph and comments on it', async () => {
    const b = block(removedParagraph);
    await b.getByRole('button', { name: '0 comments' }).click();
    await thread().getByText('No comments on this paragraph yet.').waitFor();
    await thread().getByRole('link', { name: 'Sign in to comment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back on the draft, with the paragraph's thread open.
    await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    await page.getByText(`Signed in as ${name}`).waitFor();
    await thread().getByLabel('Your comment on this paragraph').fill('Name the **lead office** for each commitment here.');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await thread().getByText('Your comment is published.').waitFor();
    await thread().getByText('lead office', { exact: true }).waitFor();
    await block(removedParagraph).getByRole('button', { name: '1 comment' }).waitFor();
  });

  it('comments on a phrase selected with the mouse, replies and votes', async () => {
    await selectWithMouse(phraseParagraph, phrase);
    const b = block(phraseParagraph);
    await b.getByRole('button', { name: 'Comment on this phrase' }).click();
    const form = thread().locator('form');
    await form.getByText('You are commenting on the words:').waitFor();
    expect(await form.locator('q').textContent()).toBe(phrase);
    const box = thread().getByLabel('Your comment on these words');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('Why not every contract, whatever the amount?');
    await thread().getByRole('button', { name: 'Post comment' }).click();
    await thread().getByText('Your comment is published.').waitFor();
    const mine = thread().getByRole('article', { name: `Comment by ${name}` });
    await mine.getByText('Why not every contract, whatever the amount?').waitFor();
    expect(await mine.locator('.comment-quote q').textContent()).toBe(phrase);
    await b.getByRole('button', { name: '1 comment' }).waitFor();

    // Reply.
    await mine.getByRole('button', { name: 'Reply' }).click();
    await thread().getByLabel(`Your reply to ${name}`).fill('Small contracts add up too.');
    await thread().getByRole('button', { name: 'Post reply' }).click();
    const reply = thread().locator('.replies').getByText('Small contracts add up too.');
    await reply.waitFor();
    await b.getByRole('button', { name: '2 comments' }).waitFor();

    // Agree with the phrase comment: the button is pressed and the counts move.
    const first = thread().getByRole('article', { name: `Comment by ${name}` }).first();
    await first.getByRole('button', { name: 'Agree 0', exact: true }).click();
    const agree = first.getByRole('button', { name: 'Agree 1', exact: true });
    await agree.waitFor();
    expect(await agree.getAttribute('aria-pressed')).toBe('true');
    await b.getByText('1 agree, 0 disagree').waitFor();

    // The reading view with a thread open passes axe.
    await expectNoAxeViolations(page);

    // The address names the open paragraph: a reload opens its thread again,
    // with the person's vote still pressed.
    expect(new URL(page.url()).hash).toMatch(/^#p-[a-z0-9-]+$/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
    expect(await block(phraseParagraph).getByRole('button', { name: '2 comments' }).getAttribute('aria-expanded')).toBe('true');
    const again = thread().getByRole('article', { name: `Comment by ${name}` }).first().getByRole('button', { name: 'Agree 1', exact: true });
    await again.waitFor();
    await expect.poll(() => again.getAttribute('aria-pressed')).toBe('true');
  });

  it('takes the selected words from the keyboard with Alt+C', async () => {
    await page.evaluate((words) => {
      const el = Array.from(document.querySelectorAll('[data-text-key]')).find((e) => e.textContent?.includes(words))!;
      const node = el.firstChild as Text;
      const i = node.data.indexOf(words);
      const r = document.createRange();
      r.setStart(node, i);
      r.setEnd(node, i + words.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(r);
    }, 'public register');
    await page.keyboard.press('Alt+C');
    const box = thread().getByLabel('Your comment on these words');
    await box.waitFor();
    expect(await thread().locator('form q').textContent()).toBe('public register');
    await thread().getByRole('button', { name: 'Comment on the whole paragraph instead' }).click();
    await thread().getByLabel('Your comment on this paragraph').waitFor();
    await thread().getByRole('button', { name: 'Close comments' }).click();
    await expect(thread().count()).resolves.toBe(0);
  });

  it('fits a 320 px wide screen with a thread open', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    await block(phraseParagraph).getByRole('button', { name: '2 comments' }).click();
    await thread().getByText('Small contracts add up too.').waitFor();
    // Below its paragraph, not beside it.
    const para = await block(phraseParagraph).locator('[data-text-key]').boundingBox();
    const panel = await thread().boundingBox();
    expect(panel!.y).toBeGreaterThan(para!.y + para!.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('a new version of the draft', () => {
  it('keeps comments on unchanged text and lists those on removed text', async () => {
    // The process owner publishes version 2 (through the API: the SPA has no
    // import screen yet): one paragraph removed, another reworded.
    const login = await fetch(`${baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'owner@larkhaven.example', password: 'larkhaven demo owner' }),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect(draftSource).toContain(removedParagraph);
    const source = draftSource.replace(`${removedParagraph}\n\n`, '').replace('could not find out who was repaving their street', 'could not find out who was resurfacing their street');
    const imported = await fetch(`${baseURL}/api/v1/documents/${documentId}/versions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ format: 'markdown', source, note: 'Second draft, after the first comments.' }),
    });
    expect(imported.status).toBe(201);
    const { number } = (await imported.json()) as { number: number };
    const published = await fetch(`${baseURL}/api/v1/documents/${documentId}/versions/${number}/publish`, { method: 'POST', headers: auth });
    expect(published.status).toBe(200);

    // Public reads may be cached for 5 seconds: the new version shows within that.
    await expect
      .poll(
        async () => {
          await page.goto(`/documents/${documentId}`);
          await page.getByRole('heading', { level: 1, name: draftTitle }).waitFor();
          return page.getByText(`Version ${number}, published on`, { exact: false }).count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    await expect(block(removedParagraph).count()).resolves.toBe(0);
    await block(editedParagraph.replace('repaving', 'resurfacing')).getByText('Edited').waitFor();

    // The phrase comment on the unchanged paragraph is still there.
    await block(phraseParagraph).getByRole('button', { name: '2 comments' }).click();
    const mine = thread().getByRole('article', { name: `Comment by ${name}` }).first();
    await mine.getByText('Why not every contract, whatever the amount?').waitFor();
    expect(await mine.locator('.comment-quote q').textContent()).toBe(phrase);
    await thread().getByRole('button', { name: 'Close comments' }).click();

    // The comment on the removed paragraph is listed with the text it was written on.
    await page.getByRole('link', { name: /on text that changed$/ }).click();
    const orphaned = page.getByRole('region', { name: 'Comments on text that changed' });
    await orphaned.getByText('lead office', { exact: true }).waitFor();
    await orphaned.getByText('Written on version 1, on this text:').waitFor();
    await orphaned.locator('blockquote', { hasText: removedParagraph }).waitFor();
    await expectNoAxeViolations(page);

    // The versions can be compared: the removed paragraph is marked as deleted.
    await page.getByRole('link', { name: `What changed from version 1 to version ${number}` }).click();
    await page.getByRole('heading', { level: 1, name: `What changed: ${draftTitle}` }).waitFor();
    const deleted = page.locator('li.diff-para', { hasText: removedParagraph });
    await deleted.getByText('Deleted', { exact: true }).waitFor();
    expect(await deleted.locator('del').count()).toBeGreaterThan(0);
    await page.locator('li.diff-para ins', { hasText: 'resurfacing' }).waitFor();
    await expectNoAxeViolations(page);

    // The earlier version can still be read, without counts.
    await page.goto(`/documents/${documentId}/v/1`);
    await page.getByText(removedParagraph).waitFor();
    await page.getByText('You are reading an earlier version of this draft.', { exact: false }).waitFor();
    await expect(page.getByRole('button', { name: /\d+ comments?$/ }).count()).resolves.toBe(0);
  });
});
