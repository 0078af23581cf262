import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, process as baseProcess, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import type { RepositoryItem } from './queries';
import { RepositoryPage } from './RepositoryPage';
import { FakeXHR } from '../../test/fakeXHR';

const slug = 'larkhaven-action-plan-2027';
const process = { ...baseProcess, slug, title: 'Larkhaven action plan 2027', languages: ['en', 'fr'] };

function item(over: Partial<RepositoryItem> & { id: number }): RepositoryItem {
  return {
    kind: 'minutes',
    title: 'Minutes of the forum, 3 May',
    date: '2027-05-03',
    language: 'en',
    file: {
      name: 'minutes.pdf',
      content_type: 'application/pdf',
      size_bytes: 1_250_000,
      sha256: 'ab'.repeat(32),
      download_url: `/api/v1/repository/${over.id}/file`,
    },
    url: null,
    added_at: '2027-05-04T09:00:00Z',
    ...over,
  };
}

const review = item({
  id: 2,
  kind: 'review_report',
  title: 'Independent review',
  date: '2027-06-01',
  language: 'fr',
  file: null,
  url: 'https://review.example.org/report.pdf',
});

function page(items: RepositoryItem[]) {
  return { items, next_cursor: null, upload_max_bytes: 26_214_400 };
}

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/repository" element={<RepositoryPage />} />
    </Routes>,
    path,
  );
}

function signInAsOwner() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

describe('RepositoryPage', () => {
  const fetchMock = stubNetwork();
  beforeEach(() => {
    FakeXHR.reset();
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
  });
  afterEach(() => clearSession());

  it('lists the documents for anyone, with what each is and how to get it, and filters by kind', async () => {
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/repository`]: (req) => {
        const kind = new URL(req.url).searchParams.get('kind');
        return json(200, page(kind === 'minutes' ? [item({ id: 1 })] : [review, item({ id: 1 })]));
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/repository`);

    const download = await screen.findByRole('link', { name: 'Download Minutes of the forum, 3 May (PDF, 1.2 MB)' });
    expect(download.getAttribute('href')).toBe('/api/v1/repository/1/file');
    const open = screen.getByRole('link', { name: 'Open Independent review (on review.example.org)' });
    expect(open.getAttribute('href')).toBe('https://review.example.org/report.pdf');
    expect(open.getAttribute('rel')).toContain('noopener');
    expect(screen.getByText('Independent review report', { selector: '.theme-tag' })).toBeTruthy();
    expect(screen.getByText('June 1, 2027')).toBeTruthy();
    expect(screen.getByText('French')).toBeTruthy();
    expect(screen.getByText('2 documents shown.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download this list as a spreadsheet (CSV)' }).getAttribute('href')).toBe(
      `/api/v1/processes/${slug}/repository/export?format=csv`,
    );
    // Nobody signed in: no form, no delete.
    expect(screen.queryByRole('heading', { name: 'Add a document' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();

    fireEvent.change(screen.getByRole('combobox', { name: 'Filter by kind' }), { target: { value: 'minutes' } });
    await waitFor(() => expect(screen.queryByText('Independent review')).toBeNull());
    expect(seen.some((r) => r.path.includes('/repository?kind=minutes'))).toBe(true);
  });

  it('lets an owner upload a file with a progress indicator, keeps what was typed when the server refuses it, and says when it is added', async () => {
    signInAsOwner();
    let items = [review];
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: [] }),
      [`GET /api/v1/processes/${slug}/repository`]: () => json(200, page(items)),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/repository`);

    await screen.findByRole('heading', { name: 'Add a document' });
    const submit = screen.getByRole('button', { name: 'Upload the document' });

    // Nothing filled in: refused before anything is sent, each field says why.
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: '' } });
    fireEvent.click(submit);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/File: Choose a file to upload\./)).toBeTruthy();
    expect(within(alert).getByText(/Kind of document: Fill this in\./)).toBeTruthy();
    expect(within(alert).getByText(/Title: Fill this in\./)).toBeTruthy();
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(FakeXHR.last).toBeNull();

    const pdf = new File(['%PDF-1.4 minutes'], 'minutes.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [pdf] } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind of document' }), { target: { value: 'minutes' } });
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Minutes of the forum, 3 May' } });
    fireEvent.change(screen.getByLabelText('Date of the document'), { target: { value: '2027-05-03' } });
    expect((screen.getByLabelText('Language of the document') as HTMLInputElement).value).toBe('en');
    fireEvent.click(submit);

    await waitFor(() => expect(FakeXHR.last).not.toBeNull());
    const xhr = FakeXHR.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toMatch(new RegExp(`/api/v1/processes/${slug}/repository/files$`));
    expect(xhr.requestHeaders.Authorization).toBe('Bearer token');
    expect(xhr.body?.get('kind')).toBe('minutes');
    expect(xhr.body?.get('title')).toBe('Minutes of the forum, 3 May');
    expect(xhr.body?.get('date')).toBe('2027-05-03');
    expect((xhr.body?.get('file') as File).name).toBe('minutes.pdf');

    act(() => xhr.progress(40, 100));
    expect(await screen.findByText('Sending the file: 40%')).toBeTruthy();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(40);
    act(() => xhr.progress(100, 100));
    expect(await screen.findByText('Checking and storing the file…')).toBeTruthy();

    // The server refuses the file: the error is at the file, the rest is kept.
    act(() => xhr.answer(422, { error: { code: 'upload.type_mismatch', message: 'x', fields: [{ field: 'file', code: 'type_mismatch', message: 'x' }] } }));
    expect(await screen.findByText("The file's content does not match its name's extension.", { selector: '.field-error' })).toBeTruthy();
    expect(screen.getByText("The file's content does not match its name's extension.", { selector: '[role="alert"] p' })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Minutes of the forum, 3 May');
    expect((screen.getByRole('combobox', { name: 'Kind of document' }) as HTMLSelectElement).value).toBe('minutes');

    FakeXHR.reset();
    fireEvent.click(submit);
    await waitFor(() => expect(FakeXHR.last).not.toBeNull());
    items = [item({ id: 7 }), review];
    act(() => FakeXHR.last!.answer(201, item({ id: 7 })));
    expect(await screen.findByText('“Minutes of the forum, 3 May” was added to the repository.')).toBeTruthy();
    expect(await screen.findByRole('link', { name: /Download Minutes of the forum, 3 May/ })).toBeTruthy();
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });

  it('refuses a link that is not http(s) before sending it, and adds a good one', async () => {
    signInAsOwner();
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: [] }),
      [`GET /api/v1/processes/${slug}/repository`]: () => json(200, page([])),
      [`POST /api/v1/processes/${slug}/repository/links`]: () => json(201, review),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/repository`);

    fireEvent.click(await screen.findByRole('radio', { name: 'A link to a document published elsewhere' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Address of the document' }), { target: { value: 'javascript:alert(1)' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind of document' }), { target: { value: 'review_report' } });
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Independent review' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the link' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/Address of the document: Enter a web address that starts with https:\/\/ or http:\/\/\./)).toBeTruthy();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByRole('textbox', { name: 'Address of the document' }), { target: { value: 'https://review.example.org/report.pdf' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the link' }));
    expect(await screen.findByText('“Independent review” was added to the repository.')).toBeTruthy();
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toMatchObject({ kind: 'review_report', title: 'Independent review', url: 'https://review.example.org/report.pdf', language: 'en' });
    expect(post?.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('asks before deleting a document', async () => {
    signInAsOwner();
    let items = [item({ id: 1 })];
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: [] }),
      [`GET /api/v1/processes/${slug}/repository`]: () => json(200, page(items)),
      ['DELETE /api/v1/repository/1']: () => {
        items = [];
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/repository`);

    fireEvent.click(await screen.findByRole('button', { name: 'Delete Minutes of the forum, 3 May' }));
    const question = screen.getByText(/Delete “Minutes of the forum, 3 May” from the repository\?/);
    await waitFor(() => expect(document.activeElement).toBe(question));
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Delete Minutes of the forum, 3 May' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete the document' }));
    expect(await screen.findByText('“Minutes of the forum, 3 May” was deleted.')).toBeTruthy();
    expect(await screen.findByText('No documents have been published yet.')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
  it('refuses a file over the limit before sending it, and can cancel an upload', async () => {
    signInAsOwner();
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/roles`]: () => json(200, { items: [] }),
      [`GET /api/v1/processes/${slug}/repository`]: () => json(200, { ...page([]), upload_max_bytes: 2 * 1024 * 1024 }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/repository`);

    expect(await screen.findByText('PDF, Word, OpenDocument, spreadsheets, presentations or images, up to 2 MB.')).toBeTruthy();
    const big = new File([new Uint8Array(2 * 1024 * 1024 + 1)], 'scan.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [big] } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind of document' }), { target: { value: 'evidence' } });
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Scanned evidence' } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload the document' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('File: The file is larger than 2 MB, the most this service accepts.')).toBeTruthy();
    expect(FakeXHR.last).toBeNull();

    const small = new File(['%PDF-1.4 scan'], 'scan.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [small] } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload the document' }));
    await waitFor(() => expect(FakeXHR.last).not.toBeNull());
    act(() => FakeXHR.last!.progress(5, 10));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel the upload' }));
    expect(await screen.findByText('The upload was cancelled; nothing was stored.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Scanned evidence');
  });
});
