import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { account, comment, response, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, mySupports, process, settings, slug } from './fixtures';
import { IdeaPage } from './IdeaPage';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

const reads = {
  [`GET /api/v1/processes/${slug}`]: () => json(200, process),
  [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
  'GET /api/v1/ideas/21/comments': () => json(200, { items: [], next_cursor: null }),
};

describe('IdeaPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('says why a support was refused, with the limit of the process', async () => {
    signIn();
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports({ used: 3, remaining: 0, ideas: [1, 2, 3] })),
      'PUT /api/v1/ideas/21/support': () => json(409, { error: { code: 'idea.support_limit', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Participatory budgeting in every district' })).toBeTruthy();
    const box = screen.getByRole('region', { name: 'Support' });
    expect(within(box).getByText('4 supports')).toBeTruthy();
    await within(box).findByText('You have no supports left in this process.');

    const button = within(box).getByRole('button', { name: 'Support this idea' });
    fireEvent.click(button);
    const alert = await within(box).findByRole('alert');
    expect(alert.textContent).toBe('You have used all 3 of your supports in this process. Withdraw one to support this idea.');
    expect(button.getAttribute('aria-describedby')).toBe(alert.id);
    const put = seen.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/api/v1/ideas/21/support');
    expect(put?.headers.get('Idempotency-Key')).toMatch(uuid);
    // Nothing changed: the count and the button stay.
    expect(within(box).getByText('4 supports')).toBeTruthy();
    expect(within(box).getByRole('button', { name: 'Support this idea' })).toBeTruthy();
  });

  it('translates the theme rule and a closed phase, in French too', async () => {
    signIn();
    await i18n.changeLanguage('fr');
    let code = 'idea.theme_limit';
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports({ one_per_theme: true, used: 1, remaining: 2, ideas: [4], themes: [1] })),
      'PUT /api/v1/ideas/21/support': () => json(409, { error: { code, message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    fireEvent.click(await screen.findByRole('button', { name: 'Soutenir cette idée' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Vous soutenez déjà une idée du thème « Open budgets »');
    code = 'idea.phase_closed';
    fireEvent.click(screen.getByRole('button', { name: 'Soutenir cette idée' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain("La collecte d'idées est close"));
  });

  it('gives and withdraws a support, with the count and the supports left', async () => {
    signIn();
    let supported = false;
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, supported, supports: supported ? 5 : 4 })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports(supported ? { used: 1, remaining: 2, ideas: [21] } : {})),
      'PUT /api/v1/ideas/21/support': () => {
        supported = true;
        return json(200, { idea_id: 21, supports: 5, supported: true, remaining: 2 });
      },
      'DELETE /api/v1/ideas/21/support': () => {
        supported = false;
        return json(200, { idea_id: 21, supports: 4, supported: false, remaining: 3 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const box = await screen.findByRole('region', { name: 'Support' });
    await within(box).findByText('You have 3 supports left in this process.');
    fireEvent.click(within(box).getByRole('button', { name: 'Support this idea' }));
    await within(box).findByText('5 supports');
    const status = within(box).getByRole('status');
    await waitFor(() => expect(status.textContent).toBe('Your support is counted. You have 2 supports left in this process.'));
    const withdraw = within(box).getByRole('button', { name: 'Withdraw my support' });
    fireEvent.click(withdraw);
    await within(box).findByText('4 supports');
    await waitFor(() => expect(status.textContent).toBe('Your support is withdrawn. You have 3 supports left in this process.'));
    expect(within(box).getByRole('button', { name: 'Support this idea' })).toBeTruthy();
    const writes = seen.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    expect(writes[0].headers.get('Idempotency-Key')).not.toBe(writes[1].headers.get('Idempotency-Key'));
  });

  it('shows a merged idea, its response and who it was entered for; anonymous visitors are asked to sign in', async () => {
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () =>
        json(200, idea({ id: 21, status: 'merged', merged_into: 7, status_response_id: 12, channel: 'workshop', contributor: 'Harbour residents’ group', supported: null })),
      'GET /api/v1/ideas/7': () => json(200, idea({ id: 7, title: 'Publish the city budget as open data', supported: null })),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const target = await screen.findByRole('link', { name: 'Publish the city budget as open data' });
    expect(target.getAttribute('href')).toBe(`/processes/${slug}/ideas/7`);
    expect(target.closest('p')?.textContent).toBe('This idea was merged into Publish the city budget as open data.');
    expect(screen.getByText('Merged')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Read the response' }).getAttribute('href')).toBe('/responses/12');
    expect(screen.getByText(/^Entered from a workshop on behalf of Harbour residents’ group/)).toBeTruthy();
    // A merged idea takes no new support; signed out, nobody is offered a button.
    expect(screen.queryByRole('button', { name: 'Support this idea' })).toBeNull();
  });

  it("summarises the forum's response that set the idea's status, with a link to it", async () => {
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, status: 'accepted', status_response_id: 40, supported: null })),
      'GET /api/v1/responses/40': () => json(200, response({ id: 40, covers: [{ kind: 'idea', id: 21, idea_id: null, document_id: null, paragraph_key: null, progress_update_id: null, label: 'Participatory budgeting in every district', excerpt: 'Participatory budgeting in every district', visible: true, count: 1 }] })),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);
    const summary = await screen.findByRole('region', { name: "The forum's response" });
    await within(summary).findByText('We will publish every contract.');
    expect(within(summary).getByText('Adopted')).toBeTruthy();
    expect(within(summary).getByText(/signed by Larkhaven City Council and Open Larkhaven Coalition$/)).toBeTruthy();
    expect(within(summary).getByRole('link', { name: 'Read the response' }).getAttribute('href')).toBe('/responses/40');
  });

  it('asks anonymous visitors to sign in to support', async () => {
    const { handle } = router({ ...reads, 'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, supported: null })) });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);
    const box = await screen.findByRole('region', { name: 'Support' });
    expect(within(box).getByRole('link', { name: 'Sign in to support this idea' }).getAttribute('href')).toBe('/login');
    expect(within(box).queryByRole('button')).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in to comment' })).toBeTruthy();
  });

  it('lets the author edit with the revision, and withdraw after confirming', async () => {
    signIn();
    let current = idea({ id: 21, author: { id: account.id, name: account.display_name }, editable: true, supports: 0 });
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, current),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'PATCH /api/v1/ideas/21': async (req) => {
        const body = (await req.json()) as { title: string; body: string; theme_id: number };
        current = { ...current, title: body.title, body: body.body, theme: { id: 3, name: 'Access to information', description: '', position: 2 }, revision: 2 };
        return json(200, current);
      },
      'POST /api/v1/ideas/21/withdraw': () => {
        current = { ...current, status: 'withdrawn', editable: false };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const title = screen.getByRole('textbox', { name: 'Title' });
    await waitFor(() => expect(document.activeElement).toBe(title));
    fireEvent.change(title, { target: { value: 'Participatory budgets in every district' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('heading', { level: 1, name: 'Participatory budgets in every district' });
    const patch = seen.find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ title: 'Participatory budgets in every district', body: current.body, theme_id: 3, revision: 1 });
    expect(patch?.headers.get('Idempotency-Key')).toMatch(uuid);
    expect(screen.getByText('Your changes are saved.').getAttribute('role')).toBe('status');

    fireEvent.click(screen.getByRole('button', { name: 'Withdraw idea' }));
    const question = screen.getByText(/^Withdraw this idea\?/);
    await waitFor(() => expect(document.activeElement).toBe(question));
    expect(seen.some((r) => r.path.endsWith('/withdraw'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, withdraw it' }));
    await screen.findByText('Withdrawn');
    expect(seen.find((r) => r.path.endsWith('/withdraw'))?.headers.get('Idempotency-Key')).toMatch(uuid);
    expect(screen.queryByRole('button', { name: 'Withdraw idea' })).toBeNull();
  });

  it('tells the author that an edit waits for a moderator, and shows it to them only', async () => {
    signIn();
    let current = idea({ id: 21, author: { id: account.id, name: account.display_name }, editable: true, supports: 0 });
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, current),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'PATCH /api/v1/ideas/21': async (req) => {
        const body = (await req.json()) as { title: string; body: string };
        current = { ...current, revision: 2, edit_pending: true, pending_title: body.title, pending_body: body.body };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'Budgets decided by lot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const said = await screen.findByText('Your changes are saved. Your edit is waiting for a moderator.');
    expect(said.getAttribute('role')).toBe('status');
    expect(screen.getByRole('heading', { level: 1, name: 'Participatory budgeting in every district' })).toBeTruthy();
    expect(screen.getByText('Your edit is waiting for a moderator. Until it is approved, everyone else reads the idea as it is above.')).toBeTruthy();
    fireEvent.click(screen.getByText('Your edit as it waits'));
    expect(screen.getByText('Budgets decided by lot')).toBeTruthy();
    // Editing again starts from the edit that waits.
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe('Budgets decided by lot');
  });

  it('says nothing of a waiting edit to other readers', async () => {
    signIn();
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21, edit_pending: true })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    await screen.findByRole('heading', { level: 1, name: 'Participatory budgeting in every district' });
    expect(screen.queryByText(/Your edit is waiting for a moderator/)).toBeNull();
  });

  it('discusses the idea with the thread components: comments, replies and votes', async () => {
    signIn();
    const items = [comment({ id: 40, document_id: null, idea_id: 21, version: null, paragraph_key: null, anchor: null, body_html: '<p>Which districts first?</p>' })];
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'GET /api/v1/ideas/21/comments': () => json(200, { items, next_cursor: null }),
      'POST /api/v1/ideas/21/comments': async (req) => {
        const body = (await req.json()) as { body: string };
        const c = comment({ id: 41, document_id: null, idea_id: 21, version: null, paragraph_key: null, anchor: null, author: { id: account.id, name: account.display_name }, body: body.body, body_html: `<p>${body.body}</p>` });
        items.push(c);
        return json(201, c);
      },
      'GET /api/v1/ideas/21/my-votes': () => json(200, { votes: {} }),
      'PUT /api/v1/comments/40/vote': () => {
        items[0] = { ...items[0], agree: 1 };
        return json(200, { comment_id: 40, agree: 1, disagree: 0, mine: 'agree' });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const discussion = await screen.findByRole('region', { name: 'Discussion' });
    await within(discussion).findByText('Which districts first?');
    expect(within(discussion).queryByText(/on version/)).toBeNull();
    fireEvent.change(within(discussion).getByLabelText('Your comment on this idea'), { target: { value: 'The harbour district.' } });
    fireEvent.click(within(discussion).getByRole('button', { name: 'Post comment' }));
    await within(discussion).findByText('The harbour district.');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ body: 'The harbour district.' });
    expect(post?.headers.get('Idempotency-Key')).toMatch(uuid);

    const first = within(discussion).getByRole('article', { name: 'Comment by Bea Costa' });
    fireEvent.click(within(first).getByRole('button', { name: 'Agree 0' }));
    const agree = await within(first).findByRole('button', { name: 'Agree 1' });
    await waitFor(() => expect(agree.getAttribute('aria-pressed')).toBe('true'));
    expect(seen.find((r) => r.method === 'PUT')?.headers.get('Idempotency-Key')).toMatch(uuid);
  });

  it('shows the votes a person cast earlier on the discussion as pressed', async () => {
    signIn();
    const items = [comment({ id: 40, document_id: null, idea_id: 21, version: null, paragraph_key: null, anchor: null, agree: 0, disagree: 1 })];
    const { handle } = router({
      ...reads,
      'GET /api/v1/ideas/21': () => json(200, idea({ id: 21 })),
      [`GET /api/v1/processes/${slug}/my-supports`]: () => json(200, mySupports()),
      'GET /api/v1/ideas/21/comments': () => json(200, { items, next_cursor: null }),
      'GET /api/v1/ideas/21/my-votes': () => json(200, { votes: { '40': 'disagree' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/21`);

    const discussion = await screen.findByRole('region', { name: 'Discussion' });
    const first = await within(discussion).findByRole('article', { name: 'Comment by Bea Costa' });
    const disagree = within(first).getByRole('button', { name: 'Disagree 1' });
    await waitFor(() => expect(disagree.getAttribute('aria-pressed')).toBe('true'));
    expect(within(first).getByRole('button', { name: 'Agree 0' }).getAttribute('aria-pressed')).toBe('false');
  });
});
