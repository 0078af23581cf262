import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { houseRules, slug } from './fixtures';
import { ModerationSettingsPage } from './ModerationSettingsPage';
import type { ModerationSettings } from './queries';

const stored: ModerationSettings = {
  mode: 'pre',
  hold_first: 2,
  timebox_hours: 48,
  flag_threshold: 3,
  rules: { banned_terms: true, links: 2, duplicate: true, campaign: null, rate: true, shouting: false },
  banned_terms: { en: ['idiot', 'moron'] },
  house_rules: houseRules,
};

function renderAt() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/moderation/settings" element={<ModerationSettingsPage />} />
    </Routes>,
    `/processes/${slug}/moderation/settings`,
  );
}

describe('ModerationSettingsPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('puts the whole settings object, and shows refused fields on the fields', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } });
    let attempt = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug, languages: ['en', 'fr'] }),
      [`GET /api/v1/processes/${slug}/moderation/settings`]: () => json(200, stored),
      [`PUT /api/v1/processes/${slug}/moderation/settings`]: async (req) => {
        attempt++;
        if (attempt === 1) return json(422, { error: { code: 'request.invalid', message: 'x', fields: [{ field: 'house_rules[3].description', code: 'max', message: 'x' }] } });
        return json(200, await req.json());
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt();

    const mode = await screen.findByRole('group', { name: 'Mode' });
    expect((within(mode).getByRole('radio', { name: 'Pre-moderation' }) as HTMLInputElement).checked).toBe(true);
    expect(within(mode).getByText('Every contribution waits until a moderator approves it.')).toBeTruthy();
    fireEvent.click(within(mode).getByRole('radio', { name: 'Risk-based moderation' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Publish undecided contributions after (hours)' }), { target: { value: '' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hold possible campaigns' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Accounts posting the same text' }), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hold contributions with many links' }));
    expect(screen.queryByRole('spinbutton', { name: 'Most links allowed' })).toBeNull();
    // A textarea per language, the process's languages first.
    fireEvent.change(screen.getByRole('textbox', { name: 'Banned terms in French (fr)' }), { target: { value: 'crétin\n\n  abruti  ' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Language code' }), { target: { value: 'pt' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add language' }));
    const pt = await screen.findByRole('textbox', { name: 'Banned terms in Portuguese (pt)' });
    await waitFor(() => expect(document.activeElement).toBe(pt));
    fireEvent.change(pt, { target: { value: 'idiota' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Off topic' }), { target: { value: 'Not about youth ideas for 2028.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    await screen.findByRole('alert');
    const offTopic = screen.getByRole('textbox', { name: 'Off topic' });
    expect(offTopic.getAttribute('aria-invalid')).toBe('true');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({
      mode: 'risk',
      hold_first: 2,
      timebox_hours: null,
      flag_threshold: 3,
      rules: { banned_terms: true, links: null, duplicate: true, campaign: 5, rate: true, shouting: false },
      banned_terms: { en: ['idiot', 'moron'], fr: ['crétin', 'abruti'], pt: ['idiota'] },
      house_rules: houseRules.map((r) => (r.code === 'off_topic' ? { ...r, description: 'Not about youth ideas for 2028.' } : r)),
    });

    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(attempt).toBe(2);
  });

  it('refuses out-of-range numbers before sending', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin: true } });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/moderation/settings`]: () => json(200, stored),
    });
    fetchMock.mockImplementation(handle);
    renderAt();
    const timebox = await screen.findByRole('spinbutton', { name: 'Publish undecided contributions after (hours)' });
    fireEvent.change(timebox, { target: { value: '721' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByRole('alert');
    expect(timebox.getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('tells moderators that only owners change the settings', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/moderation/settings`]: () => json(200, stored),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'auth.forbidden', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt();
    await screen.findByText("Only the process's owners and administrators can change the moderation settings.");
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });
});
