import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from './kit';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the reader on a wide screen', () => {
  // Issue 15, item 12: the thread panel opens beside the paragraph it belongs
  // to, not pinned at the top of the page beside other text.
  it('opens a paragraph’s thread level with the paragraph', async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/processes/larkhaven-action-plan-2027');
    await page.getByRole('region', { name: 'Drafts' }).getByRole('link').first().click();
    await page.locator('.block').nth(12).waitFor();
    const para = page.locator('.block').nth(12);
    await para.scrollIntoViewIfNeeded();
    await para.getByRole('button', { name: /comment/ }).first().click();
    const panel = page.getByRole('region', { name: 'Comments on this paragraph' });
    await panel.waitFor();
    await page.waitForTimeout(100);
    const p = await para.boundingBox();
    const a = await panel.boundingBox();
    expect(p && a).toBeTruthy();
    // The panel starts level with its paragraph (within a line), not far above it.
    expect(Math.abs(a!.y - p!.y)).toBeLessThan(40);
  });
});
