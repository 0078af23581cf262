import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { forum, process, slug } from './fixtures';
import { ForumPage } from './ForumPage';
import type { Forum } from './queries';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/forum" element={<ForumPage />} />
    </Routes>,
    path,
  );
}

describe('ForumPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows the members, the balance of seats and the signing rule, to anyone', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum`);

    expect(await screen.findByText('A response is published once at least one government member and one civil-society member have signed it.')).toBeTruthy();
    expect(screen.getByText('The forum aims to answer each contribution within 30 days of the close of its phase.')).toBeTruthy();
    const seats = screen.getByRole('region', { name: 'Balance of seats' });
    expect(within(seats).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Government: 1 member', 'Civil society: 1 member', 'Other: 0 members']);
    const members = within(screen.getByRole('region', { name: 'Members' })).getByRole('table');
    expect(within(members).getByRole('row', { name: 'Cai Morgan Civil society Open Larkhaven Coalition m-2c9d' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Forum workspace' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Forum settings' })).toBeNull();
  });

  it("lets the process's owners change the signing rule and the target", async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let stored: Forum = forum({ viewer: { member: false, member_ref: null, seat: null, manage: true } });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, stored),
      [`PUT /api/v1/processes/${slug}/forum/settings`]: async (req) => {
        const body = (await req.json()) as { signing_rule: 'single' | 'joint'; target_days: number };
        if (body.target_days > 365) return json(422, { error: { code: 'forum.invalid', message: 'x', fields: [{ field: 'target_days', code: 'max', message: 'x' }] } });
        stored = { ...stored, ...body };
        return json(200, stored);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum`);

    const settings = await screen.findByRole('region', { name: 'Forum settings' });
    expect(screen.getByRole('link', { name: 'Forum workspace' })).toBeTruthy();
    fireEvent.click(within(settings).getByRole('radio', { name: 'Single: one signature' }));
    const target = within(settings).getByRole('spinbutton', { name: 'Response target (days)' });
    fireEvent.change(target, { target: { value: '14' } });
    fireEvent.click(within(settings).getByRole('button', { name: 'Save settings' }));
    await within(settings).findByText('Saved.');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({ signing_rule: 'single', target_days: 14 });
    await screen.findByText('A response is published as soon as one member of the forum signs it.', { selector: 'section > p' });
    expect(screen.getByText('The forum aims to answer each contribution within 14 days of the close of its phase.')).toBeTruthy();

    // A target out of range is refused before it is sent.
    fireEvent.change(target, { target: { value: '400' } });
    fireEvent.click(within(settings).getByRole('button', { name: 'Save settings' }));
    await within(settings).findByText('Enter a whole number in the range given.');
    await waitFor(() => expect(target.getAttribute('aria-invalid')).toBe('true'));
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});
