import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { cover, entry, forum, process, slug, verification } from './fixtures';
import { LedgerPage } from './LedgerPage';
import type { LedgerVerification } from './queries';

function Address() {
  const l = useLocation();
  return <p data-testid="address">{l.pathname + l.search}</p>;
}

function renderAt(path: string) {
  return renderWithApp(
    <>
      <Routes>
        <Route path="/processes/:slug/ledger" element={<LedgerPage />} />
      </Routes>
      <Address />
    </>,
    path,
  );
}

function backend(v: LedgerVerification = verification()) {
  return router({
    [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
    [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, v),
    [`GET /api/v1/processes/${slug}/ledger`]: (req) => {
      const q = new URL(req.url).searchParams;
      if (q.get('disposition') === 'rejected') return json(200, { items: [entry(2, { disposition: 'rejected' })], next_cursor: null, head: { seq: 3, hash: entry(3).hash }, checkpoint: null });
      if (q.get('cursor') === 'c2') return json(200, { items: [entry(1)], next_cursor: null, head: { seq: 3, hash: entry(3).hash }, checkpoint: null });
      return json(200, { items: [entry(3), entry(2, { dissents: [{ member: 'm-9e1b', seat: 'other', organisation: 'Harbour Residents', note: 'Too slow.' }] })], next_cursor: 'c2', head: { seq: 3, hash: entry(3).hash }, checkpoint: v.checkpoint });
    },
  });
}

describe('LedgerPage', () => {
  const fetchMock = stubNetwork();

  it('announces that the chain verifies, with the signed checkpoint and the export', async () => {
    const { handle } = backend();
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger`);

    const verify = await screen.findByRole('region', { name: 'Verification' });
    const status = within(verify).getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    await waitFor(() => expect(status.textContent).toBe('Verified: 3 entries, the chain is intact.'));
    const checkpoint = within(verify).getByRole('heading', { name: 'Latest signed checkpoint' }).parentElement!;
    expect(within(checkpoint).getByText('Valid')).toBeTruthy();
    expect(within(checkpoint).getByText('ed25519:4f2a')).toBeTruthy();
    // The hash is shortened, the whole of it in the title.
    expect(within(checkpoint).getByTitle(entry(3).hash).textContent).toBe(`${entry(3).hash.slice(0, 12)}…`);
    expect(within(verify).getByRole('link', { name: 'Download the ledger (JSON Lines)' }).getAttribute('href')).toBe(`/api/v1/processes/${slug}/ledger/export`);

    // Entries, newest first, each with its signers, dissents and a link to its response.
    const entries = await screen.findAllByRole('article');
    expect(entries.map((e) => within(e).getByRole('heading', { level: 3 }).textContent)).toEqual(['Entry 3: Adopted', 'Entry 2: Adopted']);
    expect(within(entries[0]).getByRole('link', { name: 'Read the response of entry 3' }).getAttribute('href')).toBe('/responses/103');
    expect(within(entries[0]).getByText('Member m-7f3a · Government · Larkhaven City Council')).toBeTruthy();
    expect(within(entries[0]).getByRole('link', { name: 'Cluster “Publish contracts as open data” (3 contributions)' }).getAttribute('href')).toBe('/clusters/5');
    expect(within(entries[0]).getByRole('link', { name: 'Idea 4' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/4`);
    expect(within(entries[0]).getByText('Open contracting portal', { selector: 'q' })).toBeTruthy();
    // A covered comment links to its paragraph's thread, with the start of its text.
    expect(within(entries[0]).getByRole('link', { name: 'Comment 12' }).getAttribute('href')).toBe('/documents/7#p-k-contracts');
    expect(within(entries[0]).getByText('Every contract, please.', { selector: 'q' })).toBeTruthy();
    // The reasoning reads as rendered, not as Markdown.
    expect(within(entries[0]).getByText('3', { selector: '.entry-reasoning strong' })).toBeTruthy();
    expect(entries[0].textContent).not.toContain('**');
    expect(within(entries[1]).getByText('Too slow.')).toBeTruthy();

    // Load more puts the focus on the first new entry.
    fireEvent.click(screen.getByRole('button', { name: 'Load more entries' }));
    const first = await screen.findByRole('heading', { level: 3, name: 'Entry 1: Adopted' });
    await waitFor(() => expect(document.activeElement).toBe(first));
    expect(screen.queryByRole('button', { name: 'Load more entries' })).toBeNull();
  });

  it('names a covered contribution the public may no longer read, without its text or a link', async () => {
    const hidden = entry(3, {}, {
      reasoning_html: '<p>Reasoning.</p>',
      covers: [
        cover({ kind: 'comment', id: 12, visible: false }),
        cover({ kind: 'idea', id: 4, label: 'Open contracting portal', excerpt: 'Open contracting portal' }),
      ],
    });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
      [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, verification()),
      [`GET /api/v1/processes/${slug}/ledger`]: () => json(200, { items: [hidden], next_cursor: null, head: { seq: 3, hash: hidden.hash }, checkpoint: null }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger`);
    const article = (await screen.findByRole('heading', { level: 3, name: 'Entry 3: Adopted' })).closest('article')!;
    const item = within(article).getByText('Comment 12').closest('li')!;
    expect(item.textContent).toBe('Comment 12');
    expect(within(item).queryByRole('link')).toBeNull();
    expect(within(article).getByRole('link', { name: 'Idea 4' })).toBeTruthy();
  });

  it('says where the chain breaks, in French too', async () => {
    const { handle } = backend(verification({ ok: false, first_broken_seq: 2, problem: 'hash mismatch', checkpoint_valid: false }));
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger`);
    const status = within(await screen.findByRole('region', { name: 'Verification' })).getByRole('status');
    await waitFor(() => expect(status.textContent).toBe('Broken at entry 2: hash mismatch'));
    expect(screen.getByText('Not valid')).toBeTruthy();
    await i18n.changeLanguage('fr');
    await waitFor(() => expect(status.textContent).toBe("Rompu à l'entrée 2 : hash mismatch"));
  });

  it('filters by disposition, kept in the address', async () => {
    const { handle, seen } = backend();
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger`);
    await screen.findByRole('heading', { level: 3, name: 'Entry 3: Adopted' });

    fireEvent.change(screen.getByRole('combobox', { name: 'Disposition' }), { target: { value: 'rejected' } });
    await screen.findByRole('heading', { level: 3, name: 'Entry 2: Rejected' });
    expect(screen.queryByRole('heading', { level: 3, name: 'Entry 3: Adopted' })).toBeNull();
    expect(screen.getByTestId('address').textContent).toBe(`/processes/${slug}/ledger?disposition=rejected`);
    expect(seen.some((r) => r.path === `/api/v1/processes/${slug}/ledger?disposition=rejected&limit=20`)).toBe(true);
  });

  it('reads the filter from the address', async () => {
    const { handle } = backend();
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger?disposition=rejected`);
    await screen.findByRole('heading', { level: 3, name: 'Entry 2: Rejected' });
    expect((screen.getByRole('combobox', { name: 'Disposition' }) as HTMLSelectElement).value).toBe('rejected');
  });

  it("shows a commitment's progress update in the same chain, and filters the entries by kind", async () => {
    const progress = {
      seq: 4,
      prev_hash: `03${'f'.repeat(62)}`,
      hash: `04${'f'.repeat(62)}`,
      fields: {
        v: 1, kind: 'progress_update' as const, process: slug, recorded_at: '2027-04-05T09:00:00Z', commitment: 2, commitment_title: 'Open data portal',
        lead_institution: 'Digital Services Unit', update: 31, update_kind: 'joint' as const, progress: 'The portal is **online**.',
        milestones: [{ milestone: 7, title: 'Portal online', due_on: '2027-04-01', state: 'completed' as const, completed_on: '2027-03-30' }],
        delay_reasons: 'The supplier was *late*.', next_steps: '**Monthly** updates.', evidence: ['https://larkhaven.example/data'],
        signers: [{ member: 'm-7f3a', seat: 'government' as const, organisation: 'Larkhaven City Council' }], dissents: [], supersedes: null, correction_reason: null,
      },
      rendered: {
        progress_html: '<p>The portal is <strong>online</strong>.</p>',
        delay_reasons_html: '<p>The supplier was <em>late</em>.</p>',
        next_steps_html: '<p><strong>Monthly</strong> updates.</p>',
      },
    };
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
      [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, verification()),
      [`GET /api/v1/processes/${slug}/ledger`]: () => json(200, { items: [progress], next_cursor: null, head: { seq: 4, hash: progress.hash }, checkpoint: null }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger`);
    const title = await screen.findByRole('heading', { level: 3, name: 'Entry 4: progress update on “Open data portal”' });
    const article = title.closest('article')!;
    expect(within(article).getByRole('link', { name: 'Read the update of entry 4' }).getAttribute('href')).toBe('/progress-updates/31');
    expect(within(article).getByText('Portal online: Completed (2027-03-30)')).toBeTruthy();
    expect(within(article).getByText('Member m-7f3a · Government · Larkhaven City Council')).toBeTruthy();
    // Progress, delay reasons and next steps read as rendered, not as Markdown.
    expect(within(article).getByText('online', { selector: 'strong' })).toBeTruthy();
    expect(within(article).getByText('late', { selector: 'em' })).toBeTruthy();
    expect(within(article).getByText('Monthly', { selector: 'strong' })).toBeTruthy();
    expect(article.textContent).not.toMatch(/\*/);

    fireEvent.change(screen.getByRole('combobox', { name: 'Kind of entry' }), { target: { value: 'progress_update' } });
    await waitFor(() => expect(screen.getByTestId('address').textContent).toBe(`/processes/${slug}/ledger?kind=progress_update`));
    await waitFor(() => expect(seen.some((r) => r.path === `/api/v1/processes/${slug}/ledger?kind=progress_update&limit=20`)).toBe(true));
    expect((screen.getByRole('combobox', { name: 'Disposition' }) as HTMLSelectElement).disabled).toBe(true);
  });
  it('shows a close-out report entry with the hash of its content and a link to the report', async () => {
    const rep = {
      seq: 5,
      prev_hash: `04${'f'.repeat(62)}`,
      hash: `05${'f'.repeat(62)}`,
      fields: { v: 1, kind: 'report' as const, process: slug, recorded_at: '2027-06-01T09:00:00Z', report: 2, phase: null, content_sha256: 'ab'.repeat(32), supersedes: 1 },
      rendered: null,
    };
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
      [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, verification()),
      [`GET /api/v1/processes/${slug}/ledger`]: () => json(200, { items: [rep], next_cursor: null, head: { seq: 5, hash: rep.hash }, checkpoint: null }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ledger?kind=report`);
    const title = await screen.findByRole('heading', { level: 3, name: 'Entry 5: close-out report 2 published' });
    const article = title.closest('article')!;
    expect(within(article).getByRole('link', { name: 'Read report 2' }).getAttribute('href')).toBe(`/processes/${slug}/reports/2`);
    expect(within(article).getByText('It supersedes report 1.')).toBeTruthy();
    expect(article.textContent).toContain("SHA-256 of the report's content");
    expect((screen.getByRole('combobox', { name: 'Kind of entry' }) as HTMLSelectElement).value).toBe('report');
  });
});
