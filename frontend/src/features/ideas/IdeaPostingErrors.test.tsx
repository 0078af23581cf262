import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, mySupports, process, settings, slug } from './fixtures';
import { IdeaPage } from './IdeaPage';
import { ProposeIdeaPage } from './ProposeIdeaPage';

describe('posting refused by the screen', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('says how long to wait when comments come too fast, and when the same text comes twice', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let answer: () => Response = () =>
      new Response(JSON.stringify({ error: { code: 'moderation.rate_limited', message: 'x' } }), { status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '7' } });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      'GET /api/v1/ideas/21/comments': () => json(200, { items: [], next_cursor: null }),
      'GET /api/v1/ideas/21/my-votes': () => json(200, { votes: {} }),
      'POST /api/v1/ideas/21/comments': () => answer(),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/ideas/:ideaID" element={<IdeaPage />} />
      </Routes>,
      `/processes/${slug}/ideas/21`,
    );
    const discussion = await screen.findByRole('region', { name: 'Discussion' });
    fireEvent.change(within(discussion).getByLabelText('Your comment on this idea'), { target: { value: 'Same again' } });
    fireEvent.click(within(discussion).getByRole('button', { name: 'Post comment' }));
    expect((await within(discussion).findByRole('alert')).textContent).toBe('You are posting too quickly. Wait a moment before posting again. Try again in 7 seconds.');
    answer = () => json(409, { error: { code: 'moderation.duplicate', message: 'x' } });
    fireEvent.click(within(discussion).getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(within(discussion).getByRole('alert').textContent).toBe('You posted the same text a few minutes ago.'));
    // The text stays, to be changed.
    expect((within(discussion).getByLabelText('Your comment on this idea') as HTMLTextAreaElement).value).toBe('Same again');
  });

  it('shows the same on the idea form', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
      [`GET /api/v1/processes/${slug}/ideas/similar`]: () => json(200, { items: [] }),
      [`POST /api/v1/processes/${slug}/ideas`]: () => json(409, { error: { code: 'moderation.duplicate', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/ideas/new" element={<ProposeIdeaPage />} />
      </Routes>,
      `/processes/${slug}/ideas/new`,
    );
    fireEvent.change(await screen.findByRole('textbox', { name: 'Title' }), { target: { value: 'More benches' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: '1' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Your idea' }), { target: { value: 'By the river.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Propose this idea' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You posted the same text a few minutes ago.');
  });
});
