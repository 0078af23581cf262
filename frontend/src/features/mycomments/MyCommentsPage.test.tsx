import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { account, comment, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { MyCommentsPage } from './MyCommentsPage';

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

const me = { id: account.id, name: account.display_name };

const titles = {
  'GET /api/v1/documents/7': () => json(200, { id: 7, title: 'Draft plan 2027' }),
  'GET /api/v1/ideas/21': () => json(200, { id: 21, title: 'More benches in the park' }),
  'GET /api/v1/progress-updates/9': () => json(200, { id: 9, commitment_title: 'Open contracting' }),
};

describe('MyCommentsPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lists the comments newest first, with their state in words, their text and where they are', async () => {
    signIn();
    const { handle, seen } = router({
      ...titles,
      'GET /api/v1/me/comments': () =>
        json(200, {
          items: [
            comment({ id: 50, author: me, status: 'pending', body_html: '<p>Say <strong>which</strong> districts</p>', quote: { exact: 'water for all', prefix: '', suffix: '', start: 8, end: 21 } }),
            comment({ id: 49, author: me, status: 'hidden', document_id: null, version: null, paragraph_key: null, anchor: null, idea_id: 21, body_html: '<p>On the idea</p>' }),
            comment({ id: 48, author: me, status: 'published', depth: 1, parent_id: 40, root_id: 40, response_id: 3, body_html: '<p>A published reply</p>' }),
            comment({ id: 47, author: me, status: 'rejected', anchor: { version: 2, key: null, status: 'orphaned', confidence: 0, start: null, end: null }, body_html: '<p>On text that changed</p>' }),
            comment({ id: 46, author: me, document_id: null, version: null, paragraph_key: null, anchor: null, progress_update_id: 9, body_html: '<p>On an update</p>' }),
          ],
          next_cursor: null,
        }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyCommentsPage />, '/account/comments');

    expect(await screen.findByRole('heading', { level: 1, name: 'Your comments' })).toBeTruthy();
    expect(await screen.findByText('5 comments shown')).toBeTruthy();
    const articles = screen.getAllByRole('article');
    expect(articles).toHaveLength(5);

    const pending = articles[0];
    await within(pending).findByRole('heading', { level: 2, name: 'On the draft “Draft plan 2027”' });
    expect(within(pending).getByText('Held for review').closest('p')?.textContent).toBe('Held for review A moderator reads it before others can see it.');
    // The text as the server rendered and sanitised it, with the words it quotes.
    expect(within(pending).getByText('which').tagName).toBe('STRONG');
    expect(within(pending).getByText('water for all').tagName).toBe('Q');
    expect(within(pending).getByRole('link', { name: 'Go to the paragraph' }).getAttribute('href')).toBe('/documents/7#p-k-water');

    const hidden = articles[1];
    await within(hidden).findByRole('heading', { level: 2, name: 'On the idea “More benches in the park”' });
    expect(within(hidden).getByText('Hidden by the moderators')).toBeTruthy();
    expect(within(hidden).getByRole('link', { name: 'See why, and appeal' }).getAttribute('href')).toBe('/account/moderation');
    // An idea's page needs its process's slug, which a comment does not carry.
    expect(within(hidden).queryByRole('link', { name: /^Go to/ })).toBeNull();

    const reply = articles[2];
    expect(within(reply).getByText('Published')).toBeTruthy();
    expect(within(reply).getByText(/^Reply,/)).toBeTruthy();
    expect(within(reply).queryByRole('link', { name: 'See why, and appeal' })).toBeNull();
    expect(within(reply).getByRole('link', { name: 'The forum answered it: read the response' }).getAttribute('href')).toBe('/responses/3');

    const orphaned = articles[3];
    expect(within(orphaned).getByText('Rejected by the moderators')).toBeTruthy();
    expect(within(orphaned).getByRole('link', { name: 'Go to the comments on text that changed' }).getAttribute('href')).toBe('/documents/7#orphaned');

    const update = articles[4];
    await within(update).findByRole('heading', { level: 2, name: 'On a progress update of “Open contracting”' });
    expect(within(update).getByRole('link', { name: 'Go to the progress update' }).getAttribute('href')).toBe('/progress-updates/9');

    // One request per draft, idea or update named, however many comments share it.
    expect(seen.filter((r) => r.path === '/api/v1/documents/7')).toHaveLength(1);
    expect(seen.filter((r) => r.path === '/api/v1/me/comments')).toHaveLength(1);
    expect(seen.find((r) => r.path === '/api/v1/me/comments')?.headers.get('Authorization')).toBe('Bearer token');
  });

  it('says when there are none yet', async () => {
    signIn();
    const { handle } = router({ 'GET /api/v1/me/comments': () => json(200, { items: [], next_cursor: null }) });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyCommentsPage />, '/account/comments');
    expect(await screen.findByText(/^You have not written any comments yet\./)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Find a draft open for comment' }).getAttribute('href')).toBe('/');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('says when the list cannot be loaded, translated', async () => {
    signIn();
    await i18n.changeLanguage('fr');
    const { handle } = router({ 'GET /api/v1/me/comments': () => json(503, { error: { code: 'service.unavailable', message: 'x' } }) });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyCommentsPage />, '/account/comments');
    expect(await screen.findByRole('heading', { level: 1, name: 'Vos commentaires' })).toBeTruthy();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('Le service est occupé. Réessayez dans un instant.');
    expect(screen.queryByRole('article')).toBeNull();
    expect(screen.queryByText(/Vous n’avez encore écrit aucun commentaire/)).toBeNull();
  });

  it('loads more with the cursor, continuing the keyboard at the first new comment', async () => {
    signIn();
    const first = Array.from({ length: 20 }, (_, i) => comment({ id: 100 - i, author: me, body_html: `<p>Comment ${100 - i}</p>` }));
    const second = [comment({ id: 80, author: me, body_html: '<p>Comment 80</p>' })];
    const { handle, seen } = router({
      ...titles,
      'GET /api/v1/me/comments': (req) =>
        new URL(req.url).searchParams.get('cursor') === 'bTo4MQ' ? json(200, { items: second, next_cursor: null }) : json(200, { items: first, next_cursor: 'bTo4MQ' }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyCommentsPage />, '/account/comments');

    expect(await screen.findByText('20 comments shown')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load more comments' }));
    expect(await screen.findByText('21 comments shown')).toBeTruthy();
    const articles = screen.getAllByRole('article');
    expect(within(articles[20]).getByText('Comment 80')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(within(articles[20]).getByRole('heading', { level: 2 })));
    expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull();
    expect(seen.filter((r) => r.path.startsWith('/api/v1/me/comments')).map((r) => r.path)).toEqual(['/api/v1/me/comments', '/api/v1/me/comments?cursor=bTo4MQ']);
  });

  it('asks a person who is not signed in to sign in, and asks the server nothing', async () => {
    const { handle, seen } = router({});
    fetchMock.mockImplementation(handle);
    renderWithApp(<MyCommentsPage />, '/account/comments');
    expect(screen.getByRole('link', { name: 'Sign in to see your comments' }).getAttribute('href')).toBe('/login');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toHaveLength(0);
  });
});
