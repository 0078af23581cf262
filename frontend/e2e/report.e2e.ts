// Issue 19 in the browser: the demo's ended process received comments in its
// public-comment phase. Its owner, from "Running this process", previews the
// close-out report, quotes a resident, and publishes it; a visitor reads it
// from the process page, prints it (print media: no navigation, charts
// visible), and downloads its CSV; the owner also reads the team's live
// analytics; every page passes axe and fits 320 px.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, expectNoAxeViolations, launchBrowser, newPage, signedInPage } from './kit';

const slug = 'larkhaven-action-plan-2025';
const ownerEmail = 'owner@larkhaven.example';
const ownerPassword = 'larkhaven demo owner';
const quoted = 'Monthly, and with the name of each supplier.';

let browser: Browser;
let number = 0;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the close-out report', () => {
  it('an owner previews the report of the ended process and publishes it', async () => {
    const page = ((await (await fetch(`${baseURL}/api/v1/processes/${slug}/forum/unanswered?limit=50`)).json()) as { items: { kind: string; id: number; excerpt: string }[] });
    const resident = page.items.find((c) => c.excerpt === quoted);
    expect(resident).toBeTruthy();
    const before = ((await (await fetch(`${baseURL}/api/v1/processes/${slug}/reports`)).json()) as { reports: { number: number }[] }).reports;

    const p = await signedInPage(browser, ownerEmail, ownerPassword);
    await p.goto(`/processes/${slug}`);
    const running = p.getByRole('region', { name: 'Running this process' });
    await running.getByRole('link', { name: 'Prepare and publish the close-out report' }).click();
    await p.getByRole('heading', { level: 1, name: 'Prepare the close-out report' }).waitFor();
    await expectNoAxeViolations(p);

    // A hidden or foreign contribution is refused by name; then the resident's is quoted.
    await p.getByLabel(/Representative contributions to quote/).fill('comment:999999');
    await p.getByRole('button', { name: 'Preview the report' }).click();
    await p.getByRole('alert').filter({ hasText: 'representative[0] is not a public contribution of this process.' }).waitFor();
    await p.getByLabel(/Representative contributions to quote/).fill(`comment:${resident!.id}`);
    await p.getByRole('button', { name: 'Preview the report' }).click();
    const preview = p.getByRole('region', { name: 'Preview' });
    await preview.getByRole('heading', { level: 2, name: 'You said' }).waitFor();
    await preview.getByText(quoted).waitFor();
    await preview.getByRole('table', { name: 'Comments and ideas by channel' }).getByRole('row', { name: 'Comments, on paper fewer than 5' }).waitFor();
    // Feedback on the process: the ended phase's survey has too few answers to count.
    await preview.getByRole('heading', { level: 2, name: 'Feedback on the process' }).waitFor();
    await preview.getByText(/^Fewer than 5 people answered between/).first().waitFor();
    await expectNoAxeViolations(p);

    await p.getByRole('button', { name: 'Publish this report' }).click();
    const done = p.getByRole('status').filter({ hasText: /Report \d+ is published\./ });
    await done.waitFor();
    number = Number((await done.textContent())!.match(/Report (\d+)/)![1]);
    expect(number).toBe((before[0]?.number ?? 0) + 1);

    const verify = (await (await fetch(`${baseURL}/api/v1/processes/${slug}/ledger/verify`)).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);

    // The team's live analytics, from the same region.
    await p.goto(`/processes/${slug}`);
    await p.getByRole('region', { name: 'Running this process' }).getByRole('link', { name: 'Participation analytics' }).click();
    await p.getByRole('heading', { level: 1, name: 'Participation analytics' }).waitFor();
    await p.getByRole('table', { name: 'New and returning participants, per week' }).waitFor();
    await expectNoAxeViolations(p);
    await p.context().close();
  });

  it('a visitor reads it from the process page, prints it and downloads its CSV', async () => {
    const p = await newPage(browser);
    await p.goto(`/processes/${slug}`);
    await p.getByRole('region', { name: 'Close-out report' }).getByRole('link', { name: 'Read the close-out report' }).click();
    await p.getByRole('heading', { level: 1, name: /Close-out report/ }).waitFor();
    await p.getByText(`Report ${number}, published on`, { exact: false }).waitFor();
    await p.getByText(quoted).waitFor();
    await p.getByRole('heading', { level: 2, name: 'Feedback on the process' }).waitFor();
    const chart = p.getByRole('img', { name: /Comments and ideas by channel/ });
    await chart.waitFor();
    expect(await chart.evaluate((e) => e.querySelector('title')?.textContent)).toBe('Comments and ideas by channel');
    await expectNoAxeViolations(p);

    // The printed page: no navigation, the charts and their tables in place.
    expect(await p.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    await p.emulateMedia({ media: 'print' });
    expect(await p.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await p.locator('.site-header').isVisible()).toBe(false);
    expect(await p.getByRole('link', { name: 'Download the figures (CSV)' }).isVisible()).toBe(false);
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box && box.width > 100 && box.height > 20).toBe(true);
    expect(await p.getByRole('table', { name: 'Comments and ideas by channel' }).isVisible()).toBe(true);
    await p.emulateMedia({ media: 'screen' });

    const download = p.waitForEvent('download');
    await p.getByRole('link', { name: 'Download the figures (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${slug}-report-${number}.csv`);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.startsWith('section,figure,group,value\n')).toBe(true);
    // The file says what the published report says (other journeys may comment
    // on the process's progress updates before this one runs).
    const { report: published } = (await (await fetch(`${baseURL}/api/v1/processes/${slug}/reports/${number}`)).json()) as {
      report: { you_said: { contributions: { comments: number; offline: number } } };
    };
    expect(published.you_said.contributions.comments).toBeGreaterThanOrEqual(9);
    expect(csv).toContain(`you_said,contributions,comments,${published.you_said.contributions.comments}\n`);
    expect(csv).toContain(`you_said,contributions,offline,${published.you_said.contributions.offline}\n`);
    expect(csv).toContain('you_said,comments_by_channel,paper,fewer than 5\n');
    expect(csv).toMatch(/^feedback,answers,[a-z_]+,fewer than 5$/m);
    await p.context().close();
  });
});
