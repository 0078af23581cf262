import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, comment, houseRules, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, mySupports, process, settings, slug } from './fixtures';
import { IdeaPage } from './IdeaPage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/ideas/:ideaID" element={<IdeaPage />} />
      <Route path="/login" element={<h1>Sign-in page</h1>} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

const onIdea = { document_id: null, idea_id: 21, version: null, paragraph_key: null, anchor: null };

function reads(comments = [comment({ id: 40, ...onIdea, body_html: '<p>Which districts first?</p>' })]) {
  return {
    [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
    [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
    [`GET /api/v1/processes/${slug}/house-rules`]: () => json(200, { rules: houseRules }),
    'GET /api/v1/ideas/21/comments': () => json(200, { items: comments, next_cursor: null }),
    'GET /api/v1/ideas/21/my-votes': () => json(200, { votes: {} }),
  };
}

describe('reporting a contribution', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('reports an idea with a house rule and a note, without an Idempotency-Key', async () => {
    signIn();
    const { handle, seen } = router({
      ...reads(),
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      'POST /api/v1/ideas/21/flags': () => json(201, { hidden: false }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const report = await screen.findByRole('button', { name: 'Report this idea' });
    fireEvent.click(report);
    expect(report.getAttribute('aria-expanded')).toBe('true');
    const form = await screen.findByRole('form', { name: 'Report this idea to the moderators' });
    const reasons = within(form).getByRole('group', { name: 'Which house rule does it break?' });
    await within(form).findByText('Insults, threats or harassment.');
    await waitFor(() => expect(document.activeElement).toBe(within(reasons).getByRole('radio', { name: 'Spam' })));

    // No reason chosen: nothing is sent.
    fireEvent.click(within(form).getByRole('button', { name: 'Send report' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.click(within(reasons).getByRole('radio', { name: 'Abuse' }));
    fireEvent.change(within(form).getByRole('textbox', { name: 'Note for the moderators (optional)' }), { target: { value: 'Names a neighbour.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send report' }));
    const thanks = await screen.findByText('Thank you; moderators will look at it.');
    expect(thanks.getAttribute('role')).toBe('status');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api/v1/ideas/21/flags');
    expect(post?.body).toEqual({ reason: 'abuse', note: 'Names a neighbour.' });
    expect(post?.headers.get('Idempotency-Key')).toBeNull();
    expect(screen.queryByRole('form', { name: 'Report this idea to the moderators' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Report this idea' })));
  });

  it('says when a comment was already reported, and offers no Report on one’s own contributions', async () => {
    signIn();
    const me = { id: account.id, name: account.display_name };
    const minePending = comment({ id: 41, ...onIdea, author: me, status: 'pending', body_html: '<p>My own point</p>' });
    const minePublished = comment({ id: 42, ...onIdea, author: me, body_html: '<p>My earlier point</p>' });
    const { handle, seen } = router({
      ...reads([comment({ id: 40, ...onIdea, body_html: '<p>Which districts first?</p>' }), minePending, minePublished]),
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      'POST /api/v1/comments/40/flags': () => json(409, { error: { code: 'moderation.already_flagged', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const theirs = await screen.findByRole('article', { name: 'Comment by Bea Costa' });
    const [pending, published] = await screen.findAllByRole('article', { name: `Comment by ${account.display_name}` });
    expect(within(pending).getByText('Awaiting review')).toBeTruthy();
    expect(within(published).queryByText('Awaiting review')).toBeNull();
    for (const own of [pending, published]) expect(within(own).queryByRole('button', { name: 'Report' })).toBeNull();
    expect(within(theirs).getByRole('button', { name: 'Report' })).toBeTruthy();

    fireEvent.click(within(theirs).getByRole('button', { name: 'Report' }));
    const form = await within(theirs).findByRole('form', { name: 'Report this comment to the moderators' });
    fireEvent.click(await within(form).findByRole('radio', { name: 'Spam' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Send report' }));
    expect((await within(theirs).findByRole('status')).textContent).toBe('You have already reported this.');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ reason: 'spam' });
  });

  it('asks signed-out readers to sign in, and tells the author their idea awaits review', async () => {
    const { handle } = router({ ...reads(), 'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, supported: null })) });
    fetchMock.mockImplementation(handle);
    const { unmount } = renderAt(`/processes/${slug}/ideas/21`);
    fireEvent.click(await screen.findByRole('button', { name: 'Report this idea' }));
    expect((await screen.findByRole('link', { name: 'Sign in to report this' })).getAttribute('href')).toBe('/login');
    unmount();

    signIn();
    const pending = router({ ...reads([]), 'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, author: { id: account.id, name: account.display_name }, moderation: 'pending' })) });
    fetchMock.mockImplementation(pending.handle);
    renderAt(`/processes/${slug}/ideas/21`);
    expect(await screen.findByText(/^Awaiting review: only you and the moderators can see this idea/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See its moderation status' }).getAttribute('href')).toBe('/account/moderation');
    expect(screen.queryByRole('button', { name: 'Report this idea' })).toBeNull();
  });
});
