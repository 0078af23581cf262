import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, process, settings, slug } from './fixtures';
import { ProposeIdeaPage } from './ProposeIdeaPage';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/ideas/new" element={<ProposeIdeaPage />} />
      <Route path="/processes/:slug/ideas/:ideaID" element={<h1>Idea page</h1>} />
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
};

const similar = [
  idea({ id: 7, title: 'Publish the city budget as open data', supports: 12 }),
  idea({ id: 8, title: 'Participatory budgeting in every district', supports: 3 }),
];

describe('ProposeIdeaPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows similar ideas once typing pauses, in a polite live region', async () => {
    signIn();
    const { handle, seen } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/ideas/similar`]: (req) => {
        const text = new URL(req.url).searchParams.get('text') ?? '';
        return json(200, { items: /budget/i.test(text) ? similar : [] });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/new`);

    const title = await screen.findByRole('textbox', { name: 'Title' });
    // Keystrokes in quick succession make one request, for the whole text.
    for (const value of ['Op', 'Open data', 'Open data on the city', 'Open data on the city budget']) fireEvent.change(title, { target: { value } });
    const link = await screen.findByRole('link', { name: /^Publish the city budget as open data/ }, { timeout: 2000 });
    expect(link.getAttribute('href')).toBe(`/processes/${slug}/ideas/7`);
    const region = link.closest('[aria-live]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(within(region as HTMLElement).getByRole('heading', { name: 'Similar ideas already proposed' })).toBeTruthy();
    expect(region.textContent).toContain('Consider supporting one of them instead.');
    expect(within(region as HTMLElement).getAllByRole('listitem')).toHaveLength(2);
    const lookups = seen.filter((r) => r.path.includes('/ideas/similar'));
    expect(lookups).toHaveLength(1);
    expect(new URL(`http://x${lookups[0].path}`).searchParams.get('text')).toBe('Open data on the city budget');

    // The body counts too, and a text with nothing similar empties the list.
    fireEvent.change(title, { target: { value: 'Harbour ferries' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Your idea' }), { target: { value: 'Run them all night.' } });
    await waitFor(() => expect(screen.queryByRole('link', { name: /^Publish the city budget/ })).toBeNull(), { timeout: 2000 });
    const last = seen.filter((r) => r.path.includes('/ideas/similar')).at(-1)!;
    expect(new URL(`http://x${last.path}`).searchParams.get('text')).toBe('Harbour ferries Run them all night.');
  });

  it('looks for similar ideas from a two-character Chinese word, but not from two Latin letters', async () => {
    signIn();
    const { handle, seen } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/ideas/similar`]: () => json(200, { items: [idea({ id: 9, title: '改善公車站無障礙電梯' })] }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/new`);
    const title = await screen.findByRole('textbox', { name: 'Title' });
    fireEvent.change(title, { target: { value: 'ab' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((r) => r.path.includes('/ideas/similar'))).toHaveLength(0);
    fireEvent.change(title, { target: { value: '電梯' } });
    expect(await screen.findByRole('link', { name: /^改善公車站無障礙電梯/ }, { timeout: 2000 })).toBeTruthy();
    const lookups = seen.filter((r) => r.path.includes('/ideas/similar'));
    expect(new URL(`http://x${lookups.at(-1)!.path}`).searchParams.get('text')).toBe('電梯');
  });

  it('marks the fields the server refused, then proposes the idea with an Idempotency-Key', async () => {
    signIn();
    let attempt = 0;
    const { handle, seen } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/ideas/similar`]: () => json(200, { items: [] }),
      [`POST /api/v1/processes/${slug}/ideas`]: () => {
        attempt++;
        if (attempt === 1) return json(422, { error: { code: 'idea.invalid', message: 'x', fields: [{ field: 'title', code: 'length', message: 'x' }] } });
        return json(201, idea({ id: 99, title: 'Open data on the city budget' }));
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/new`);

    // Empty fields are caught before sending.
    fireEvent.click(await screen.findByRole('button', { name: 'Propose this idea' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Some fields need attention.');
    for (const name of ['Title', 'Your idea']) expect(screen.getByRole('textbox', { name }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('combobox', { name: 'Theme' }).getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'Open data on the city budget' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: '1' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Your idea' }), { target: { value: 'Every line of the budget, as CSV.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Propose this idea' }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Title' }).getAttribute('aria-invalid')).toBe('true'));
    const title = screen.getByRole('textbox', { name: 'Title' });
    const described = (title.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('This is too short or too long.');
    expect(screen.getByRole('textbox', { name: 'Your idea' }).getAttribute('aria-invalid')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Propose this idea' }));
    await screen.findByRole('heading', { level: 1, name: 'Idea page' });
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts[1].body).toEqual({ title: 'Open data on the city budget', body: 'Every line of the budget, as CSV.', theme_id: 1 });
    expect(posts[0].headers.get('Idempotency-Key')).toMatch(uuid);
    // The same request after a failure is a retry: the same key.
    expect(posts[1].headers.get('Idempotency-Key')).toBe(posts[0].headers.get('Idempotency-Key'));
  });

  it('says when the phase has closed', async () => {
    signIn();
    const { handle } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/ideas/similar`]: () => json(200, { items: [] }),
      [`POST /api/v1/processes/${slug}/ideas`]: () => json(409, { error: { code: 'idea.phase_closed', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/new`);
    fireEvent.change(await screen.findByRole('textbox', { name: 'Title' }), { target: { value: 'Late idea' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: '2' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Your idea' }), { target: { value: 'Too late.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Propose this idea' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Idea collection is closed: ideas, supports and comments on ideas are not accepted now.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
  });

  it('asks signed-out visitors to sign in first', async () => {
    const { handle } = router(reads);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas/new`);
    expect((await screen.findByRole('link', { name: 'Sign in to propose an idea' })).getAttribute('href')).toBe('/login');
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
