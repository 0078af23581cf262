import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { idea, process, settings, slug } from './fixtures';
import { IdeasPage } from './IdeasPage';

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function renderAt(path: string) {
  return renderWithApp(
    <>
      <Routes>
        <Route path="/processes/:slug/ideas" element={<IdeasPage />} />
      </Routes>
      <Where />
    </>,
    path,
  );
}

function signIn(admin = false) {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin } });
}

const query = (path: string) => new URL(`http://x${path}`).searchParams;

const page1 = [
  idea({ id: 1, title: 'Publish the city budget as open data', supports: 12, comments: 3 }),
  idea({ id: 2, title: 'A public register of lobbyists’ meetings', theme: { id: 3, name: 'Access to information', description: '', position: 2 }, supports: 1, comments: 1 }),
];
const page2 = [idea({ id: 3, title: 'Citizens’ assembly on the harbour plan', channel: 'workshop', contributor: 'Harbour residents’ group' })];

function api(roles = 403) {
  return router({
    [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(200, settings()),
    [`GET /api/v1/processes/${slug}/roles`]: () => (roles === 200 ? json(200, { items: [] }) : json(roles, { error: { code: 'auth.forbidden', message: 'x' } })),
    [`GET /api/v1/processes/${slug}/ideas`]: (req) => {
      const cursor = new URL(req.url).searchParams.get('cursor');
      return json(200, cursor ? { items: page2, next_cursor: null } : { items: page1, next_cursor: 'c2' });
    },
  });
}

describe('IdeasPage', () => {
  const fetchMock = stubNetwork();
  beforeEach(() => localStorage.clear());
  afterEach(() => clearSession());

  it('lists ideas in a random order of its own, kept from visit to visit', async () => {
    const { handle, seen } = api();
    fetchMock.mockImplementation(handle);
    const first = renderAt(`/processes/${slug}/ideas`);

    const list = await screen.findByRole('region', { name: 'Proposed ideas' });
    const card = (await within(list).findByRole('link', { name: 'Publish the city budget as open data' })).closest('li')!;
    expect(within(card).getByRole('link').getAttribute('href')).toBe(`/processes/${slug}/ideas/1`);
    expect(card.textContent).toContain('Open budgets');
    expect(card.textContent).toContain('Submitted');
    expect(card.textContent).toContain('12 supports · 3 comments · by Bea Costa');
    expect(screen.getByText('Each person can support up to 3 ideas.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Propose an idea' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/new`);
    // Signed out: no "mine" filters and no settings link.
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('link', { name: 'Idea settings' })).toBeNull();

    const lists = seen.filter((r) => r.path.startsWith(`/api/v1/processes/${slug}/ideas?`));
    const q = query(lists[0].path);
    expect(q.get('sort')).toBe('random');
    const seed = q.get('seed');
    expect(seed).toMatch(/^[1-9]\d*$/);
    expect(localStorage.getItem('cocreate.ideaSeed')).toBe(seed);

    // "Load more" continues with the cursor and the keyboard lands on the first new idea.
    fireEvent.click(screen.getByRole('button', { name: 'Load more ideas' }));
    const more = await within(list).findByRole('link', { name: 'Citizens’ assembly on the harbour plan' });
    await waitFor(() => expect(document.activeElement).toBe(more));
    expect(more.closest('li')!.textContent).toContain('by Harbour residents’ group');
    const next = query(seen.filter((r) => r.path.includes('cursor=')).at(-1)!.path);
    expect([next.get('cursor'), next.get('seed')]).toEqual(['c2', seed]);
    expect(screen.queryByRole('button', { name: 'Load more ideas' })).toBeNull();
    expect(within(list).getByRole('status').textContent).toBe('3 ideas shown.');

    // Another visit: the same seed.
    first.unmount();
    renderAt(`/processes/${slug}/ideas`);
    await screen.findAllByRole('link', { name: 'Publish the city budget as open data' });
    expect(query(seen.filter((r) => r.path.startsWith(`/api/v1/processes/${slug}/ideas?`)).at(-1)!.path).get('seed')).toBe(seed);
  });

  it('keeps filters, search and order in the address and sends them', async () => {
    signIn();
    const { handle, seen } = api();
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas?status=accepted&q=budget`);

    await screen.findByRole('link', { name: 'Publish the city budget as open data' });
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('accepted');
    expect((screen.getByRole('searchbox', { name: 'Search the ideas' }) as HTMLInputElement).value).toBe('budget');
    let q = query(seen.filter((r) => r.path.includes('/ideas?')).at(-1)!.path);
    // While searching, the best match comes first unless another order is chosen.
    expect([q.get('status'), q.get('q'), q.get('sort')]).toEqual(['accepted', 'budget', 'relevant']);
    expect((screen.getByRole('combobox', { name: 'Order' }) as HTMLSelectElement).value).toBe('relevant');

    fireEvent.change(await screen.findByRole('combobox', { name: 'Theme' }), { target: { value: '3' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Order' }), { target: { value: 'supported' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ideas I support' }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the ideas' }), { target: { value: 'lobby' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => {
      const where = new URL(`http://x${screen.getByTestId('where').textContent}`).searchParams;
      expect(Object.fromEntries(where)).toEqual({ status: 'accepted', q: 'lobby', theme: '3', sort: 'supported', supported: '1' });
    });
    await waitFor(() => {
      q = query(seen.filter((r) => r.path.includes('/ideas?')).at(-1)!.path);
      expect(Object.fromEntries(q)).toEqual({ theme: '3', status: 'accepted', supported: 'true', q: 'lobby', sort: 'supported', limit: '20' });
    });
    expect(screen.getByRole('checkbox', { name: 'My ideas' })).toBeTruthy();
  });

  it('links owners to the idea settings', async () => {
    signIn();
    const { handle } = api(200);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/ideas`);
    expect((await screen.findByRole('link', { name: 'Idea settings' })).getAttribute('href')).toBe(`/processes/${slug}/ideas/settings`);
  });
});
