import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { DraftsAdminPage } from './DraftsAdminPage';
import { account, doc, process, router, slug } from './fixtures';

function renderAt(path = `/processes/${slug}/drafts`) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/drafts" element={<DraftsAdminPage />} />
      <Route path="/documents/:id/import" element={<p>Import page</p>} />
    </Routes>,
    path,
  );
}

function signIn(admin: boolean) {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account: { ...account, admin } });
}

describe('DraftsAdminPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('lists each document with its published and unpublished versions', async () => {
    signIn(true);
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/documents`]: () => json(200, { items: [{ ...doc(), versions: [] }] }),
      'GET /api/v1/documents/7': () => json(200, doc()),
    });
    fetchMock.mockImplementation(handle);
    renderAt();
    const card = await screen.findByRole('article', { name: 'Draft plan 2027' });
    const versions = within(card).getByRole('list', { name: 'Versions of “Draft plan 2027”' });
    const rows = within(versions).getAllByRole('listitem');
    expect(rows[0].textContent).toContain('Version 1');
    expect(rows[0].textContent).toContain('from Markdown');
    expect(within(rows[0]).getByRole('link', { name: 'Read version 1 of “Draft plan 2027”' }).getAttribute('href')).toBe('/documents/7/v/1');
    expect(rows[1].textContent).toContain('Not published');
    expect(rows[1].textContent).toContain('from a Word file');
    expect(within(rows[1]).getByRole('link', { name: 'Preview and publish version 2 of “Draft plan 2027”' }).getAttribute('href')).toBe('/documents/7/v/2/preview');
    expect(within(card).getByRole('link', { name: 'Import a new version of “Draft plan 2027”' }).getAttribute('href')).toBe('/documents/7/import');
    expect(within(card).getByText('Importing replaces unpublished version 2.')).toBeTruthy();
  });

  it('creates a document and goes on to import its first version; an empty title is refused in place', async () => {
    signIn(true);
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/documents`]: () => json(200, { items: [] }),
      [`POST /api/v1/processes/${slug}/documents`]: () => json(201, doc({ id: 9, versions: [], title: 'Second plan' })),
    });
    fetchMock.mockImplementation(handle);
    renderAt();
    await screen.findByText('This process has no document yet. Create one below.');
    const language = screen.getByLabelText('Language of the draft') as HTMLSelectElement;
    expect(Array.from(language.options).map((o) => o.value)).toEqual(['en', 'fr']);

    fireEvent.click(screen.getByRole('button', { name: 'Create and import its first version' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Some fields need attention.');
    const title = screen.getByLabelText('Title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.change(title, { target: { value: '  Second plan ' } });
    fireEvent.change(language, { target: { value: 'fr' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create and import its first version' }));
    await screen.findByText('Import page');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ title: 'Second plan', language: 'fr' });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('tells someone who does not manage the process that they may not', async () => {
    signIn(false);
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'process.forbidden', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt();
    await screen.findByText("Only this process's owners and administrators manage its drafts.");
    expect(seen.some((r) => r.path.endsWith('/documents'))).toBe(false);
  });
});
