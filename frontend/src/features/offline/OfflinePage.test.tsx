import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { clearSession, setSession } from '../../api/session';
import { account, process } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { checkOffline, multipartBody, today, type OfflineDraft } from './mutations';
import { OfflinePage } from './OfflinePage';
import type { OfflineEntry } from './queries';

const slug = process.slug;
// A date received: yesterday, wherever the test runs.
const yesterday = today(new Date(Date.now() - 86_400_000));
const yesterdayShown = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(`${yesterday}T12:00:00Z`));
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Version = components['schemas']['Version'];

const version: Version = {
  document_id: 7,
  title: 'Draft plan 2027',
  language: 'en',
  number: 2,
  latest: true,
  source_format: 'markdown',
  note: '',
  opens_at: null,
  closes_at: null,
  created_at: '2027-03-01T00:00:00Z',
  published_at: '2027-03-02T00:00:00Z',
  commenting: true,
  orphaned_count: 0,
  dropped: [],
  blocks: [
    { key: 'k-intro', kind: 'heading', level: 1, section: '1.', text: '1. Introduction', change: 'same', similarity: null, counts: null },
    { key: 'k-water', kind: 'paragraph', level: 0, section: '', text: 'Clean water for all districts', change: 'same', similarity: null, counts: null },
  ],
};

const entered: OfflineEntry = {
  kind: 'comment',
  id: 301,
  title: null,
  excerpt: 'Publish the budgets weekly.',
  channel: 'paper',
  contributor: "Harbour Residents' Association",
  received_on: yesterday,
  created_at: '2027-03-15T09:00:00Z',
  state: 'published',
  document_id: 7,
  paragraph_key: 'k-water',
  entered_by: 'Larkhaven Open Government Office',
  attachment: { id: 9, filename: 'letter.pdf', content_type: 'application/pdf', size_bytes: 2048, url: '/api/v1/contribution-attachments/9' },
};

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** network answers the page's requests; post answers the entry (its body is a multipart form, kept as text). */
function network(post: (n: number) => Response, entries: () => OfflineEntry[] = () => []) {
  const seen: Seen[] = [];
  let posts = 0;
  const handle = async (req: Request) => {
    const url = new URL(req.url);
    seen.push({ method: req.method, path: url.pathname + url.search, headers: req.headers, body: req.method === 'GET' ? '' : await req.clone().text() });
    const path = url.pathname;
    if (req.method === 'POST' && path === `/api/v1/processes/${slug}/offline/comments`) return post(++posts);
    if (req.method === 'GET') {
      if (path === `/api/v1/processes/${slug}`) return json(200, process);
      if (path === `/api/v1/processes/${slug}/offline`) return json(200, { items: entries(), next_cursor: null });
      if (path === `/api/v1/processes/${slug}/documents`)
        return json(200, { items: [{ id: 7, process_slug: slug, title: 'Draft plan 2027', language: 'en', latest_number: 2, created_at: '2027-03-01T00:00:00Z', versions: [] }] });
      if (path === '/api/v1/documents/7/versions/latest') return json(200, version);
      if (path === `/api/v1/processes/${slug}/idea-settings`)
        return json(200, { support_limit: 0, one_per_theme: false, themes: [], phase: null, open: false });
    }
    return json(404, { error: { code: 'route.not_found', message: `${req.method} ${path}` } });
  };
  return { handle, seen };
}

function renderPage() {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/offline" element={<OfflinePage />} />
    </Routes>,
    `/processes/${slug}/offline`,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

async function fillComment(file?: File) {
  fireEvent.change(await screen.findByRole('combobox', { name: 'How it was received' }), { target: { value: 'paper' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Contributor\'s name or organisation (optional)' }), { target: { value: "Harbour Residents' Association" } });
  fireEvent.change(screen.getByLabelText('Date received'), { target: { value: yesterday } });
  fireEvent.change(screen.getByRole('combobox', { name: 'Draft' }), { target: { value: '7' } });
  const para = await screen.findByRole('combobox', { name: 'Paragraph' });
  // A heading's number is the start of its text, as the document wrote it: it is named once.
  expect(within(para).getAllByRole('option').map((o) => o.textContent).slice(1)).toEqual(['1. Introduction', 'Clean water for all districts']);
  fireEvent.change(para, { target: { value: 'k-water' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'What they wrote or said' }), { target: { value: 'Publish the budgets weekly.' } });
  if (file) fireEvent.change(screen.getByLabelText('Scan of the original (optional)'), { target: { files: [file] } });
}

describe('OfflinePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('refuses before sending what the server would refuse, marking each field', async () => {
    signIn();
    const { handle, seen } = network(() => json(500, {}));
    fetchMock.mockImplementation(handle);
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Enter the contribution' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Some fields need attention.');
    expect(screen.getByRole('combobox', { name: 'How it was received' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Date received').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('combobox', { name: 'Draft' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('textbox', { name: 'What they wrote or said' }).getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    // The date field says which dates it takes.
    expect(screen.getByLabelText('Date received').getAttribute('max')).toBe(today());
  });

  it('enters a comment received by post with its scan, in one request a retry repeats byte for byte', async () => {
    signIn();
    let listed: OfflineEntry[] = [];
    const { handle, seen } = network(
      (n) => {
        if (n === 1) return json(503, { error: { code: 'service.unavailable', message: 'x' } });
        if (n === 2) return json(422, { error: { code: 'comment.invalid', message: 'x', fields: [{ field: 'received_on', code: 'future', message: 'x' }] } });
        listed = [entered];
        return json(201, entered);
      },
      () => listed,
    );
    fetchMock.mockImplementation(handle);
    renderPage();
    const scan = new File(['%PDF-1.4 letter'], 'letter "from" the association.pdf', { type: 'application/pdf' });
    await fillComment(scan);
    expect(screen.getByText(/^Chosen: letter "from" the association.pdf/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Enter the contribution' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The service is busy. Try again in a moment.');
    fireEvent.click(screen.getByRole('button', { name: 'Enter the contribution' }));
    // The server's refusal shows at its field; what was typed stays.
    await waitFor(() => expect(screen.getByLabelText('Date received').getAttribute('aria-invalid')).toBe('true'));
    const date = screen.getByLabelText('Date received');
    const described = (date.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('This date is in the future.');
    expect((screen.getByRole('textbox', { name: 'What they wrote or said' }) as HTMLTextAreaElement).value).toBe('Publish the budgets weekly.');

    fireEvent.click(screen.getByRole('button', { name: 'Enter the contribution' }));
    const notice = await screen.findByText(/^Entered: /);
    expect(notice.textContent).toContain('“Publish the budgets weekly.”');
    expect(within(notice).getByRole('link', { name: 'See it on the draft' }).getAttribute('href')).toBe('/documents/7#p-k-water');
    await waitFor(() => expect(document.activeElement).toBe(notice));

    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    const key = posts[0].headers.get('Idempotency-Key')!;
    expect(key).toMatch(uuid);
    // The same submission after a failure is a retry: the same key, the same bytes.
    for (const p of posts) {
      expect(p.headers.get('Idempotency-Key')).toBe(key);
      expect(p.headers.get('Content-Type')).toBe(`multipart/form-data; boundary=cocreate-${key}`);
      expect(p.body).toBe(posts[0].body);
    }
    const body = posts[0].body;
    const fields = JSON.parse(body.split('\r\n\r\n')[1].split('\r\n')[0]);
    expect(fields).toEqual({
      channel: 'paper',
      received_on: yesterday,
      body: 'Publish the budgets weekly.',
      contributor: "Harbour Residents' Association",
      document_id: 7,
      paragraph_key: 'k-water',
      version: 2,
    });
    expect(body).toContain('Content-Disposition: form-data; name="file"; filename="letter _from_ the association.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 letter\r\n');
    expect(body.endsWith(`--cocreate-${key}--\r\n`)).toBe(true);

    // The list shows it; the next letter keeps the channel, the date and the draft.
    const list = await screen.findByRole('region', { name: 'Entered so far' });
    await waitFor(() => expect(list.textContent).toContain(`Received by post from Harbour Residents' Association on ${yesterdayShown}.`));
    expect(within(list).getByRole('button', { name: /^Download the scan letter.pdf/ })).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'What they wrote or said' }) as HTMLTextAreaElement).value).toBe('');
    expect((screen.getByRole('combobox', { name: 'How it was received' }) as HTMLSelectElement).value).toBe('paper');
    expect((screen.getByLabelText('Date received') as HTMLInputElement).value).toBe(yesterday);
  });

  it('tells others it is not theirs to enter', async () => {
    signIn();
    fetchMock.mockImplementation(async (req: Request) =>
      new URL(req.url).pathname.endsWith('/offline') ? json(403, { error: { code: 'offline.forbidden', message: 'x' } }) : json(200, process),
    );
    renderPage();
    expect(await screen.findByText("Only the process's owners and administrators enter contributions received offline.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Enter the contribution' })).toBeNull();
  });
});

describe('checkOffline', () => {
  const base: OfflineDraft = { kind: 'idea', channel: 'phone', contributor: ' ', receivedOn: '2027-03-16', documentId: '', paragraphKey: '', title: ' Benches ', themeId: '3', body: 'More benches', file: null };
  const now = new Date(2027, 2, 16, 9, 0);

  it('takes today, not tomorrow, and leaves an empty contributor out', () => {
    expect(checkOffline(base, undefined, now)).toEqual({ channel: 'phone', received_on: '2027-03-16', body: 'More benches', title: 'Benches', theme_id: 3 });
    expect(() => checkOffline({ ...base, receivedOn: '2027-03-17' }, undefined, now)).toThrow('offline.invalid');
  });

  it('refuses a file that is neither a PDF nor an image', () => {
    const file = new File(['x'], 'notes.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    try {
      checkOffline({ ...base, file }, undefined, now);
      expect.unreachable();
    } catch (e) {
      expect((e as { fields: { field: string; code: string }[] }).fields).toEqual([{ field: 'file', code: 'type', message: '' }]);
    }
  });

  it('builds a multipart body without a file', async () => {
    const bytes = await multipartBody('b', { a: 1 }, null);
    expect(new TextDecoder().decode(bytes)).toBe('--b\r\nContent-Disposition: form-data; name="contribution"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--b--\r\n');
  });
});
