import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import type { PersonFound, RoleHolder } from './queries';
import { RolesPage } from './RolesPage';

const slug = process.slug;

function renderPage() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/roles" element={<RolesPage />} />
    </Routes>,
    `/processes/${slug}/roles`,
  );
}

function signIn(admin = false) {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin } });
}

const holders: RoleHolder[] = [
  { user_id: 1, name: 'Larkhaven Open Government Office', role: 'owner', seat: null, organisation: null, granted_at: '2027-01-05T10:00:00Z', granted_by: null },
  { user_id: 8, name: 'Cai Morgan', role: 'forum_member', seat: 'civil_society', organisation: 'Open Larkhaven Coalition', granted_at: '2027-02-01T10:00:00Z', granted_by: { id: 1, name: 'Larkhaven Open Government Office' } },
];
const mina: PersonFound = { user_id: 12, name: 'Mina Okafor', roles: [] };

describe('RolesPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lists who holds which role, with who named them and when', async () => {
    signIn();
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: holders }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    const list = await screen.findByRole('region', { name: 'Who holds which role' });
    const forum = within(list).getByRole('region', { name: 'Forum members' });
    expect(forum.textContent).toContain('Cai Morgan');
    expect(forum.textContent).toContain('Civil society, Open Larkhaven Coalition');
    expect(forum.textContent).toContain('Since February 1, 2027, named by Larkhaven Open Government Office');
    expect(within(list).getByRole('region', { name: 'Moderators' }).textContent).toContain('Nobody yet.');
    // An owner cannot remove owners: only administrators name and remove them.
    expect(within(list).queryByRole('button', { name: 'Remove Larkhaven Open Government Office as owner' })).toBeNull();
    expect(within(list).getByRole('button', { name: 'Remove Cai Morgan as forum member' })).toBeTruthy();
  });

  it('finds a person by address, refuses a forum seat left empty, then grants the role', async () => {
    signIn();
    let granted = false;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () =>
        json(200, { items: granted ? [...holders, { ...holders[1], user_id: 12, name: 'Mina Okafor', seat: 'government', organisation: 'City Hall' }] : holders }),
      [`GET /api/v1/processes/${slug}/people`]: () => json(200, { items: [mina], next_cursor: null, match: 'email' }),
      [`PUT /api/v1/processes/${slug}/roles/12/forum_member`]: () => {
        granted = true;
        return json(200, { ...holders[1], user_id: 12, name: 'Mina Okafor', seat: 'government', organisation: 'City Hall' });
      },
    });
    fetchMock.mockImplementation(handle);
    renderPage();

    // Too short a text is caught before asking.
    const search = await screen.findByRole('searchbox', { name: 'E-mail address or name' });
    fireEvent.change(search, { target: { value: 'm' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(search.getAttribute('aria-invalid')).toBe('true'));
    expect(seen.some((r) => r.path.includes('/people'))).toBe(false);

    fireEvent.change(search, { target: { value: ' mina@example.org ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const choose = await screen.findByRole('button', { name: 'Give Mina Okafor a role' });
    expect(screen.getByText('The account with this address:')).toBeTruthy();
    const lookup = seen.find((r) => r.path.includes('/people'))!;
    expect(new URL(`http://x${lookup.path}`).searchParams.get('q')).toBe('mina@example.org');
    fireEvent.click(choose);

    const form = await screen.findByRole('region', { name: 'Give Mina Okafor a role' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Give Mina Okafor a role'));
    // An owner is not offered to name owners.
    expect(within(form).queryByRole('radio', { name: 'Owner' })).toBeNull();
    expect(within(form).getByText('Only an administrator can name owners.')).toBeTruthy();
    fireEvent.click(within(form).getByRole('radio', { name: 'Forum member' }));
    fireEvent.change(within(form).getByRole('textbox', { name: 'Organisation (optional)' }), { target: { value: ' City Hall ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Give the role' }));
    await waitFor(() => expect(within(form).getByRole('combobox', { name: 'Seat on the forum' }).getAttribute('aria-invalid')).toBe('true'));
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);
    // What was typed stays.
    expect((within(form).getByRole('textbox', { name: 'Organisation (optional)' }) as HTMLInputElement).value).toBe(' City Hall ');

    fireEvent.change(within(form).getByRole('combobox', { name: 'Seat on the forum' }), { target: { value: 'government' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Give the role' }));
    const status = await screen.findByText("Mina Okafor is now a member of this process's forum.");
    expect(status.getAttribute('role')).toBe('status');
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({ seat: 'government', organisation: 'City Hall' });
    await waitFor(() => expect(screen.getByRole('region', { name: 'Forum members' }).textContent).toContain('Mina Okafor'));
  });

  it('offers administrators the owner role and shows the server refusal in place', async () => {
    signIn(true);
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: holders }),
      [`GET /api/v1/processes/${slug}/people`]: () => json(200, { items: [mina], next_cursor: null, match: 'name' }),
      [`PUT /api/v1/processes/${slug}/roles/12/owner`]: () => json(404, { error: { code: 'account.not_found', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.change(await screen.findByRole('searchbox', { name: 'E-mail address or name' }), { target: { value: 'okafor' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect((await screen.findByText(/1 account whose name contains/)).textContent).toBe('1 account whose name contains “okafor”:');
    fireEvent.click(screen.getByRole('button', { name: 'Give Mina Okafor a role' }));
    const form = await screen.findByRole('region', { name: 'Give Mina Okafor a role' });
    fireEvent.click(within(form).getByRole('radio', { name: 'Owner' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Give the role' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('No such account.');
  });

  it('removes a role after asking', async () => {
    signIn();
    let removed = false;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: removed ? holders.slice(0, 1) : holders }),
      [`DELETE /api/v1/processes/${slug}/roles/8/forum_member`]: () => {
        removed = true;
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Cai Morgan as forum member' }));
    const question = await screen.findByText('Remove Cai Morgan as forum member? They are signed out everywhere.');
    await waitFor(() => expect(document.activeElement).toBe(question));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await screen.findByText("Cai Morgan is no longer a member of this process's forum.");
    expect(seen.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Forum members' }).textContent).toContain('Nobody yet.'));
  });

  it('tells others it is not theirs to manage', async () => {
    signIn();
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'process.roles_forbidden', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderPage();
    expect((await screen.findByText("Only the process's owners and administrators manage its roles.")).className).toBe('notice-box');
    expect(screen.queryByRole('searchbox')).toBeNull();
  });
});
