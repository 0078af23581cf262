import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { process, settings, slug, themes } from './fixtures';
import { IdeaSettingsPage } from './IdeaSettingsPage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/ideas/settings" element={<IdeaSettingsPage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } });
}

describe('IdeaSettingsPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('saves the rules and themes, and names a theme that ideas still use', async () => {
    signIn();
    let stored = settings();
    let attempt = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, stored),
      [`PUT /api/v1/processes/${slug}/idea-settings`]: async (req) => {
        attempt++;
        if (attempt === 1) return json(409, { error: { code: 'idea.theme_in_use', message: 'x' } });
        const body = (await req.json()) as { support_limit: number; one_per_theme: boolean; themes: { id?: number; name: string; description: string }[] };
        stored = { ...stored, ...body, themes: body.themes.map((th, i) => ({ id: th.id ?? 10 + i, name: th.name, description: th.description, position: i })) };
        return json(200, stored);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/settings`);

    const limit = await screen.findByRole('spinbutton', { name: 'Supports per person' });
    expect((limit as HTMLInputElement).value).toBe('3');
    fireEvent.change(limit, { target: { value: '5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'At most one support per person in each theme' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove the theme Open budgets' }));
    // The focus goes to the next theme's name.
    await waitFor(() => expect((document.activeElement as HTMLInputElement).value).toBe('Public participation'));
    fireEvent.click(screen.getByRole('button', { name: 'Add a theme' }));
    const group = await screen.findByRole('group', { name: 'Theme 3' });
    const name = within(group).getByRole('textbox', { name: 'Name' });
    await waitFor(() => expect(document.activeElement).toBe(name));
    fireEvent.change(name, { target: { value: 'Open contracting' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The theme “Open budgets” cannot be removed: ideas use it.');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({
      support_limit: 5,
      one_per_theme: true,
      themes: [
        { id: 2, name: 'Public participation', description: '' },
        { id: 3, name: 'Access to information', description: '' },
        { name: 'Open contracting', description: '' },
      ],
    });

    fireEvent.click(within(alert).getByRole('button', { name: 'Put the theme back' }));
    expect(screen.getAllByRole('textbox', { name: 'Name' }).map((el) => (el as HTMLInputElement).value)).toEqual(['Open budgets', 'Public participation', 'Access to information', 'Open contracting']);
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(seen.filter((r) => r.method === 'PUT').at(-1)?.body).toMatchObject({ themes: [{ id: themes[0].id, name: 'Open budgets', description: themes[0].description }, {}, {}, { name: 'Open contracting' }] });
  });

  it('tells people who may not change the settings', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'auth.forbidden', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/settings`);
    await screen.findByText("Only the process's owners and administrators can change these settings.");
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });
});
