// A plan pasted as plain text out of a PDF: its page furniture is dropped and
// shown to the owner in the preview, and its wide table keeps its columns.
// On a desktop the table scrolls inside its own labelled frame rather than
// squeeze its columns into the text column; on a phone it never widens the
// page. The owner previews and publishes it, and the public reader shows it
// the same way.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFitsPhones, expectNoAxeViolations, launchBrowser, newPage, signIn } from './kit';

const processSlug = 'larkhaven-action-plan-2027';
const ownerEmail = 'owner@larkhaven.example'; // internal/demo/demo.go
const ownerPassword = 'larkhaven demo owner';
const docTitle = `Milestones table ${Date.now()}`;

const long = (s: string) => `${s}, published every quarter with the minutes of the forum and the evidence it relied on`;
const header = ['', 'Lead agency', 'Partner', 'Q1 2027', 'Q2 2027', 'Q3 2027', 'Q4 2027', 'Q1 2028', 'Q2 2028', 'Budget'];
const rows = [
  header,
  ['Open contracting', 'Treasury', 'Open Data Collective', long('Contracts register'), '', long('Payments data'), '', '', long('Audit of the register'), '120,000'],
  ['', '', 'Civic Lab', '', long('Lobbying register'), '', '', long('Meetings data'), '', ''], // empty leading cells
  ['', 'Cabinet Office', '', '', '', '', long('Review of the register'), '', '', '40,000'],
];
const tsv = rows.map((r) => r.join('\t')).join('\n');

// Text as copied out of a three-page PDF: a running header on each page and page numbers.
const plan = `Engagement Plan

1. Milestones

The forum agreed these milestones on 12 March 2027.

Page 1 of 3

Engagement Plan

${tsv}

Page 2 of 3

Engagement Plan

2. Review

The forum reviews the milestones every quarter.

Page 3 of 3
`;

let browser: Browser;
let owner: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  owner = await newPage(browser);
  await signIn(owner, ownerEmail, ownerPassword, 'Larkhaven Open Government Office');
});
afterAll(async () => {
  await browser?.close();
});

/** cellBoxes returns each row's cells (th and td, without the comment margin) as [left, width] pairs. */
function cellBoxes(table: Locator): Promise<[number, number][][]> {
  return table.evaluate((t) =>
    [...t.querySelectorAll('tr')].map((tr) =>
      [...tr.querySelectorAll('th, td:not(.row-margin)')].map((c) => {
        const r = c.getBoundingClientRect();
        return [Math.round(r.left), Math.round(r.width)] as [number, number];
      }),
    ),
  );
}

/**
 * expectColumns checks the table has every row's cells, in place: the same
 * number of cells per row as the header, empty cells kept empty, and each
 * cell level with its header cell.
 */
async function expectColumns(table: Locator) {
  const texts = await table.evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td:not(.row-margin)')].map((c) => c.textContent ?? '')));
  expect(texts).toEqual(rows);
  const boxes = await cellBoxes(table);
  for (const row of boxes.slice(1)) {
    expect(row.map(([left]) => left)).toEqual(boxes[0].map(([left]) => left));
  }
}

/** expectTableFrame checks the table's frame: a focusable region named "Table", which scrolls when the table is wider than the column. */
async function expectTableFrame(p: Page, scope: Locator) {
  const frame = scope.getByRole('region', { name: 'Table' });
  expect(await frame.getAttribute('tabindex')).toBe('0');
  await frame.focus();
  expect(await frame.evaluate((e) => e === document.activeElement)).toBe(true);
  const { client, scroll } = await frame.evaluate((e) => ({ client: e.clientWidth, scroll: e.scrollWidth }));
  // Ten columns with running text do not fit a 40em column: they scroll in the frame, not squeezed to a word each.
  expect(scroll).toBeGreaterThan(client);
  const boxes = await cellBoxes(frame.getByRole('table'));
  expect(Math.min(...boxes.flat().map(([, w]) => w))).toBeGreaterThanOrEqual(90);
  // A column of running text holds a few words a line.
  const prose = rows.flatMap((r, i) => r.map((c, j) => (c.length > 40 ? boxes[i][j][1] : Infinity)));
  expect(Math.min(...prose)).toBeGreaterThanOrEqual(180);
  // The keyboard scrolls it.
  await p.keyboard.press('ArrowRight');
  await expect.poll(() => frame.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
  return frame;
}

describe('a pasted plan with a wide table and page furniture', () => {
  let documentPath = '';

  it('is imported as plain text, and the preview says what was dropped', async () => {
    await owner.setViewportSize({ width: 1280, height: 900 });
    await owner.goto(`/processes/${processSlug}/drafts`);
    await owner.getByLabel('Title').fill(docTitle);
    await owner.getByLabel('Language of the draft').selectOption('en');
    await owner.getByRole('button', { name: 'Create and import its first version' }).click();
    await owner.getByRole('heading', { level: 1, name: `Import a new version of “${docTitle}”` }).waitFor();
    documentPath = new URL(owner.url()).pathname.replace(/\/import$/, '');
    await owner.getByLabel('Paste the text').check();
    await owner.getByLabel('Format of the text').selectOption('text');
    await owner.getByLabel('Text', { exact: true }).fill(plan);
    await owner.getByRole('button', { name: 'Import and preview' }).click();
    await owner.getByRole('heading', { level: 1, name: `Preview of version 1 of “${docTitle}”` }).waitFor();

    const dropped = owner.getByRole('region', { name: 'Dropped 6 lines' });
    expect(await dropped.getByRole('listitem').allTextContents()).toEqual(['Engagement Plan (page header or footer, 3 times)', 'Page 1 of 3 (page number, 3 times)']);
    const outline = owner.getByRole('region', { name: 'Headings' });
    expect(await outline.getByRole('listitem').allTextContents()).toEqual(['1. Milestones', '2. Review']);
  });

  it('shows the table in its columns, in a frame that scrolls on a desktop and fits a phone', async () => {
    const text = owner.getByRole('region', { name: 'The text as readers will see it' });
    expect(await text.getByText(/Engagement Plan|Page \d of 3/).count()).toBe(0);
    await expectColumns(text.getByRole('table'));
    await expectTableFrame(owner, text);
    await expectNoAxeViolations(owner); // and no page scroll at 390 and 320 px
    for (const width of [390, 320]) {
      await owner.setViewportSize({ width, height: 800 });
      await expectColumns(text.getByRole('table'));
    }
  });

  it('is published, and the reader shows the table the same way', async () => {
    await owner.setViewportSize({ width: 1280, height: 900 });
    const publish = owner.getByRole('region', { name: 'Publish' });
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await publish.getByRole('button', { name: 'Yes, publish version 1' }).click();
    await owner.getByRole('heading', { level: 1, name: docTitle, exact: true }).waitFor();
    expect(new URL(owner.url()).pathname).toBe(documentPath);

    const reader = await newPage(browser);
    await reader.setViewportSize({ width: 1280, height: 900 });
    await reader.goto(documentPath);
    await reader.getByRole('heading', { level: 2, name: '1. Milestones' }).waitFor();
    const main = reader.getByRole('main');
    await expectColumns(main.getByRole('table'));
    // Each row has its comment button, after its cells.
    expect(await main.getByRole('table').getByRole('button', { name: '0 comments' }).count()).toBe(rows.length);
    await expectTableFrame(reader, main);
    await expectNoAxeViolations(reader);
    for (const width of [390, 320]) {
      await reader.setViewportSize({ width, height: 800 });
      await expectColumns(main.getByRole('table'));
    }
    await expectFitsPhones(reader);
    await reader.context().close();
  });
});
