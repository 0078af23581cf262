import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { entry, slug, verification } from './fixtures';
import type { LedgerConsistency, LedgerKey } from './ledgerTrust';
import { LedgerTrust } from './LedgerTrust';
import type { LedgerVerification } from './queries';

const keys: LedgerKey[] = [
  { key_id: '3f9c0a1b2c3d4e5f', algorithm: 'Ed25519', public_key: 'dvJXihftOAFS+5b8BohdwE+wKLqtXuZRPghjiwKqASM=', valid_from: '2027-01-01T00:00:00Z', valid_until: null, status: 'current' },
  { key_id: 'a1b2c3d4e5f60718', algorithm: 'Ed25519', public_key: '4t7L9ocGmSZEq7usH3I2iAEjfYHbgIIv4sXYMTBnA2o=', valid_from: null, valid_until: '2027-01-01T00:00:00Z', status: 'retired' },
];

function answer(over: Partial<LedgerConsistency>): LedgerConsistency {
  return {
    process: slug, seq: 3, hash: entry(3).hash, extends: true, reason: 'extends', recorded_hash: entry(3).hash,
    head_seq: 3, head_hash: entry(3).hash, first_broken_seq: null, problem: null, checked_at: '2027-04-04T10:00:00Z', ...over,
  };
}

function backend(v: LedgerVerification = verification(), consistency = answer({})) {
  return router({
    [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, v),
    ['GET /api/v1/ledger/keys']: () => json(200, { keys }),
    [`GET /api/v1/processes/${slug}/ledger/consistency`]: () => json(200, consistency),
  });
}

describe('LedgerTrust', () => {
  const fetchMock = stubNetwork();

  it('lists the published keys to pin, with their validity and a download', async () => {
    const { handle } = backend();
    fetchMock.mockImplementation(handle);
    renderWithApp(<LedgerTrust slug={slug} />);

    const section = screen.getByRole('region', { name: 'Checkpoints and keys' });
    await within(section).findByText('The signed checkpoint verifies against the published keys.');
    const group = within(section).getByRole('group', { name: 'Published signing keys' });
    expect(within(group).getByRole('link', { name: 'Download the keys (JSON)' }).getAttribute('href')).toBe('/api/v1/ledger/keys');
    const items = await within(group).findAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('3f9c0a1b2c3d4e5f (current)');
    expect(items[0].textContent).toContain('still in use');
    expect(items[1].textContent).toContain('a1b2c3d4e5f60718 (retired)');
    expect(items[1].textContent).toContain('the beginning');
    expect(within(items[1]).getByText(keys[1].public_key)).toBeTruthy();
  });

  it('names each failed checkpoint and why, in French too', async () => {
    const { handle } = backend(
      verification({
        ok: false, problem: 'x', checkpoint_valid: false, checkpoints: 30, checkpoints_failed: 22,
        checkpoint_problems: [
          { seq: 6, key_id: 'a1b2c3d4e5f60718', reason: 'hash_mismatch', problem: 'x' },
          { seq: 7, key_id: 'dfaea4a5b57615b1', reason: 'unknown_key', problem: 'x' },
        ],
      }),
    );
    fetchMock.mockImplementation(handle);
    renderWithApp(<LedgerTrust slug={slug} />);
    await screen.findByText('22 of 30 signed checkpoints fail against the published keys:');
    expect(screen.getByText('Checkpoint at entry 6 (key a1b2c3d4e5f60718): that entry has another hash now: the ledger was rewritten after it was signed.')).toBeTruthy();
    expect(screen.getByText('Checkpoint at entry 7 (key dfaea4a5b57615b1): signed by a key that is not published.')).toBeTruthy();
    expect(screen.getByText('And 20 more.')).toBeTruthy();
    await i18n.changeLanguage('fr');
    await screen.findByText('Point de contrôle de l’entrée 7 (clé dfaea4a5b57615b1) : signé par une clé qui n’est pas publiée.');
  });

  it('checks a kept seq and hash, refusing bad input first', async () => {
    const { handle, seen } = backend();
    fetchMock.mockImplementation(handle);
    renderWithApp(<LedgerTrust slug={slug} />);
    const group = screen.getByRole('group', { name: 'Check a kept checkpoint' });
    const status = within(group).getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    const seqField = within(group).getByRole('spinbutton', { name: 'Entry number' });
    const hashField = within(group).getByRole('textbox', { name: 'Hash' });

    fireEvent.click(within(group).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(document.activeElement).toBe(seqField));
    expect(seqField.getAttribute('aria-invalid')).toBe('true');
    expect(within(group).getByText('Enter 64 hexadecimal digits (0–9, a–f).')).toBeTruthy();
    fireEvent.change(seqField, { target: { value: '3' } });
    fireEvent.change(hashField, { target: { value: 'abc' } });
    fireEvent.click(within(group).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(document.activeElement).toBe(hashField));
    expect(seen.some((r) => r.path.includes('/consistency'))).toBe(false);

    fireEvent.change(hashField, { target: { value: entry(3).hash.toUpperCase() } });
    fireEvent.click(within(group).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(status.textContent).toBe("Today's ledger extends it: entry 3 still has this hash, and the chain verifies up to it."));
    expect(status.className).toBe('verify-ok');
    expect(seen.filter((r) => r.path.includes('/consistency')).map((r) => r.path)).toEqual([
      `/api/v1/processes/${slug}/ledger/consistency?seq=3&hash=${entry(3).hash}`,
    ]);
  });

  it('says the ledger was rewritten, from a pasted checkpoint line', async () => {
    const other = 'f'.repeat(64);
    const { handle, seen } = backend(verification(), answer({ seq: 2, hash: entry(2).hash, extends: false, reason: 'different_hash', recorded_hash: other }));
    fetchMock.mockImplementation(handle);
    renderWithApp(<LedgerTrust slug={slug} />);
    const group = screen.getByRole('group', { name: 'Check a kept checkpoint' });
    const line = JSON.stringify({ checkpoint: { process: slug, seq: 2, hash: entry(2).hash, signed_at: '2027-04-03T10:00:00Z', key_id: 'k', public_key: 'p', signature: 's' } });
    fireEvent.change(within(group).getByRole('textbox', { name: 'Hash' }), { target: { value: line } });
    expect((within(group).getByRole('spinbutton', { name: 'Entry number' }) as HTMLInputElement).value).toBe('2');
    expect((within(group).getByRole('textbox', { name: 'Hash' }) as HTMLInputElement).value).toBe(entry(2).hash);
    fireEvent.click(within(group).getByRole('button', { name: 'Check' }));
    const status = within(group).getByRole('status');
    await waitFor(() => expect(status.textContent).toBe("Today's ledger does not extend it: entry 2 now has another hash (ffffffffffff…). The ledger was rewritten."));
    expect(status.className).toBe('verify-broken');
    expect(seen.some((r) => r.path === `/api/v1/processes/${slug}/ledger/consistency?seq=2&hash=${entry(2).hash}`)).toBe(true);
  });
});
