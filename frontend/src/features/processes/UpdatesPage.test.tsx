import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessUpdatePost } from '../../lib/process';
import { clearSession, setSession } from '../../api/session';
import { account, process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { UpdatesPage } from './UpdatesPage';

const slug = process.slug;
const url = `/api/v1/processes/${slug}/updates`;

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/updates" element={<UpdatesPage />} />
    </Routes>,
    path,
  );
}

function post(id: number, title: string, over: Partial<ProcessUpdatePost> = {}): ProcessUpdatePost {
  return { id, title, body: `About ${title}`, body_html: `<p>About ${title}</p>`, published_at: '2028-01-10T09:00:00Z', edited_at: null, ...over };
}

describe('UpdatesPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lists the updates for the public, a page at a time, without the owner tools', async () => {
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, viewer: { manage: false } }),
      [`GET ${url}`]: (req) =>
        new URL(req.url).searchParams.get('cursor') === 'c2' ? json(200, { items: [post(1, 'Launch')], next_cursor: null }) : json(200, { items: [post(3, 'Draft out'), post(2, 'Meeting')], next_cursor: 'c2' }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/updates`);
    expect(await screen.findByRole('heading', { level: 3, name: 'Draft out' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Post an update' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit the update/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Load more updates' }));
    const launch = await screen.findByRole('heading', { level: 3, name: 'Launch' });
    await waitFor(() => expect(document.activeElement).toBe(launch));
    expect(seen.filter((r) => r.path.startsWith(url))).toHaveLength(2);
  });

  it('lets an owner post, edit on the version read, and delete', async () => {
    setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
    let items = [post(2, 'Meeting', { edited_at: '2028-01-11T08:00:00.5Z' })];
    let posts = 0;
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, viewer: { manage: true } }),
      [`GET ${url}`]: () => json(200, { items, next_cursor: null }),
      [`POST ${url}`]: async (req) => {
        posts++;
        if (posts === 1) return json(422, { error: { code: 'update.invalid', message: 'x', fields: [{ field: 'title', code: 'max', message: 'x' }] } });
        const body = (await req.json()) as { title: string; body: string };
        items = [post(5, body.title), ...items];
        return json(201, items[0]);
      },
      [`PATCH ${url}/2`]: async (req) => {
        const body = (await req.json()) as { title: string; body: string };
        items = items.map((u) => (u.id === 2 ? { ...u, ...body, edited_at: '2028-01-12T08:00:00Z' } : u));
        return json(200, items.find((u) => u.id === 2));
      },
      [`DELETE ${url}/2`]: () => {
        items = items.filter((u) => u.id !== 2);
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/updates`);

    const form = (await screen.findByRole('heading', { name: 'Post an update' })).closest('section') as HTMLElement;
    fireEvent.click(within(form).getByRole('button', { name: 'Post the update' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.change(within(form).getByRole('textbox', { name: 'Title' }), { target: { value: 'A very long title' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Text' }), { target: { value: 'News **here**' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Post the update' }));
    await waitFor(() => expect(within(form).getByRole('textbox', { name: 'Title' }).getAttribute('aria-invalid')).toBe('true'));
    expect((within(form).getByRole('textbox', { name: 'Text' }) as HTMLTextAreaElement).value).toBe('News **here**');
    fireEvent.change(within(form).getByRole('textbox', { name: 'Title' }), { target: { value: 'Workshop' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Post the update' }));
    expect(await screen.findByRole('heading', { level: 3, name: 'Workshop' })).toBeTruthy();
    const [first, second] = seen.filter((r) => r.method === 'POST');
    expect(second.body).toEqual({ title: 'Workshop', body: 'News **here**' });
    expect(first.headers.get('Idempotency-Key')).not.toBe(second.headers.get('Idempotency-Key'));
    await waitFor(() => expect((within(form).getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe(''));

    fireEvent.click(screen.getByRole('button', { name: 'Edit the update “Meeting”' }));
    const editing = await screen.findByRole('group', { name: 'Editing “Meeting”' });
    fireEvent.change(within(editing).getByRole('textbox', { name: 'Title' }), { target: { value: 'Meeting moved' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the update' }));
    const moved = await screen.findByRole('heading', { level: 3, name: 'Meeting moved' });
    await waitFor(() => expect(document.activeElement).toBe(moved));
    expect(seen.find((r) => r.method === 'PATCH')?.body).toEqual({ title: 'Meeting moved', body: 'About Meeting', edited_at: '2028-01-11T08:00:00.5Z' });

    fireEvent.click(screen.getByRole('button', { name: 'Delete the update “Meeting moved”' }));
    const confirm = await screen.findByRole('group', { name: 'Delete the update “Meeting moved”? This cannot be undone.' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('heading', { level: 3, name: 'Meeting moved' })).toBeNull());
    expect(seen.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
