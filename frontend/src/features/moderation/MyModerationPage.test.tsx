import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { mine } from './fixtures';
import { MyModerationPage } from './MyModerationPage';

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

describe('MyModerationPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('says where each contribution stands, in words', async () => {
    signIn();
    const { handle } = router({
      'GET /api/v1/me/moderation': () =>
        json(200, {
          items: [
            mine({ id: 1, appealable_until: null }),
            mine({ id: 2, status: 'pending', state: 'open', outcome: null, reason: null, reason_description: null, explanation: null, decided_at: null, appealable_until: null, excerpt: 'A skate park' }),
            mine({
              id: 3,
              status: 'published',
              outcome: 'approve',
              reason: null,
              reason_description: null,
              explanation: null,
              appealable_until: null,
              excerpt: 'Longer library hours',
              target: { type: 'comment', id: 40, document_id: 7, paragraph_key: 'k-water', idea_id: null },
            }),
          ],
        }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyModerationPage />, '/account/moderation');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your contributions in moderation' })).toBeTruthy();
    const hidden = await screen.findByRole('article', { name: 'Idea: More benches in the park' });
    expect(within(hidden).getByText('Hidden: Not about the subject of this consultation. Benches are a matter for the parks plan.')).toBeTruthy();
    expect(within(hidden).queryByRole('button', { name: 'Appeal' })).toBeNull();
    expect(within(screen.getByRole('article', { name: 'Idea: A skate park' })).getByText('Awaiting review')).toBeTruthy();
    const comment = screen.getByRole('article', { name: 'Comment: Longer library hours' });
    expect(within(comment).getByText('Published')).toBeTruthy();
    expect(within(comment).getByRole('link', { name: 'Longer library hours' }).getAttribute('href')).toBe('/documents/7#p-k-water');
    expect(within(hidden).getByRole('link', { name: 'More benches in the park' }).getAttribute('href')).toBe('/processes/larkhaven-youth-2028/ideas/21');
  });

  it('appeals a rejection with a required note, once', async () => {
    signIn();
    let appealed = false;
    const { handle, seen } = router({
      'GET /api/v1/me/moderation': () => json(200, { items: [mine({ id: 5, appealed, state: appealed ? 'appealed' : 'decided' })] }),
      'POST /api/v1/moderation/items/5/appeal': () => {
        appealed = true;
        return json(200, mine({ id: 5, appealed: true, state: 'appealed', appealable_until: null }));
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyModerationPage />, '/account/moderation');

    const article = await screen.findByRole('article', { name: 'Idea: More benches in the park' });
    expect(within(article).getByText(/^You can appeal this decision until /)).toBeTruthy();
    fireEvent.click(within(article).getByRole('button', { name: 'Appeal' }));
    const note = within(article).getByRole('textbox', { name: 'Why should this decision be reconsidered?' });
    await waitFor(() => expect(document.activeElement).toBe(note));
    fireEvent.click(within(article).getByRole('button', { name: 'Send appeal' }));
    expect((await within(article).findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(note.getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(note, { target: { value: 'The parks plan is part of this consultation.' } });
    fireEvent.click(within(article).getByRole('button', { name: 'Send appeal' }));
    const sent = await within(article).findByRole('status');
    expect(sent.textContent).toBe('Appeal sent; a different moderator will review it.');
    await waitFor(() => expect(document.activeElement).toBe(sent));
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api/v1/moderation/items/5/appeal');
    expect(post?.body).toEqual({ note: 'The parks plan is part of this consultation.' });
    expect(within(article).queryByRole('button', { name: 'Appeal' })).toBeNull();
  });

  it('translates a refused appeal, in French', async () => {
    signIn();
    await i18n.changeLanguage('fr');
    const { handle } = router({
      'GET /api/v1/me/moderation': () => json(200, { items: [mine({ id: 5 })] }),
      'POST /api/v1/moderation/items/5/appeal': () => json(409, { error: { code: 'moderation.appeal_window_closed', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyModerationPage />, '/account/moderation');
    fireEvent.click(await screen.findByRole('button', { name: 'Faire recours' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Pourquoi cette décision devrait-elle être revue ?' }), { target: { value: 'Merci de revoir.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer le recours' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Le délai de recours contre cette décision est passé.');
  });
});
