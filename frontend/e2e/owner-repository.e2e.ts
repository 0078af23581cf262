// The repository in the browser: the demo owner uploads the minutes of a
// forum meeting; an anonymous visitor finds them in the list and downloads
// them, on a desktop and on a phone.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, newPage, signedInPage } from './kit';

const slug = 'larkhaven-action-plan-2027';
const ownerEmail = 'owner@larkhaven.example'; // internal/demo: OwnerEmail
const ownerPassword = 'larkhaven demo owner';
const title = 'Minutes of the multi-stakeholder forum, 3 May 2027';

/** minutesPDF is a small, valid PDF made here: one page that says what it is. */
function minutesPDF(): Buffer {
  const text = 'BT /F1 18 Tf 72 720 Td (Minutes of the forum, 3 May 2027) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** fitsWidth checks that nothing makes the page scroll sideways. */
async function fitsWidth(p: Page, width: number) {
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the repository', () => {
  const pdf = minutesPDF();

  it('takes the minutes the owner uploads, and refuses a file that is not what it claims', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.goto(`/processes/${slug}`);
    const section = owner.getByRole('region', { name: 'Documents' });
    await section.waitFor();
    await section.getByRole('link', { name: 'All documents of this process' }).click();
    await owner.getByRole('heading', { level: 1, name: 'Documents of this process' }).waitFor();
    await owner.getByRole('heading', { name: 'Add a document' }).waitFor();
    await expectNoAxeViolations(owner);

    // A web page renamed .pdf is refused; what was typed stays.
    await owner.getByLabel('File', { exact: true }).setInputFiles({ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>') });
    await owner.getByRole('combobox', { name: 'Kind of document' }).selectOption('minutes');
    await owner.getByLabel('Title').fill(title);
    await owner.getByLabel('Date of the document').fill('2027-05-03');
    await owner.getByRole('button', { name: 'Upload the document' }).click();
    await owner.getByText('This kind of file is not accepted here.', { exact: true }).first().waitFor();
    expect(await owner.getByLabel('Title').inputValue()).toBe(title);
    expect(await owner.getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(owner);

    // The real minutes.
    await owner.getByLabel('File', { exact: true }).setInputFiles({ name: 'forum-minutes-2027-05-03.pdf', mimeType: 'application/pdf', buffer: pdf });
    await owner.getByRole('button', { name: 'Upload the document' }).click();
    await owner.getByText(`“${title}” was added to the repository.`).waitFor();
    await owner.getByRole('link', { name: new RegExp(`^Download ${title} \\(PDF, `) }).waitFor();
    expect(await owner.getByLabel('Title').inputValue()).toBe('');
    await owner.context().close();
  });

  it('lets anyone find the minutes and download them, also on a phone', async () => {
    const visitor = await newPage(browser);
    await visitor.goto(`/processes/${slug}/repository`);
    const link = visitor.getByRole('link', { name: new RegExp(`^Download ${title} \\(PDF, `) });
    await link.waitFor();
    await visitor.locator('.repository-card .theme-tag', { hasText: 'Meeting minutes' }).first().waitFor();
    await visitor.getByText('May 3, 2027').first().waitFor();
    expect(await visitor.getByRole('heading', { name: 'Add a document' }).count()).toBe(0);
    await expectNoAxeViolations(visitor);

    // The download is the uploaded file, byte for byte.
    const [download] = await Promise.all([visitor.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('forum-minutes-2027-05-03.pdf');
    const path = await download.path();
    expect(Buffer.compare(await readFile(path), pdf)).toBe(0);

    // The same file as the server sends it: an attachment never sniffed.
    const href = await link.getAttribute('href');
    const res = await visitor.request.get(href ?? '');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['content-disposition']).toContain("attachment; filename=\"forum-minutes-2027-05-03.pdf\"; filename*=UTF-8''forum-minutes-2027-05-03.pdf");

    // Filtered by kind, and the open data names the file.
    await visitor.getByRole('combobox', { name: 'Filter by kind' }).selectOption('evidence');
    await visitor.getByText('No documents of this kind.').waitFor();
    await visitor.getByRole('combobox', { name: 'Filter by kind' }).selectOption('minutes');
    await link.waitFor();
    const exported = await visitor.request.get(`/api/v1/processes/${slug}/repository/export?format=csv`);
    expect(await exported.text()).toContain('forum-minutes-2027-05-03.pdf');
    expect(await exported.text()).not.toContain(ownerEmail);

    // On a phone.
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.reload();
    await link.waitFor();
    await fitsWidth(visitor, 390);
    await expectNoAxeViolations(visitor);
    await visitor.context().close();
  });

  it('works for the owner on a phone, and the owner can delete a document after confirming', async () => {
    const owner = await signedInPage(browser, ownerEmail, ownerPassword);
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.goto(`/processes/${slug}/repository`);
    await owner.getByRole('heading', { name: 'Add a document' }).waitFor();
    await fitsWidth(owner, 390);
    await expectNoAxeViolations(owner);

    // A link to a document kept elsewhere, then its deletion.
    await owner.getByRole('radio', { name: 'A link to a document published elsewhere' }).check();
    await owner.getByRole('textbox', { name: 'Address of the document' }).fill('javascript:alert(1)');
    await owner.getByRole('combobox', { name: 'Kind of document' }).selectOption('review_report');
    await owner.getByLabel('Title').fill('Independent review of the 2025 plan');
    await owner.getByRole('button', { name: 'Add the link' }).click();
    await owner.getByText('Address of the document: Enter a web address that starts with https:// or http://.').waitFor();
    await owner.getByRole('textbox', { name: 'Address of the document' }).fill('https://review.example.org/larkhaven-2025.pdf');
    await owner.getByRole('button', { name: 'Add the link' }).click();
    await owner.getByText('“Independent review of the 2025 plan” was added to the repository.').waitFor();
    await fitsWidth(owner, 390);

    await owner.getByRole('button', { name: 'Delete Independent review of the 2025 plan' }).click();
    await owner.getByText('Delete “Independent review of the 2025 plan” from the repository?', { exact: false }).waitFor();
    await expectNoAxeViolations(owner);
    await owner.getByRole('button', { name: 'Delete the document' }).click();
    await owner.getByText('“Independent review of the 2025 plan” was deleted.').waitFor();
    expect(await owner.getByRole('link', { name: /Independent review of the 2025 plan/ }).count()).toBe(0);
    // The minutes are still there.
    await owner.getByRole('link', { name: new RegExp(`^Download ${title} \\(PDF, `) }).waitFor();
    await owner.context().close();
  });
});
