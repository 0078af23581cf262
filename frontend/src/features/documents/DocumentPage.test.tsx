import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { DocumentPage } from './DocumentPage';
import { account, comment, doc, router, version, waterText } from './fixtures';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/documents/:id" element={<DocumentPage />} />
      <Route path="/documents/:id/v/:number" element={<DocumentPage />} />
      <Route path="/login" element={<h1>Sign-in page</h1>} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

const reads = {
  'GET /api/v1/documents/7': () => json(200, doc),
  'GET /api/v1/processes/plan-2027': () => json(404, { error: { code: 'process.not_found', message: 'x' } }),
};

async function openThread(name = '3 comments') {
  fireEvent.click(await screen.findByRole('button', { name }));
  return screen.findByRole('region', { name: 'Comments on this paragraph' });
}

describe('DocumentPage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('renders the blocks with their counts and link targets', async () => {
    const { handle } = router({ ...reads, 'GET /api/v1/documents/7/versions/latest': () => json(200, version()) });
    fetchMock.mockImplementation(handle);
    const { container } = renderAt('/documents/7');

    expect(await screen.findByRole('heading', { level: 1, name: 'Draft plan 2027' })).toBeTruthy();
    // Headings are offset so the page's h1 stays the document's title.
    expect(screen.getByRole('heading', { level: 2, name: 'Introduction' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Milestones' })).toBeTruthy();
    for (const key of ['k-intro', 'k-water', 'k-m1', 'k-q', 'k-t2']) expect(container.querySelector(`#p-${key}`), key).toBeTruthy();

    const water = container.querySelector('#p-k-water') as HTMLElement;
    expect(within(water).getByText(waterText).tagName).toBe('P');
    const count = within(water).getByRole('button', { name: '3 comments' });
    expect(count.getAttribute('aria-expanded')).toBe('false');
    expect(within(water).getByText('2 agree, 1 disagree')).toBeTruthy();
    expect(within(water).getByText('Edited')).toBeTruthy(); // changed since version 1
    expect(screen.getByRole('button', { name: '1 comment' })).toBeTruthy();

    const list = container.querySelector('ul.block-list') as HTMLElement;
    expect(within(list).getAllByRole('listitem').map((li) => li.id)).toEqual(['p-k-m1', 'p-k-m2']);
    expect(container.querySelector('blockquote #p-k-q, #p-k-q blockquote')?.textContent).toContain('Sunlight');
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'Dataset' })).toBeTruthy();
    expect(within(table).getByRole('cell', { name: 'March 2027' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'What changed from version 1 to version 2' }).getAttribute('href')).toBe('/documents/7/diff?from=1&to=2');
    expect(screen.getByRole('button', { name: 'Comment on selected text' }).getAttribute('aria-keyshortcuts')).toBe('Alt+C');
  });

  it('opens a thread with nested replies, a tombstone, the quote and a fuzzy notice', async () => {
    const items = [
      comment({ id: 10, author: { id: 5, name: 'Bea Costa' }, written_on: 'Clean 🌊 water for all, and rivers', body_html: '<p>Say <strong>which</strong> districts</p>', quote: { exact: 'water for all', prefix: '', suffix: '', start: 8, end: 21 }, anchor: { version: 2, key: 'k-water', status: 'fuzzy', confidence: 0.7, start: 8, end: 21 }, version: 1 }),
      comment({ id: 11, parent_id: 10, root_id: 10, depth: 1, author: { id: 6, name: 'Caio' }, body_html: '<p>Agreed</p>' }),
      comment({ id: 12, deleted: true, author: null, body: '', body_html: '' }),
      comment({ id: 13, parent_id: 12, root_id: 12, depth: 1, author: { id: 7, name: 'Dana' }, body_html: '<p>Still here</p>' }),
    ];
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items, next_cursor: null }),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    expect(screen.getByRole('button', { name: '3 comments' }).getAttribute('aria-expanded')).toBe('true');
    await within(thread).findByText('Bea Costa');
    expect(seen.some((r) => r.path === '/api/v1/documents/7/paragraphs/k-water/comments')).toBe(true);
    expect(within(thread).getByText('which').tagName).toBe('STRONG'); // the server's sanitised HTML
    expect(within(thread).getByText('water for all', { selector: '.comment-quote q' })).toBeTruthy();
    expect(within(thread).getByText('The text changed since this comment; it may refer to slightly different words')).toBeTruthy();
    expect(within(thread).getByText('on version 1')).toBeTruthy();
    // The text it was written on is a click away, its phrase marked.
    expect(within(thread).getByText('See the text it was written on').tagName).toBe('SUMMARY');
    expect(within(thread).getByText('water for all', { selector: 'mark' })).toBeTruthy();

    // Replies nest under their parent; the deleted comment's reply stays.
    const caio = within(thread).getByRole('article', { name: 'Comment by Caio' });
    expect(within(caio.closest('li.comment-node')!.parentElement!.closest('li')!).getByText('Bea Costa')).toBeTruthy();
    const tomb = within(thread).getByText('Comment deleted');
    const tombItem = tomb.closest('li')!;
    expect(within(tombItem).getByText('Still here')).toBeTruthy();
    expect(within(tombItem).queryByRole('button', { name: /Agree/ })).toBeNull();

    // Signed out: counts only, and a way to sign in.
    expect(within(thread).queryByRole('button', { name: 'Reply' })).toBeNull();
    expect(within(thread).getByRole('link', { name: 'Sign in to comment' }).getAttribute('href')).toBe('/login');

    // Escape closes the thread and gives the focus back to the count.
    fireEvent.keyDown(thread, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Comments on this paragraph' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: '3 comments' })));
  });

  it('posts a comment with an Idempotency-Key, keeping the key when retrying after a failure', async () => {
    signIn();
    let posts = 0;
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/documents/7/comments': () =>
        ++posts === 1 ? json(503, { error: { code: 'service.unavailable', message: 'busy' } }) : json(201, comment({ id: 20, author: { id: 42, name: 'Ana Lima' } })),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    await within(thread).findByText('No comments on this paragraph yet.');
    fireEvent.change(within(thread).getByLabelText('Your comment on this paragraph'), { target: { value: 'Name the *districts*.' } });
    fireEvent.click(within(thread).getByRole('button', { name: 'Post comment' }));
    expect((await within(thread).findByRole('alert')).textContent).toContain('The service is busy.');

    fireEvent.click(within(thread).getByRole('button', { name: 'Post comment' }));
    expect((await within(thread).findByRole('status')).textContent).toBe('Your comment is published.');

    const sent = seen.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(2);
    for (const r of sent) {
      expect(r.body).toEqual({ paragraph_key: 'k-water', version: 2, body: 'Name the *districts*.' });
      expect(r.headers.get('Authorization')).toBe('Bearer token');
    }
    const key = sent[0].headers.get('Idempotency-Key')!;
    expect(key).toMatch(uuid);
    expect(sent[1].headers.get('Idempotency-Key')).toBe(key);
    expect((within(thread).getByLabelText('Your comment on this paragraph') as HTMLTextAreaElement).value).toBe('');

    // The thread and the counts are read again, revalidating past the browser cache.
    await waitFor(() => expect(seen.filter((r) => r.path.endsWith('/versions/latest')).length).toBe(2));
    const threadReads = fetchMock.mock.calls.map((c) => c[0]).filter((r) => r.url.endsWith('/paragraphs/k-water/comments'));
    expect(threadReads.length).toBe(2);
    expect(threadReads[1].cache).toBe('no-cache');
  });

  it('comments on a selected phrase, with offsets in code points', async () => {
    signIn();
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/documents/7/comments': () => json(201, comment({ id: 21, author: { id: 42, name: 'Ana Lima' } })),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    // Alt+C with nothing selected says what to do.
    await screen.findByRole('heading', { level: 1 });
    fireEvent.keyDown(document.body, { key: 'c', code: 'KeyC', altKey: true });
    expect(screen.getByRole('status').textContent).toContain('Select some words inside one paragraph first');

    // Select "water for all", after an emoji (two UTF-16 units, one code point).
    const text = screen.getByText(waterText);
    const range = document.createRange();
    range.setStart(text.firstChild!, waterText.indexOf('water'));
    range.setEnd(text.firstChild!, waterText.indexOf(' districts'));
    act(() => {
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      document.dispatchEvent(new Event('selectionchange'));
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Comment on this phrase' }));

    const thread = await screen.findByRole('region', { name: 'Comments on this paragraph' });
    const box = within(thread).getByLabelText('Your comment on these words');
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(within(thread).getByText('You are commenting on the words:')).toBeTruthy();
    expect(within(thread).getByText('water for all').tagName).toBe('Q');
    fireEvent.change(box, { target: { value: 'Include rivers.' } });
    fireEvent.click(within(thread).getByRole('button', { name: 'Post comment' }));
    await within(thread).findByText('Your comment is published.');

    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ paragraph_key: 'k-water', version: 2, body: 'Include rivers.', quote: { exact: 'water for all', start: 8, end: 21 } });
    expect(post.headers.get('Idempotency-Key')).toMatch(uuid);
    // The quote is gone from the form once posted.
    expect(within(thread).queryByText('You are commenting on the words:')).toBeNull();
  });

  it('shows an Arabic draft right to left, and comments on an Arabic phrase with offsets in code points', async () => {
    signIn();
    const arabic = 'نَشْرُ الميزانية العامة 🌍 كل شهر';
    const v = version({ title: 'مسودة الخطة', language: 'ar' });
    v.blocks = v.blocks.map((b) => (b.key === 'k-water' ? { ...b, text: arabic } : b));
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, v),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/documents/7/comments': () => json(201, comment({ id: 22, author: { id: 42, name: 'Ana Lima' } })),
    });
    fetchMock.mockImplementation(handle);
    const { container } = renderAt('/documents/7');

    const title = await screen.findByRole('heading', { level: 1, name: 'مسودة الخطة' });
    expect(title.getAttribute('dir')).toBe('rtl');
    const reader = container.querySelector('.reader-text')!;
    expect(reader.getAttribute('dir')).toBe('rtl');
    expect(reader.getAttribute('lang')).toBe('ar');

    // "كل شهر" comes after short vowels (one code point each) and an emoji (two UTF-16 units).
    const text = screen.getByText(arabic);
    const range = document.createRange();
    range.setStart(text.firstChild!, arabic.indexOf('كل شهر'));
    range.setEnd(text.firstChild!, arabic.length);
    act(() => {
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      document.dispatchEvent(new Event('selectionchange'));
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Comment on this phrase' }));
    const thread = await screen.findByRole('region', { name: 'Comments on this paragraph' });
    fireEvent.change(within(thread).getByLabelText('Your comment on these words'), { target: { value: 'موافق' } });
    fireEvent.click(within(thread).getByRole('button', { name: 'Post comment' }));
    await within(thread).findByText('Your comment is published.');
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ paragraph_key: 'k-water', version: 2, body: 'موافق', quote: { exact: 'كل شهر', start: 26, end: 32 } });
    expect(Array.from(arabic).slice(26, 32).join('')).toBe('كل شهر');
  });

  it('toggles agree and disagree votes, with aria-pressed and fresh keys', async () => {
    signIn();
    let c = comment({ id: 10, agree: 2, disagree: 0 });
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: { '10': 'agree' } }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [c], next_cursor: null }),
      'DELETE /api/v1/comments/10/vote': () => {
        c = { ...c, agree: 1 };
        return json(200, { comment_id: 10, agree: 1, disagree: 0, mine: null });
      },
      'PUT /api/v1/comments/10/vote': () => {
        c = { ...c, disagree: 1 };
        return json(200, { comment_id: 10, agree: 1, disagree: 1, mine: 'disagree' });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    const agree = await within(thread).findByRole('button', { name: 'Agree 2' });
    await waitFor(() => expect(agree.getAttribute('aria-pressed')).toBe('true'));
    const disagree = within(thread).getByRole('button', { name: 'Disagree 0' });
    expect(disagree.getAttribute('aria-pressed')).toBe('false');

    // Pressing the active vote again takes it back.
    fireEvent.click(agree);
    await waitFor(() => expect(within(thread).getByRole('button', { name: 'Agree 1' }).getAttribute('aria-pressed')).toBe('false'));

    fireEvent.click(within(thread).getByRole('button', { name: 'Disagree 0' }));
    await waitFor(() => expect(within(thread).getByRole('button', { name: 'Disagree 1' }).getAttribute('aria-pressed')).toBe('true'));
    expect(within(thread).getByRole('button', { name: 'Agree 1' }).getAttribute('aria-pressed')).toBe('false');

    const writes = seen.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v1/comments/10/vote', 'PUT /api/v1/comments/10/vote']);
    expect(writes[1].body).toEqual({ value: 'disagree' });
    const keys = writes.map((r) => r.headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(uuid);
    expect(keys[1]).toMatch(uuid);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('edits and deletes one’s own comment, translating a stale revision', async () => {
    signIn();
    let c = comment({ id: 30, author: { id: 42, name: 'Ana Lima' }, body: 'First words', body_html: '<p>First words</p>', revision: 3 });
    const other = comment({ id: 31, author: { id: 5, name: 'Bea Costa' }, depth: 3, parent_id: 30, root_id: 30 });
    let patches = 0;
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [c, other], next_cursor: null }),
      'PATCH /api/v1/comments/30': () => {
        if (++patches === 1) return json(409, { error: { code: 'comment.stale_revision', message: 'x' } });
        c = { ...c, body: 'Better words', body_html: '<p>Better words</p>', revision: 4 };
        return json(200, c);
      },
      'DELETE /api/v1/comments/30': () => {
        c = { ...c, deleted: true, author: null, body: '', body_html: '' };
        return new Response(null, { status: 204 });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    const mine = await within(thread).findByRole('article', { name: 'Comment by Ana Lima' });
    const theirs = within(thread).getByRole('article', { name: 'Comment by Bea Costa' });
    expect(within(theirs).queryByRole('button', { name: 'Edit' })).toBeNull();
    // At the deepest level there is no reply button, and the page says why.
    expect(within(theirs).queryByRole('button', { name: 'Reply' })).toBeNull();
    expect(within(theirs).getByText('Replies can go 3 levels deep')).toBeTruthy();

    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    const box = within(mine).getByLabelText('Edit your comment') as HTMLTextAreaElement;
    expect(box.value).toBe('First words');
    fireEvent.change(box, { target: { value: 'Better words' } });
    fireEvent.click(within(mine).getByRole('button', { name: 'Save changes' }));
    expect((await within(mine).findByRole('alert')).textContent).toContain('This comment was changed elsewhere since you opened it.');
    fireEvent.click(within(mine).getByRole('button', { name: 'Save changes' }));
    await within(thread).findByText('Better words');

    const patchesSent = seen.filter((r) => r.method === 'PATCH');
    expect(patchesSent.map((r) => r.body)).toEqual([
      { body: 'Better words', revision: 3 },
      { body: 'Better words', revision: 3 },
    ]);
    expect(patchesSent[0].headers.get('Idempotency-Key')).toMatch(uuid);

    // Deleting asks first (after the refetch that follows the edit has settled).
    fireEvent.click(await within(thread).findByRole('button', { name: 'Delete' }));
    expect(within(thread).getByText('Delete this comment? Its replies stay visible.')).toBeTruthy();
    fireEvent.click(within(thread).getByRole('button', { name: 'Yes, delete it' }));
    await within(thread).findByText('Comment deleted');
    const del = seen.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe('/api/v1/comments/30');
    expect(del.headers.get('Idempotency-Key')).toMatch(uuid);
    expect(within(thread).getByRole('article', { name: 'Comment by Bea Costa' })).toBeTruthy();
  });

  it('tells the author that an edit waits for a moderator, beside the published text, and nobody else', async () => {
    signIn();
    let c = comment({ id: 30, author: { id: 42, name: 'Ana Lima' }, body: 'First words', body_html: '<p>First words</p>', revision: 3 });
    const other = comment({ id: 31, author: { id: 5, name: 'Bea Costa' }, parent_id: 30, root_id: 30, depth: 1, edit_pending: true });
    const { handle, seen } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [c, other], next_cursor: null }),
      'PATCH /api/v1/comments/30': () => {
        // The screen held the edit: the published text stays, the edit waits.
        c = { ...c, revision: 4, edit_pending: true };
        return json(200, { ...c, pending_body: 'Words a moderator must see' });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    const mine = await within(thread).findByRole('article', { name: 'Comment by Ana Lima' });
    const theirs = within(thread).getByRole('article', { name: 'Comment by Bea Costa' });
    expect(within(mine).queryByText(/Your edit is waiting for a moderator/)).toBeNull();
    expect(within(theirs).queryByText(/Your edit is waiting for a moderator/)).toBeNull();

    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    fireEvent.change(within(mine).getByLabelText('Edit your comment'), { target: { value: 'Words a moderator must see' } });
    fireEvent.click(within(mine).getByRole('button', { name: 'Save changes' }));
    const said = await within(mine).findByRole('status');
    expect(said.textContent).toBe('Your changes are saved. Your edit is waiting for a moderator.');
    await within(mine).findByText('Your edit is waiting for a moderator. Until it is approved, everyone else reads the text above.');
    expect(within(mine).getByText('First words')).toBeTruthy();
    expect(within(thread).queryByText('Words a moderator must see')).toBeNull();
    expect(within(theirs).queryByText(/Your edit is waiting/)).toBeNull();
    expect(seen.find((r) => r.method === 'PATCH')?.body).toEqual({ body: 'Words a moderator must see', revision: 3 });

    // Editing again starts from the edit that waits, on the new revision.
    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    expect((within(mine).getByLabelText('Edit your comment') as HTMLTextAreaElement).value).toBe('Words a moderator must see');
  });

  it('translates the refusal to edit a comment a moderator decided on', async () => {
    signIn();
    const c = comment({ id: 30, author: { id: 42, name: 'Ana Lima' }, body: 'First words', body_html: '<p>First words</p>' });
    const { handle } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version()),
      'GET /api/v1/documents/7/my-votes': () => json(200, { votes: {} }),
      'GET /api/v1/documents/7/paragraphs/k-water/comments': () => json(200, { items: [c], next_cursor: null }),
      'PATCH /api/v1/comments/30': () => json(409, { error: { code: 'comment.moderated', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');

    const thread = await openThread();
    const mine = await within(thread).findByRole('article', { name: 'Comment by Ana Lima' });
    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    fireEvent.change(within(mine).getByLabelText('Edit your comment'), { target: { value: 'Other words' } });
    fireEvent.click(within(mine).getByRole('button', { name: 'Save changes' }));
    expect((await within(mine).findByRole('alert')).textContent).toContain(
      'A moderator rejected, hid or redacted this comment, so it can no longer be edited.',
    );
  });

  it('shows an earlier version without counts, and comments on text that changed', async () => {
    const orphan = comment({
      id: 40,
      version: 1,
      paragraph_key: 'k-old',
      written_on: 'A paragraph 🌍 that was removed',
      quote: { exact: 'that was removed', prefix: '', suffix: '', start: 14, end: 30 },
      anchor: { version: 2, key: null, status: 'orphaned', confidence: 0, start: null, end: null },
      body_html: '<p>Keep this paragraph</p>',
    });
    const { handle } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/1': () =>
        json(200, version({ number: 1, latest: false, blocks: version().blocks.map((b) => ({ ...b, counts: null })) })),
      'GET /api/v1/documents/7/versions/latest': () => json(200, version({ orphaned_count: 1 })),
      'GET /api/v1/documents/7/orphaned-comments': () => json(200, { items: [orphan], next_cursor: null }),
    });
    fetchMock.mockImplementation(handle);
    const first = renderAt('/documents/7/v/1');
    await screen.findByRole('heading', { level: 1, name: 'Draft plan 2027' });
    expect(screen.queryByRole('button', { name: /comments?$/ })).toBeNull();
    expect(screen.getByText(/You are reading an earlier version/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Read the latest version' }).getAttribute('href')).toBe('/documents/7');
    expect(screen.getByLabelText('Version')).toBeTruthy();
    first.unmount();

    renderAt('/documents/7');
    expect((await screen.findByRole('link', { name: '1 comment on text that changed' })).getAttribute('href')).toBe('#orphaned');
    const section = screen.getByRole('region', { name: 'Comments on text that changed' });
    await within(section).findByText('Keep this paragraph');
    expect(within(section).getByText('Written on version 1, on this text:')).toBeTruthy();
    expect(within(section).getByText('that was removed', { selector: 'mark' })).toBeTruthy();
  });

  it('offers its published comments as open data: Web Annotations and CSV', async () => {
    const { handle } = router({ ...reads, 'GET /api/v1/documents/7/versions/latest': () => json(200, version()) });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7');
    const data = await screen.findByRole('region', { name: 'Open data' });
    const jsonld = within(data).getByRole('link', { name: 'Download comments as Web Annotations (JSON-LD)' });
    expect(jsonld.getAttribute('href')).toBe('/api/v1/documents/7/annotations');
    expect(jsonld.getAttribute('download')).toBe('document-7-comments.jsonld');
    expect(within(data).getByRole('link', { name: 'Download comments as a spreadsheet (CSV)' }).getAttribute('href')).toBe('/api/v1/documents/7/annotations?format=csv');
  });

  it('leads a link to #orphaned to the comments on text that changed', async () => {
    const { handle } = router({
      ...reads,
      'GET /api/v1/documents/7/versions/latest': () => json(200, version({ orphaned_count: 1 })),
      'GET /api/v1/documents/7/orphaned-comments': () => json(200, { items: [], next_cursor: null }),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/documents/7#orphaned');
    const section = await screen.findByRole('region', { name: 'Comments on text that changed' });
    await waitFor(() => expect(document.activeElement).toBe(section));
  });

  it('says when a draft does not exist', async () => {
    fetchMock.mockImplementation(async () => json(404, { error: { code: 'document.not_found', message: 'x' } }));
    renderAt('/documents/99');
    expect(await screen.findByRole('heading', { level: 1, name: 'Draft not found' })).toBeTruthy();
  });
});
