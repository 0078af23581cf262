import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { civil, cluster, contribution, coverage, draft, forum, process, signature, slug, suggestion } from './fixtures';
import type { Cluster, ForumResponse } from './queries';
import { ForumWorkspacePage } from './WorkspacePage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/processes/:slug/forum/workspace" element={<ForumWorkspacePage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

type Table = Parameters<typeof router>[0];

/** backend fakes the workspace's reads; extra adds or replaces routes. */
function backend(extra: Table = {}, clusters: Cluster[] = []) {
  return router({
    [`GET /api/v1/processes/${slug}`]: () => json(200, process),
    [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum()),
    [`GET /api/v1/processes/${slug}/documents`]: () => json(200, { items: [] }),
    [`GET /api/v1/processes/${slug}/idea-settings`]: () => json(404, { error: { code: 'process.not_found', message: 'x' } }),
    [`GET /api/v1/processes/${slug}/forum/unanswered`]: () => json(200, { items: [contribution({ id: 11 }), contribution({ id: 12 }), contribution({ id: 13, kind: 'idea', excerpt: 'Open contracting portal', document_id: null, paragraph_key: null })], next_cursor: null }),
    [`GET /api/v1/processes/${slug}/forum/clusters`]: () => json(200, { items: clusters }),
    [`GET /api/v1/processes/${slug}/forum/suggestions`]: () => json(200, { items: [] }),
    [`GET /api/v1/processes/${slug}/forum/responses`]: () => json(200, { items: [] }),
    [`GET /api/v1/processes/${slug}/coverage`]: () => json(200, coverage()),
    ...extra,
  });
}

describe('ForumWorkspacePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('groups the selected contributions into a new cluster', async () => {
    signIn();
    const clusters: Cluster[] = [];
    const { handle, seen } = backend(
      {
        [`POST /api/v1/processes/${slug}/forum/clusters`]: async (req) => {
          const body = (await req.json()) as { title: string };
          const c = cluster({ id: 9, title: body.title, size: 2 });
          clusters.push(c);
          return json(201, { ...c, members: [] });
        },
      },
      clusters,
    );
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace`);

    const section = await screen.findByRole('region', { name: 'Unanswered contributions' });
    fireEvent.click(await within(section).findByRole('checkbox', { name: /\(11\)/ }));
    fireEvent.click(within(section).getByRole('checkbox', { name: /\(12\)/ }));
    const actions = within(section).getByRole('group', { name: 'With the selected contributions' });
    expect(within(actions).getByText('2 contributions selected.')).toBeTruthy();
    fireEvent.click(within(actions).getByRole('button', { name: 'New cluster' }));
    const title = within(actions).getByRole('textbox', { name: 'Title of the cluster' });
    await waitFor(() => expect(document.activeElement).toBe(title));
    fireEvent.change(title, { target: { value: 'Contracts as open data' } });
    fireEvent.click(within(actions).getByRole('button', { name: 'Create the cluster of 2 contributions' }));

    const status = screen.getAllByRole('status').find((s) => s.classList.contains('console-status'))!;
    await waitFor(() => expect(status.textContent).toBe('Cluster “Contracts as open data” created with 2 contributions.'));
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({
      title: 'Contracts as open data',
      origin: 'manual',
      members: [
        { kind: 'comment', id: 11 },
        { kind: 'comment', id: 12 },
      ],
    });
    // The new cluster takes the focus; the selection is cleared.
    const link = await screen.findByRole('link', { name: 'Contracts as open data' });
    await waitFor(() => expect(document.activeElement).toBe(link));
    expect(within(section).queryByRole('group', { name: 'With the selected contributions' })).toBeNull();
  });

  it('confirms a suggestion as a cluster, titled from its first excerpt', async () => {
    signIn();
    const { handle, seen } = backend({
      [`GET /api/v1/processes/${slug}/forum/suggestions`]: () => json(200, { items: [suggestion()] }),
      [`POST /api/v1/processes/${slug}/forum/clusters`]: () => json(201, { ...cluster({ id: 9, origin: 'suggested' }), members: [] }),
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace`);
    const card = await screen.findByRole('article', { name: 'Suggestion 1: 3 contributions, 87% similar' });
    expect((within(card).getByRole('textbox', { name: 'Title of the cluster' }) as HTMLInputElement).value).toBe('Please publish every contract over 10,000 euros as open data (1).');
    fireEvent.click(within(card).getByRole('button', { name: 'Confirm as a cluster' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'POST')?.body).toMatchObject({ origin: 'suggested', members: [{ kind: 'comment', id: 1 }, { kind: 'comment', id: 2 }, { kind: 'comment', id: 3 }] }));
  });

  it('drafts a response to a cluster, signs it and says which seat must still sign', async () => {
    signIn();
    let current: ForumResponse | null = null;
    const { handle, seen } = backend(
      {
        [`POST /api/v1/processes/${slug}/forum/responses`]: async (req) => {
          const body = (await req.json()) as { disposition: 'adopted'; reasoning: string; led_to: string };
          current = draft({ id: 31, disposition: body.disposition, reasoning: body.reasoning, led_to: body.led_to, reasoning_html: `<p>${body.reasoning}</p>` });
          return json(201, current);
        },
        'GET /api/v1/responses/31': () => json(200, current),
        'POST /api/v1/responses/31/sign': () => {
          current = { ...current!, signatures: [signature()], missing_seats: ['civil_society'] };
          return json(200, current);
        },
      },
      [cluster({ id: 5 })],
    );
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace`);

    const clusters = await screen.findByRole('region', { name: 'Clusters' });
    fireEvent.click(await within(clusters).findByRole('button', { name: 'Respond to this cluster: Publish contracts as open data' }));
    const editor = await screen.findByRole('region', { name: 'New response' });
    await waitFor(() => expect(document.activeElement).toBe(within(editor).getByRole('heading', { name: 'New response' })));
    expect(within(editor).getByText('Publish contracts as open data')).toBeTruthy();
    expect(within(editor).getByText('1 item, 3 contributions in all.')).toBeTruthy();

    // Nothing is sent without a disposition.
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    await within(editor).findByText('Choose one of the options.');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(within(editor).getByRole('combobox', { name: 'Disposition' }), { target: { value: 'adopted' } });
    fireEvent.change(within(editor).getByRole('textbox', { name: 'Reasoning' }), { target: { value: 'Every contract will be published.' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    const saved = await screen.findByRole('region', { name: 'Draft response 31' });
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ disposition: 'adopted', reasoning: 'Every contract will be published.', led_to: '', covers: [{ kind: 'cluster', id: 5 }] });
    const status = screen.getAllByRole('status').find((s) => s.classList.contains('console-status'))!;
    await waitFor(() => expect(status.textContent).toBe('Draft saved. Needs a government signature. Needs a civil-society signature.'));

    const signing = within(saved).getByRole('region', { name: 'Signing' });
    fireEvent.click(within(signing).getByRole('button', { name: 'Sign this response' }));
    await within(signing).findByText('You have signed this draft.');
    expect(seen.find((r) => r.path === '/api/v1/responses/31/sign')?.body).toEqual({ revision: 1 });
    expect(within(signing).getByText('Needs a civil-society signature.')).toBeTruthy();
    expect(within(signing).queryByText('Needs a government signature.')).toBeNull();
    await waitFor(() => expect(status.textContent).toBe('Your signature is recorded. Needs a civil-society signature.'));
    expect(within(signing).queryByRole('button', { name: 'Sign this response' })).toBeNull();
  });

  it('publishes a draft with the second signature, and reloads a draft that changed meanwhile', async () => {
    signIn();
    let current: ForumResponse = draft({ id: 31, revision: 2, signatures: [signature()], missing_seats: ['civil_society'] });
    let stale = true;
    const { handle, seen } = backend({
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: true, member_ref: civil.member_ref, seat: 'civil_society', manage: false } })),
      [`GET /api/v1/processes/${slug}/forum/responses`]: () => json(200, { items: current.state === 'draft' ? [current] : [] }),
      'GET /api/v1/responses/31': () => json(200, current),
      'POST /api/v1/responses/31/sign': async (req) => {
        const body = (await req.json()) as { revision: number };
        if (stale) {
          stale = false;
          current = { ...current, revision: 3, reasoning: 'Reworded by a colleague.' };
          return json(409, { error: { code: 'forum.stale', message: 'x' } });
        }
        expect(body.revision).toBe(3);
        current = { ...current, state: 'published', missing_seats: [], published_at: '2027-04-03T09:00:00Z', ledger: { seq: 4, hash: 'ab'.repeat(32) } };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace`);

    const drafts = await screen.findByRole('region', { name: 'Draft responses' });
    const card = await within(drafts).findByRole('article', { name: /Draft response 31/ });
    expect(within(card).getByText('Needs a civil-society signature.')).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Open in the editor: Draft response 31' }));
    const editor = await screen.findByRole('region', { name: 'Draft response 31' });
    await waitFor(() => expect((within(editor).getByRole('textbox', { name: 'Reasoning' }) as HTMLTextAreaElement).value).toBe('We will publish **every** contract.'));

    fireEvent.click(within(editor).getByRole('button', { name: 'Sign this response' }));
    const alert = await within(editor).findByRole('alert');
    expect(alert.textContent).toContain('This draft was changed by another member since you opened it.');
    await waitFor(() => expect((within(editor).getByRole('textbox', { name: 'Reasoning' }) as HTMLTextAreaElement).value).toBe('Reworded by a colleague.'));

    fireEvent.click(within(editor).getByRole('button', { name: 'Sign this response' }));
    const published = await screen.findByRole('region', { name: 'Response published' });
    const status = screen.getAllByRole('status').find((s) => s.classList.contains('console-status'))!;
    await waitFor(() => expect(status.textContent).toBe('Published: the response is entry 4 of the ledger.'));
    expect(within(published).getByRole('link', { name: 'Read the published response' }).getAttribute('href')).toBe('/responses/31');
    expect(seen.filter((r) => r.path === '/api/v1/responses/31/sign').map((r) => r.body)).toEqual([{ revision: 2 }, { revision: 3 }]);
  });

  it('reloads a draft saved over a newer revision, and says so', async () => {
    signIn();
    let current: ForumResponse = draft({ id: 31, revision: 2 });
    const { handle, seen } = backend({
      'GET /api/v1/responses/31': () => json(200, current),
      'PATCH /api/v1/responses/31': () => {
        current = { ...current, revision: 3, reasoning: 'A colleague rewrote this.' };
        return json(409, { error: { code: 'forum.stale', message: 'x' } });
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace?draft=31`);

    const editor = await screen.findByRole('region', { name: 'Draft response 31' });
    const reasoning = (await within(editor).findByRole('textbox', { name: 'Reasoning' })) as HTMLTextAreaElement;
    await waitFor(() => expect(reasoning.value).toBe('We will publish **every** contract.'));
    fireEvent.change(reasoning, { target: { value: 'My own wording.' } });
    expect(within(editor).getByText('You have unsaved changes.')).toBeTruthy();
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    const alert = await within(editor).findByRole('alert');
    expect(alert.textContent).toContain('It has been reloaded');
    await waitFor(() => expect(reasoning.value).toBe('A colleague rewrote this.'));
    expect(seen.find((r) => r.method === 'PATCH')?.body).toMatchObject({ revision: 2, reasoning: 'My own wording.', covers: [{ kind: 'cluster', id: 5 }] });
    const status = screen.getAllByRole('status').find((s) => s.classList.contains('console-status'))!;
    await waitFor(() => expect(status.textContent).toBe('The draft was changed by another member; it has been reloaded.'));
  });

  it('keeps the reason of a correction editable in the draft editor, and sends it with the changes', async () => {
    signIn();
    let current: ForumResponse = draft({ id: 31, revision: 2, supersedes: 12, correction_reason: 'The amount was wrong.' });
    const { handle, seen } = backend({
      [`GET /api/v1/processes/${slug}/forum/responses`]: () => json(200, { items: [current] }),
      'GET /api/v1/responses/31': () => json(200, current),
      'PATCH /api/v1/responses/31': async (req) => {
        const body = (await req.json()) as { correction_reason: string };
        current = { ...current, revision: 3, correction_reason: body.correction_reason };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace?draft=31`);

    const card = await within(await screen.findByRole('region', { name: 'Draft responses' })).findByRole('article', { name: /Draft response 31/ });
    expect(within(card).getByText('Corrects response 12')).toBeTruthy();
    const editor = await screen.findByRole('region', { name: 'Draft response 31' });
    expect((await within(editor).findByRole('link', { name: 'Corrects response 12' })).getAttribute('href')).toBe('/responses/12');
    const reason = within(editor).getByRole('textbox', { name: 'Why this correction' }) as HTMLTextAreaElement;
    await waitFor(() => expect(reason.value).toBe('The amount was wrong.'));

    // A correction keeps a reason.
    fireEvent.change(reason, { target: { value: '   ' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    await within(editor).findByText('Fill this in.');
    expect(seen.some((r) => r.method === 'PATCH')).toBe(false);

    fireEvent.change(reason, { target: { value: 'The amount and the date were wrong.' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(seen.find((r) => r.method === 'PATCH')?.body).toMatchObject({ revision: 2, correction_reason: 'The amount and the date were wrong.' }));
    expect(seen.find((r) => r.method === 'PATCH')?.body).not.toHaveProperty('supersedes');
    const status = screen.getAllByRole('status').find((s) => s.classList.contains('console-status'))!;
    await waitFor(() => expect(status.textContent).toBe('Changes saved. Needs a government signature. Needs a civil-society signature.'));
  });

  it('tells people outside the forum that the workspace is for its members', async () => {
    signIn();
    const { handle } = backend({ [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })) });
    fetchMock.mockImplementation(handle);
    renderAt(`/processes/${slug}/forum/workspace`);
    await screen.findByText("Only the forum's members and the process's owners can use the workspace.");
    expect(screen.queryByRole('region', { name: 'Unanswered contributions' })).toBeNull();
  });
});
