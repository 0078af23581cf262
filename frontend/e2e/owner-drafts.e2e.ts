// The process owner's drafts, in the web app: the demo owner creates a
// document, imports a Word draft, checks the preview and publishes it; a
// citizen comments on it; the owner imports a revised Word draft (at 390 px
// wide), sees in the preview that the comment stays on its words, and
// publishes it with a comment window of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, newPage, signIn, signUp } from './kit';

const processSlug = 'larkhaven-action-plan-2027';
const processTitle = 'Larkhaven Open Government Action Plan 2027–2029';
const ownerEmail = 'owner@larkhaven.example'; // internal/demo/demo.go
const ownerPassword = 'larkhaven demo owner';
const docTitle = `Open contracting annex ${Date.now()}`;

// The Word drafts are made with pandoc from the Markdown fixture the Go tests use.
const markdown = readFileSync(resolve(import.meta.dirname, '../../internal/document/testdata/draft-short.md'), 'utf8');
const commented = 'Residents told us they could not find out who was repaving their street, for how much, or why the works ran late.';
const revised = markdown.replace('within five working days', 'within three working days');

let dir: string;
let browser: Browser;
let owner: Page;

/** docx writes markdown as a Word file with pandoc and returns its path. */
function docx(name: string, md: string): string {
  const src = join(dir, `${name}.md`);
  const out = join(dir, `${name}.docx`);
  writeFileSync(src, md);
  const r = spawnSync('pandoc', ['--from=gfm', '--to=docx', `--output=${out}`, src], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`this journey makes its Word files with pandoc (Debian package pandoc): ${r.error?.message ?? r.stderr}`);
  return out;
}

/** fitsWidth checks that the page does not scroll sideways at the viewport's width (naming what sticks out when it does). */
async function fitsWidth(p: Page, width: number) {
  const wide = await p.evaluate((w) => {
    if (document.documentElement.scrollWidth <= w) return [];
    return Array.from(document.querySelectorAll('main *'))
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`);
  }, width);
  expect(wide).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-drafts-'));
  browser = await launchBrowser();
  owner = await newPage(browser);
  await signIn(owner, ownerEmail, ownerPassword, 'Larkhaven Open Government Office');
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the owner publishes a Word draft', () => {
  let documentPath = '';

  it('finds the drafts workspace from the process page and creates a document', async () => {
    await owner.goto(`/processes/${processSlug}`);
    await owner.getByRole('heading', { level: 1, name: processTitle }).waitFor();
    await owner.getByRole('region', { name: 'Drafts' }).getByRole('link', { name: 'Manage the drafts' }).click();
    await owner.getByRole('heading', { level: 1, name: `Drafts of ${processTitle}` }).waitFor();
    await owner.getByRole('article', { name: 'Draft action plan 2027–2029' }).waitFor();
    await expectNoAxeViolations(owner);

    // An empty title is refused in place, and nothing is created.
    await owner.getByRole('button', { name: 'Create and import its first version' }).click();
    await owner.getByRole('alert').getByText('Some fields need attention.').waitFor();
    expect(await owner.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');

    await owner.getByLabel('Title').fill(docTitle);
    await owner.getByLabel('Language of the draft').selectOption('en');
    await owner.getByRole('button', { name: 'Create and import its first version' }).click();
    await owner.getByRole('heading', { level: 1, name: `Import a new version of “${docTitle}”` }).waitFor();
    documentPath = new URL(owner.url()).pathname.replace(/\/import$/, '');
    expect(documentPath).toMatch(/^\/documents\/\d+$/);
    await expectNoAxeViolations(owner);
  });

  it('imports a Word file and checks the preview', async () => {
    // A file whose content is not what its name says is refused, and the form keeps its note.
    const fake = join(dir, 'not-word.docx');
    writeFileSync(fake, markdown);
    await owner.getByLabel('File', { exact: true }).setInputFiles(fake);
    await owner.getByLabel('Note for readers (optional)').fill('First draft, from the forum.');
    await owner.getByRole('button', { name: 'Import and preview' }).click();
    await owner.getByRole('alert').getByText("The file's content does not match its name's extension.").waitFor();
    expect(await owner.getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await owner.getByLabel('Note for readers (optional)').inputValue()).toBe('First draft, from the forum.');

    await owner.getByLabel('File', { exact: true }).setInputFiles(docx('draft', markdown));
    await owner.getByRole('button', { name: 'Import and preview' }).click();
    await owner.getByRole('heading', { level: 1, name: `Preview of version 1 of “${docTitle}”` }).waitFor();
    expect(new URL(owner.url()).pathname).toBe(`${documentPath}/v/1/preview`);

    const effects = owner.getByRole('region', { name: 'What publishing will do' });
    await effects.getByText("This is the draft's first version: its 24 paragraphs are new.").waitFor();
    const outline = owner.getByRole('region', { name: 'Headings' });
    // Each heading with the number the draft gave it, and none made up.
    expect(await outline.getByRole('listitem').allTextContents()).toEqual([
      'Larkhaven Open Government Action Plan 2027–2029',
      'Introduction',
      '1. Open contracting for city public works',
      '1.1 What residents asked for',
      '2. A public register of lobbying meetings',
      '3. Accessible, machine-readable council data',
    ]);
    // Indented by their levels, none skipped.
    expect(await outline.getByRole('listitem').evaluateAll((lis) => lis.map((li) => li.className))).toEqual(
      [1, 2, 2, 3, 2, 2].map((l) => `outline-level-${l}`),
    );
    const text = owner.getByRole('region', { name: 'The text as readers will see it' });
    await text.getByRole('heading', { name: '3. Accessible, machine-readable council data' }).waitFor();
    await expect(text.locator('table tr').count()).resolves.toBe(3);
    await expect(text.locator('li.block').count()).resolves.toBe(8);
    await expectNoAxeViolations(owner);
  });

  it('publishes it in the public-comment phase, after a confirmation', async () => {
    const publish = owner.getByRole('region', { name: 'Publish' });
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await publish.getByText(/^Publish version 1 now\?.*during the process's public-comment phase/).waitFor();
    await expectNoAxeViolations(owner);
    await publish.getByRole('button', { name: 'Yes, publish version 1' }).click();
    await owner.getByRole('heading', { level: 1, name: docTitle, exact: true }).waitFor();
    expect(new URL(owner.url()).pathname).toBe(documentPath);
    await owner.getByText('First draft, from the forum.').waitFor();
  });

  it('is read and commented on by a citizen', async () => {
    const citizen = await newPage(browser);
    const email = `nadia.${Date.now()}@example.org`;
    await signUp(citizen, { email, name: 'Nadia Osei', password: 'herons in the estuary' });
    await signIn(citizen, email, 'herons in the estuary', 'Nadia Osei');
    await citizen.goto(documentPath);
    await citizen.getByRole('heading', { level: 1, name: docTitle, exact: true }).waitFor();
    const block = citizen.locator('.block', { has: citizen.locator('[data-text-key]', { hasText: commented }) });
    await block.getByRole('button', { name: '0 comments' }).click();
    const thread = citizen.getByRole('region', { name: 'Comments on this paragraph' });
    await thread.getByLabel('Your comment on this paragraph').fill('Publish the delays street by street, please.');
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await thread.getByText('Your comment is published.').waitFor();
    await block.getByRole('button', { name: '1 comment' }).waitFor();
    await citizen.context().close();
  });
});

describe('a revised Word draft, on a phone-sized screen', () => {
  it('imports it, sees where the comment goes, and publishes it with its own window', async () => {
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.goto(`/processes/${processSlug}/drafts`);
    const card = owner.getByRole('article', { name: docTitle });
    await card.getByRole('link', { name: 'Read version 1 of' + ` “${docTitle}”` }).waitFor();
    await fitsWidth(owner, 390);
    await expectNoAxeViolations(owner);
    await card.getByRole('link', { name: `Import a new version of “${docTitle}”` }).click();
    await owner.getByText('The version you import is compared with version 1, the one readers see now.', { exact: false }).waitFor();
    await fitsWidth(owner, 390);
    await owner.getByLabel('File', { exact: true }).setInputFiles(docx('revised', revised));
    await owner.getByRole('button', { name: 'Import and preview' }).click();
    await owner.getByRole('heading', { level: 1, name: `Preview of version 2 of “${docTitle}”` }).waitFor();

    const effects = owner.getByRole('region', { name: 'What publishing will do' });
    const changes = effects.getByRole('list').first();
    expect(await changes.getByRole('listitem').allTextContents()).toEqual(['0 new', '1 edited', '0 moved', '0 deleted', '23 unchanged']);
    await effects.getByRole('heading', { name: 'The 1 comment on the published version' }).waitFor();
    await effects.getByText('1 stays on the same words').waitFor();
    const diff = owner.getByRole('region', { name: 'What changed since version 1' });
    await diff.locator('li.diff-para ins', { hasText: 'three' }).waitFor();
    await fitsWidth(owner, 390);
    await expectNoAxeViolations(owner);

    // Comments open from now for four weeks: an end before the start is refused first.
    const publish = owner.getByRole('region', { name: 'Publish' });
    await publish.getByLabel('Between dates of its own').check();
    const local = (days: number) =>
      owner.evaluate((d) => {
        const t = new Date(Date.now() + d * 86_400_000);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
      }, days);
    await publish.getByLabel('Comments open').fill(await local(-1));
    await publish.getByLabel('Comments close').fill(await local(-2));
    await publish.getByRole('button', { name: 'Publish version 2' }).click();
    await publish.getByText('Comments must close after they open.').waitFor();
    await publish.getByLabel('Comments close').fill(await local(28));
    await publish.getByRole('button', { name: 'Publish version 2' }).click();
    await publish.getByRole('button', { name: 'Yes, publish version 2' }).click();

    await owner.getByRole('heading', { level: 1, name: docTitle, exact: true }).waitFor();
    await owner.getByText(/^Version 2, published on/).waitFor();
    const block = owner.locator('.block', { has: owner.locator('[data-text-key]', { hasText: commented }) });
    await block.getByRole('button', { name: '1 comment' }).waitFor();
    await fitsWidth(owner, 390);
    await expectNoAxeViolations(owner);
  });

  it('fits 320 px wide', async () => {
    await owner.setViewportSize({ width: 320, height: 800 });
    await owner.goto(`/processes/${processSlug}/drafts`);
    await owner.getByRole('article', { name: docTitle }).waitFor();
    await fitsWidth(owner, 320);
    await owner.getByRole('article', { name: docTitle }).getByRole('link', { name: `Import a new version of “${docTitle}”` }).click();
    await owner.getByLabel('Paste the text').check();
    await owner.getByLabel('Text', { exact: true }).waitFor();
    await fitsWidth(owner, 320);
  });
});
