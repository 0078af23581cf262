// The Hardening issue, item 1, in the browser: a reader of the demo's past
// plan (whose ledger holds its progress updates) sees that every checkpoint
// verifies against the published keys, finds those keys to pin, and checks
// by keyboard that today's ledger extends the head they kept; a wrong hash
// or an entry beyond the head is said not to. The download and the pinned
// keys then pass docs/ledger.md's Node.js check.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseURL, expectNoAxeViolations, launchBrowser, newPage } from './kit';

const slug = 'larkhaven-action-plan-2025';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a reader who kept a checkpoint', () => {
  it('sees the checkpoints verify against the published keys, and checks a kept head', async () => {
    const head = ((await (await fetch(`${baseURL}/api/v1/processes/${slug}/ledger?limit=1`)).json()) as { head: { seq: number; hash: string } }).head;
    expect(head.seq).toBeGreaterThan(0);
    const published = ((await (await fetch(`${baseURL}/api/v1/ledger/keys`)).json()) as { keys: { key_id: string; status: string }[] }).keys;
    expect(published.map((k) => k.status)).toEqual(['current']);

    const p = await newPage(browser);
    await p.goto(`/processes/${slug}/ledger`);
    const trust = p.getByRole('region', { name: 'Checkpoints and keys' });
    // serve signs a checkpoint of each ledger when it starts, then every 2 s (global-setup.ts).
    await expect
      .poll(
        async () => {
          await p.reload();
          await trust.waitFor();
          return trust.getByText(/verif(y|ies) against the published keys\.$/).count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    const keys = trust.getByRole('group', { name: 'Published signing keys' });
    await keys.getByText(`${published[0].key_id} (current)`).waitFor();
    expect(await keys.getByRole('link', { name: 'Download the keys (JSON)' }).getAttribute('href')).toBe('/api/v1/ledger/keys');

    // By keyboard: an empty form is refused and the focus goes to the entry number.
    const check = trust.getByRole('group', { name: 'Check a kept checkpoint' });
    const status = check.getByRole('status');
    const seq = check.getByLabel('Entry number');
    const hash = check.getByLabel('Hash', { exact: true });
    await check.getByRole('button', { name: 'Check' }).focus();
    await p.keyboard.press('Enter');
    await expect.poll(() => seq.evaluate((e) => e === document.activeElement)).toBe(true);
    await p.keyboard.type(String(head.seq));
    await p.keyboard.press('Tab');
    await expect.poll(() => hash.evaluate((e) => e === document.activeElement)).toBe(true);
    await p.keyboard.type(head.hash);
    await p.keyboard.press('Enter');
    await status.filter({ hasText: `Today's ledger extends it: entry ${head.seq} still has this hash, and the chain verifies up to it.` }).waitFor();
    await expectNoAxeViolations(p);

    await hash.fill('0'.repeat(64));
    await p.keyboard.press('Enter');
    await status.filter({ hasText: `Today's ledger does not extend it: entry ${head.seq} now has another hash` }).waitFor();
    await seq.fill(String(head.seq + 1000));
    await hash.fill(head.hash);
    await p.keyboard.press('Enter');
    await status.filter({ hasText: `there is no entry ${head.seq + 1000}` }).waitFor();
    await expectNoAxeViolations(p);
  });

  it('passes the documented check with the pinned keys', async () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/ledger.md'), 'utf8');
    const script = /<!-- verify-snippet:start -->\n```js\n([\s\S]*?)```\n<!-- verify-snippet:end -->/.exec(doc)![1];
    const dir = mkdtempSync(join(tmpdir(), 'cc-ledger-'));
    writeFileSync(join(dir, 'verify.mjs'), script);
    writeFileSync(join(dir, 'keys.json'), await (await fetch(`${baseURL}/api/v1/ledger/keys`)).text());
    writeFileSync(join(dir, 'ledger.jsonl'), await (await fetch(`${baseURL}/api/v1/processes/${slug}/ledger/export`)).text());
    const out = execFileSync(process.execPath, [join(dir, 'verify.mjs'), join(dir, 'ledger.jsonl'), join(dir, 'keys.json'), join(dir, 'ledger.jsonl')], { encoding: 'utf8' });
    expect(out).toMatch(/^checkpoints [1-9]\d* valid$/m);
    expect(out).toMatch(/^extends the kept copy up to seq \d+$/m);
    expect(out).toMatch(/^ok \d+ [0-9a-f]{64}$/m);
  });
});
