import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { commitment, noViewer, update } from './fixtures';
import type { ProgressUpdate } from './queries';
import { UpdatePage } from './UpdatePage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/progress-updates/:id" element={<UpdatePage />} />
    </Routes>,
    path,
  );
}

const forumMember = { ...noViewer, write: true, sign: true, answer: true, answer_as: 'forum' as const };

describe('UpdatePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lets a forum member sign a joint draft, says which seat is still needed, and shows the publication after the second signature', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let current: ProgressUpdate = update({ id: 5, viewer: forumMember });
    const signed = (n: number): ProgressUpdate =>
      n === 1
        ? { ...current, signatures: [{ kind: 'sign', member_ref: 'm-7f3a', name: 'Gwen Harper', seat: 'government', organisation: 'City', note: null, signed_at: '2027-03-12T09:00:00Z' }], missing_seats: ['civil_society'] }
        : { ...current, state: 'published', published_at: '2027-03-12T10:00:00Z', ledger: { seq: 4, hash: 'a'.repeat(64) }, missing_seats: [],
            signatures: current.signatures.map((s) => ({ ...s, name: null, signed_at: null })) };
    let signatures = 0;
    const { handle, seen } = router({
      'GET /api/v1/progress-updates/5': () => json(200, current),
      'GET /api/v1/commitments/2': () => json(200, commitment({ viewer: forumMember })),
      'GET /api/v1/progress-updates/5/comments': () => json(200, { items: [], next_cursor: null }),
      'GET /api/v1/progress-updates/5/my-votes': () => json(200, { votes: {} }),
      'POST /api/v1/progress-updates/5/sign': () => {
        current = signed(++signatures);
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt('/progress-updates/5');

    expect(await screen.findByRole('heading', { level: 1, name: 'Progress update on “Beneficial-ownership register”' })).toBeTruthy();
    const sigs = screen.getByRole('region', { name: 'Signatures' });
    expect(within(sigs).getByText('Published once a government member and a civil-society member of the forum sign.')).toBeTruthy();
    expect(within(sigs).getByText('Still needs a signature from: Government, Civil society.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Publish the update' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Sign this update' }));
    await waitFor(() => expect(screen.getByText('Your signature is recorded. Still needed: Civil society.')).toBeTruthy());
    expect(seen.find((r) => r.method === 'POST')!.body).toEqual({ revision: 1 });
    expect(within(screen.getByRole('region', { name: 'Signatures' })).getByText(/Gwen Harper/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Sign this update' }));
    await waitFor(() => expect(screen.getByText('The update is published and recorded in the ledger.')).toBeTruthy());
    await waitFor(() => expect(screen.getByRole('link', { name: 'Entry 4 of the public ledger' })).toBeTruthy());
    expect(screen.getByRole('region', { name: 'Comments on this update' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign this update' })).toBeNull();
  });

  it('shows a refusal in words and reloads a draft that changed meanwhile', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let reads = 0;
    const { handle } = router({
      'GET /api/v1/progress-updates/6': () => json(200, update({ id: 6, kind: 'government', signing_rule: null, missing_seats: [], revision: ++reads, viewer: { ...forumMember, sign: false, publish_government: true } })),
      'GET /api/v1/commitments/2': () => json(200, commitment()),
      'POST /api/v1/progress-updates/6/publish': () => json(409, { error: { code: 'commitment.stale', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/progress-updates/6');
    fireEvent.click(await screen.findByRole('button', { name: 'Publish the update' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This was changed elsewhere since you opened it. It has been reloaded: read it again before saving.');
    await waitFor(() => expect(reads).toBe(2));
  });

  it('is not found when the draft is not the reader\'s', async () => {
    const { handle } = router({ 'GET /api/v1/progress-updates/7': () => json(404, { error: { code: 'commitment.update_not_found', message: 'x' } }) });
    fetchMock.mockImplementation(handle);
    renderAt('/progress-updates/7');
    expect(await screen.findByRole('heading', { level: 1, name: 'Progress update not found' })).toBeTruthy();
  });
});
