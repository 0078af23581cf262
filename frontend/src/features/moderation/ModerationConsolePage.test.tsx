import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import i18n from '../../i18n';
import { account, process, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { detail, houseRules, item, queue, slug } from './fixtures';
import { ModerationConsolePage } from './ModerationConsolePage';
import type { ModerationItem } from './queries';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/moderation" element={<ModerationConsolePage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

/** backend is a fake of the moderation routes over a list of items; decided items leave the queue. */
function backend(initial: ModerationItem[], decideAnswer?: (id: number, body: { version: number }) => Response | undefined) {
  let items = [...initial];
  return router({
    [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
    [`GET /api/v1/processes/${slug}/house-rules`]: () => json(200, { rules: houseRules }),
    [`GET /api/v1/processes/${slug}/roles`]: () => json(403, { error: { code: 'auth.forbidden', message: 'x' } }),
    [`GET /api/v1/processes/${slug}/moderation/queue`]: () => json(200, queue(items)),
    'GET /api/v1/moderation/items/(\\d+)': (_req, m) => {
      const it = items.find((i) => i.id === Number(m[1]));
      return it ? json(200, detail(it)) : json(404, { error: { code: 'moderation.not_found', message: 'x' } });
    },
    'POST /api/v1/moderation/items/(\\d+)/decisions': async (req, m) => {
      const id = Number(m[1]);
      const body = (await req.json()) as { version: number };
      const special = decideAnswer?.(id, body);
      if (special) return special;
      const it = items.find((i) => i.id === id)!;
      items = items.filter((i) => i.id !== id);
      return json(200, { ...it, state: 'decided', status: 'published', version: it.version + 1 });
    },
  });
}

const three = [item({ id: 1, version: 4 }), item({ id: 2, version: 7, cause: 'flags', flags: 2, campaign: true }), item({ id: 3, version: 2, cause: 'appeal' })];

describe('ModerationConsolePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('moves through the queue with j and k, and approves the open item with a, on its version', async () => {
    signIn();
    const user = userEvent.setup();
    const { handle, seen } = backend(three);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);

    const first = await screen.findByRole('button', { name: 'Comment: Comment number 1' });
    // The counts per cause are on the cause filter.
    const cause = screen.getByRole('combobox', { name: 'Cause' });
    expect(within(cause).getByRole('option', { name: 'All causes (3)' })).toBeTruthy();
    expect(within(cause).getByRole('option', { name: 'Flagged (1)' })).toBeTruthy();
    expect(within(cause).getByRole('option', { name: 'Appeal (1)' })).toBeTruthy();
    expect(screen.getByText('Possible campaign')).toBeTruthy();
    expect(screen.getByText(/2 flags/)).toBeTruthy();

    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(first));
    expect(first.getAttribute('aria-current')).toBe('true');
    await screen.findByRole('heading', { level: 2, name: 'Comment by Bea Costa' });
    await user.keyboard('j');
    const second = screen.getByRole('button', { name: 'Comment: Comment number 2' });
    await waitFor(() => expect(document.activeElement).toBe(second));
    expect(second.getAttribute('aria-current')).toBe('true');
    expect(first.getAttribute('aria-current')).toBeNull();
    await user.keyboard('k');
    await waitFor(() => expect(document.activeElement).toBe(first));
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(second));
    await screen.findByText('Comment number 2', { selector: '.item-body p' });

    // Not while typing in a field.
    const hours = screen.getByRole('spinbutton', { name: 'Waiting longer than (hours)' });
    await user.click(hours);
    await user.keyboard('jka');
    expect(document.activeElement).toBe(hours);
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    second.focus();

    await user.keyboard('a');
    const status = screen.getByRole('status');
    await waitFor(() => expect(status.textContent).toBe('Approved. Next item: Comment number 3.'));
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api/v1/moderation/items/2/decisions');
    expect(post?.body).toEqual({ outcome: 'approve', version: 7 });
    // The decided item leaves the list; the next one is open and has the focus.
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Comment: Comment number 2' })).toBeNull());
    const third = screen.getByRole('button', { name: 'Comment: Comment number 3' });
    await waitFor(() => expect(document.activeElement).toBe(third));
    expect(third.getAttribute('aria-current')).toBe('true');
  });

  it('shows an edit as an edit: the new text to decide beside the published one it would replace', async () => {
    signIn();
    const edited = item({
      id: 4,
      version: 3,
      cause: 'edit',
      status: 'published',
      body: 'The budget is a scam',
      body_html: '<p>The budget is a scam</p>',
      screen: [{ rule: 'banned_terms', verdict: 'hold', detail: 'contains the banned term "scam"' }],
      edit: { previous_title: null, previous_body: 'Publish the budget tables', previous_body_html: '<p>Publish the budget tables</p>' },
    });
    const { handle, seen } = backend([edited, item({ id: 5 })]);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);

    const row = await screen.findByRole('button', { name: 'Comment: The budget is a scam' });
    const cause = screen.getByRole('combobox', { name: 'Cause' });
    expect(within(cause).getByRole('option', { name: 'Edit of a published text (1)' })).toBeTruthy();
    fireEvent.click(row);
    const view = await screen.findByRole('region', { name: 'Comment by Bea Costa' });
    expect(within(view).getByText('Edit of a published text', { selector: '.status-tag' })).toBeTruthy();
    const now = within(view).getByRole('heading', { level: 3, name: 'The edit to decide' });
    const before = within(view).getByRole('heading', { level: 3, name: 'Published now, and public until you decide' });
    expect(now.compareDocumentPosition(before) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(view).getByText('The budget is a scam', { selector: '.item-body p' })).toBeTruthy();
    expect(within(view).getByText('Publish the budget tables', { selector: 'blockquote p' })).toBeTruthy();
    expect(within(view).getByText(/reject discards the edit and keeps the published text/)).toBeTruthy();
    expect(within(view).getByText(/Banned term/)).toBeTruthy();

    fireEvent.click(within(view).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ outcome: 'approve', version: 3 }));
  });

  it('opens the reject reason picker with r; Enter on a reason confirms with the explanation', async () => {
    signIn();
    const user = userEvent.setup();
    const { handle, seen } = backend(three);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);

    await screen.findByRole('button', { name: 'Comment: Comment number 1' });
    await user.keyboard('j');
    await screen.findByText('Comment number 1', { selector: '.item-body p' });
    await user.keyboard('r');
    const reasons = await screen.findByRole('group', { name: 'Reason' });
    // The focus is in the picker, on its first reason, which says what the rule means.
    await waitFor(() => expect(document.activeElement).toBe(within(reasons).getByRole('radio', { name: 'Spam' })));
    expect(within(reasons).getByRole('radio', { name: 'Off topic' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('Not about the subject of this consultation')).toBeTruthy();
    // Typing here is not a shortcut: "a" does not approve.
    await user.keyboard('a');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    // Nothing chosen yet: Enter asks for a reason and an explanation.
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Some fields need attention.');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.click(within(reasons).getByRole('radio', { name: 'Off topic' }));
    const explanation = screen.getByRole('textbox', { name: 'Explanation for the author' });
    await user.click(explanation);
    await user.keyboard('Not about youth ideas for 2028. j k a');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
    within(reasons).getByRole('radio', { name: 'Off topic' }).focus();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Rejected. Next item: Comment number 2.'));
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ outcome: 'reject', version: 4, reason: 'off_topic', explanation: 'Not about youth ideas for 2028. j k a' });
    expect(screen.queryByRole('group', { name: 'Reason' })).toBeNull();
  });

  it('opens the shortcuts with ?, keeps the focus in the dialog and gives it back on Escape', async () => {
    signIn();
    const user = userEvent.setup();
    const { handle } = backend(three);
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);

    await screen.findByRole('button', { name: 'Comment: Comment number 1' });
    await user.keyboard('j');
    const first = screen.getByRole('button', { name: 'Comment: Comment number 1' });
    await waitFor(() => expect(document.activeElement).toBe(first));

    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(within(dialog).getByRole('row', { name: 'r Reject the open item: opens the reason picker (arrow keys choose a reason)' })).toBeTruthy();
    // Shortcuts sleep while the dialog is open, and Tab stays inside it.
    await user.keyboard('j');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(first);
  });

  it('says when someone else changed or decided the item, and reloads it', async () => {
    signIn();
    const user = userEvent.setup();
    let version = 4;
    const { handle, seen } = backend([item({ id: 1, version: 4 })], (_id, body) => {
      if (body.version === 4) {
        version = 5;
        return json(409, { error: { code: 'moderation.stale', message: 'x' } });
      }
      return undefined;
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);
    await screen.findByRole('button', { name: 'Comment: Comment number 1' });
    await user.keyboard('j');
    await screen.findByText('Comment number 1', { selector: '.item-body p' });
    const reads = () => seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/moderation/items/1').length;
    const before = reads();

    await user.keyboard('a');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Someone else changed or decided this item; reload it.');
    expect(screen.getByRole('status').textContent).toBe('Someone else changed or decided this item; reload it.');
    await waitFor(() => expect(reads()).toBeGreaterThan(before));
    expect(version).toBe(5);
    // Still open, for another look.
    expect(screen.getByRole('heading', { level: 2, name: 'Comment by Bea Costa' })).toBeTruthy();
  });

  it('claims the next item with the filters, or says there is nothing to claim', async () => {
    signIn();
    let next: ModerationItem | null = null;
    const items = [item({ id: 9, cause: 'appeal', target: { type: 'idea', id: 21, document_id: null, paragraph_key: null, idea_id: 21 }, title: 'More benches', body: 'Benches by the river' })];
    const base = backend(items);
    const { handle, seen } = router({
      [`POST /api/v1/processes/${slug}/moderation/claim`]: () => (next ? json(200, next) : new Response(null, { status: 204 })),
    });
    fetchMock.mockImplementation(async (req) => {
      const url = new URL(req.url);
      return url.pathname.endsWith('/claim') ? handle(req) : base.handle(req);
    });
    renderAt(`/processes/${slug}/moderation`);
    await screen.findByRole('button', { name: 'Idea: More benches' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Cause' }), { target: { value: 'appeal' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Contributions' }), { target: { value: 'idea' } });

    fireEvent.click(screen.getByRole('button', { name: 'Claim next' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Nothing to claim.'));
    expect(seen[0].body).toEqual({ cause: 'appeal', target: 'idea' });

    next = { ...items[0], claimed_by_me: true, lease_until: new Date(Date.now() + 300_000).toISOString() };
    fireEvent.click(screen.getByRole('button', { name: 'Claim next' }));
    const heading = await screen.findByRole('heading', { level: 2, name: 'Idea by Bea Costa' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('status').textContent).toBe('Claimed: More benches.');
    expect(screen.getByRole('heading', { level: 3, name: 'More benches' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See the idea page' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/21`);
  });

  it('decides the selected items at once and says how many had changed', async () => {
    signIn();
    const { handle } = backend(three);
    const bulk = router({
      [`POST /api/v1/processes/${slug}/moderation/bulk`]: () =>
        json(200, {
          results: [
            { id: 1, result: 'decided' },
            { id: 3, result: 'stale' },
          ],
        }),
    });
    fetchMock.mockImplementation(async (req) => (new URL(req.url).pathname.endsWith('/bulk') ? bulk.handle(req) : handle(req)));
    renderAt(`/processes/${slug}/moderation`);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select: Comment number 1' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select: Comment number 3' }));
    const form = screen.getByRole('form', { name: 'Decide the 2 selected items' });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Decision' }), { target: { value: 'reject' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply to 2 items' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Some fields need attention.');
    fireEvent.change(within(form).getByRole('combobox', { name: 'Reason' }), { target: { value: 'spam' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Explanation for the authors' }), { target: { value: 'Advertising.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply to 2 items' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1 item decided. 1 item had changed since the queue was loaded and was left undecided.'));
    expect(bulk.seen[0].body).toEqual({
      items: [
        { id: 1, version: 4 },
        { id: 3, version: 2 },
      ],
      outcome: 'reject',
      reason: 'spam',
      explanation: 'Advertising.',
    });
  });

  it('tells people who do not moderate this process, in French too', async () => {
    signIn();
    await i18n.changeLanguage('fr');
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, { ...process, slug }),
      [`GET /api/v1/processes/${slug}/house-rules`]: () => json(200, { rules: houseRules }),
      [`GET /api/v1/processes/${slug}/moderation/queue`]: () => json(403, { error: { code: 'moderation.forbidden', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/moderation`);
    await screen.findByText('Vous ne pouvez pas modérer ce processus.');
    expect(screen.queryByRole('button', { name: 'Prendre le suivant' })).toBeNull();
  });
});
