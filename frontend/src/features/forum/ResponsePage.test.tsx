import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { civil, cover, draft, forum, process, response, signature, slug } from './fixtures';
import type { ForumResponse } from './queries';
import { ResponsePage } from './ResponsePage';

function renderAt(path: string) {
  return renderWithApp(
    <Routes>
      <Route path="/responses/:id" element={<ResponsePage />} />
    </Routes>,
    path,
  );
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

/** forumRead waits until the page has read the forum (and so knows whether the viewer is a member). */
async function forumRead(seen: { method: string; path: string }[]) {
  await waitFor(() => expect(seen.some((r) => r.method === 'GET' && r.path === `/api/v1/processes/${slug}/forum`)).toBe(true));
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
}

const memberForum = () => json(200, forum());

const reads = {
  [`GET /api/v1/processes/${slug}`]: () => json(200, process),
  [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: false, member_ref: null, seat: null, manage: false } })),
};

describe('ResponsePage', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows a published response: reasoning, what it covers, signers and its ledger entry', async () => {
    const r = response({
      id: 40,
      supersedes: 12,
      correction_reason: 'The amount was wrong.',
      covers: [
        cover({ kind: 'cluster', id: 5, label: 'Publish contracts as open data', count: 3 }),
        cover({ kind: 'idea', id: 4, label: 'Open contracting portal', excerpt: 'Open contracting portal' }),
        cover({ kind: 'comment', id: 77, document_id: 7, paragraph_key: 'k-contracts', label: 'Every contract, please.', excerpt: 'Every contract, please.' }),
        cover({ kind: 'comment', id: 78, progress_update_id: 31, label: 'Faster, please.', excerpt: 'Faster, please.' }),
        cover({ kind: 'comment', id: 79, visible: false }),
        cover({ kind: 'idea', id: 9, visible: false }),
        cover({ kind: 'paragraph', document_id: 7, paragraph_key: 'k-intro', label: 'k-intro', count: 6 }),
      ],
      signatures: [
        signature({ name: null }),
        signature({ member_ref: civil.member_ref, name: null, seat: 'civil_society', organisation: civil.organisation }),
        signature({ kind: 'dissent', member_ref: 'm-9e1b', name: null, seat: 'other', organisation: 'Harbour Residents', note: 'Thirty days is too slow.', signed_at: null }),
      ],
    });
    const { handle } = router({ ...reads, 'GET /api/v1/responses/40': () => json(200, r) });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/40');

    expect(await screen.findByRole('heading', { level: 1, name: 'Response of the forum: Adopted' })).toBeTruthy();
    expect(screen.getByText('every', { selector: 'strong' })).toBeTruthy();
    expect(screen.getByText('Commitment 1, milestone 2')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Entry 3' }).getAttribute('href')).toBe(`/processes/${slug}/ledger`);
    expect(screen.getByTitle(r.ledger!.hash)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Response 12' }).getAttribute('href')).toBe('/responses/12');
    expect(screen.getByText('The amount was wrong.')).toBeTruthy();

    const covers = screen.getByRole('region', { name: 'What it answers' });
    expect(within(covers).getByRole('link', { name: 'Publish contracts as open data' }).getAttribute('href')).toBe('/clusters/5');
    expect(within(covers).getByText('(3 contributions)')).toBeTruthy();
    expect(within(covers).getByRole('link', { name: 'Idea 4' }).getAttribute('href')).toBe(`/processes/${slug}/ideas/4`);
    expect(within(covers).getByText('Open contracting portal', { selector: 'q' })).toBeTruthy();
    expect(within(covers).getByRole('link', { name: 'Comment 77' }).getAttribute('href')).toBe('/documents/7#p-k-contracts');
    expect(within(covers).getByText('Every contract, please.', { selector: 'q' })).toBeTruthy();
    expect(within(covers).getByRole('link', { name: 'Comment 78' }).getAttribute('href')).toBe('/progress-updates/31');
    expect(within(covers).getByRole('link', { name: 'k-intro' }).getAttribute('href')).toBe('/documents/7#p-k-intro');
    // What the public may no longer read is named alone: no link, no text.
    for (const name of ['Comment 79', 'Idea 9']) {
      const item = within(covers).getByText(name).closest('li')!;
      expect(item.textContent).toBe(name);
      expect(within(item).queryByRole('link')).toBeNull();
    }

    expect(screen.getByText(/^Member m-2c9d · Civil society · Open Larkhaven Coalition/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Dissenting notes' })).toBeTruthy();
    expect(screen.getByText('Thirty days is too slow.')).toBeTruthy();
    // Nobody signs a published response.
    expect(screen.queryByRole('button', { name: 'Sign this response' })).toBeNull();
  });

  it('lets a forum member dissent from a draft instead of signing it', async () => {
    signIn();
    let current: ForumResponse = draft({ id: 41, revision: 4, signatures: [signature({ name: 'Gwen Harper' })], missing_seats: ['civil_society'] });
    const { handle, seen } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: true, member_ref: civil.member_ref, seat: 'civil_society', manage: false } })),
      'GET /api/v1/responses/41': () => json(200, current),
      'POST /api/v1/responses/41/dissent': async (req) => {
        const body = (await req.json()) as { note: string };
        current = { ...current, signatures: [...current.signatures, signature({ kind: 'dissent', member_ref: civil.member_ref, name: civil.name, seat: 'civil_society', organisation: civil.organisation, note: body.note })] };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/41');

    expect(await screen.findByRole('heading', { level: 1, name: 'Draft response' })).toBeTruthy();
    const signing = await screen.findByRole('region', { name: 'Signing' });
    expect(within(signing).getByText('Needs a civil-society signature.')).toBeTruthy();
    expect(within(signing).getByText(/^Gwen Harper · Member m-7f3a · Government · Larkhaven City Council/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Edit it in the workspace' }).getAttribute('href')).toBe(`/processes/${slug}/forum/workspace?draft=41`);

    fireEvent.click(await within(signing).findByRole('button', { name: 'Dissent instead' }));
    const note = within(signing).getByRole('textbox', { name: 'Your dissenting note' });
    await waitFor(() => expect(document.activeElement).toBe(note));
    fireEvent.change(note, { target: { value: 'The deadline should be shorter.' } });
    fireEvent.click(within(signing).getByRole('button', { name: 'Attach my dissent' }));
    await within(signing).findByText('You have attached a dissenting note to this draft.');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ revision: 4, note: 'The deadline should be shorter.' });
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'Your dissenting note is recorded.')).toBe(true);
    expect(within(signing).getByText('The deadline should be shorter.')).toBeTruthy();
  });

  it('says a draft cannot be found to those outside the forum', async () => {
    const { handle } = router({ ...reads, 'GET /api/v1/responses/42': () => json(404, { error: { code: 'forum.not_found', message: 'x' } }) });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/42');
    expect(await screen.findByRole('heading', { level: 1, name: 'Response not found' })).toBeTruthy();
  });
  it('offers a forum member a correction of a published response', async () => {
    signIn();
    const { handle } = router({ ...reads, [`GET /api/v1/processes/${slug}/forum`]: memberForum, 'GET /api/v1/responses/40': () => json(200, response({ id: 40 })) });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/40');
    const button = await screen.findByRole('button', { name: 'Publish a correction' });
    expect(button.getAttribute('aria-describedby')).toBe('response-correct-hint');
  });

  it('offers no correction to those outside the forum', async () => {
    signIn();
    const { handle, seen } = router({ ...reads, 'GET /api/v1/responses/40': () => json(200, response({ id: 40 })) });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/40');
    expect(await screen.findByRole('heading', { level: 1, name: 'Response of the forum: Adopted' })).toBeTruthy();
    await forumRead(seen);
    expect(screen.queryByRole('button', { name: 'Publish a correction' })).toBeNull();
  });

  it('offers no correction of a response that a later one already corrects', async () => {
    signIn();
    const { handle, seen } = router({ ...reads, [`GET /api/v1/processes/${slug}/forum`]: memberForum, 'GET /api/v1/responses/40': () => json(200, response({ id: 40, superseded_by: 52 })) });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/40');
    expect((await screen.findByRole('link', { name: 'Read the correction' })).getAttribute('href')).toBe('/responses/52');
    await forumRead(seen);
    expect(screen.queryByRole('button', { name: 'Publish a correction' })).toBeNull();
  });

  it('drafts a correction from the published text, and refuses to send it without a reason', async () => {
    signIn();
    let created: ForumResponse | null = null;
    const { handle, seen } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/forum`]: memberForum,
      'GET /api/v1/responses/40': () => json(200, response({ id: 40 })),
      [`POST /api/v1/processes/${slug}/forum/responses`]: async (req) => {
        const body = (await req.json()) as { disposition: 'amended'; reasoning: string; led_to: string; supersedes: number; correction_reason: string };
        created = draft({ id: 51, disposition: body.disposition, reasoning: body.reasoning, led_to: body.led_to, supersedes: body.supersedes, correction_reason: body.correction_reason });
        return json(201, created);
      },
      'GET /api/v1/responses/51': () => json(200, created),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/40');

    fireEvent.click(await screen.findByRole('button', { name: 'Publish a correction' }));
    const editor = await screen.findByRole('region', { name: 'Correction of response 40' });
    await waitFor(() => expect(document.activeElement).toBe(within(editor).getByRole('heading', { name: 'Correction of response 40' })));
    expect(within(editor).getByRole('link', { name: 'Corrects response 40' }).getAttribute('href')).toBe('/responses/40');
    // The editor starts from the published response.
    expect((within(editor).getByRole('combobox', { name: 'Disposition' }) as HTMLSelectElement).value).toBe('adopted');
    expect((within(editor).getByRole('textbox', { name: 'Reasoning' }) as HTMLTextAreaElement).value).toBe('We will publish **every** contract.');
    expect((within(editor).getByRole('textbox', { name: 'Led to (optional)' }) as HTMLInputElement).value).toBe('Commitment 1, milestone 2');
    expect(within(editor).getByText('Publish contracts as open data')).toBeTruthy();
    const reason = within(editor).getByRole('textbox', { name: 'Why this correction' }) as HTMLTextAreaElement;
    expect(reason.value).toBe('');

    fireEvent.change(within(editor).getByRole('combobox', { name: 'Disposition' }), { target: { value: 'amended' } });
    fireEvent.change(within(editor).getByRole('textbox', { name: 'Reasoning' }), { target: { value: 'We will publish every contract over 5,000 euros.' } });
    // Nothing is sent without a reason.
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    await within(editor).findByText('Fill this in.');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(reason, { target: { value: 'The threshold was wrong.' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save draft' }));
    const saved = await screen.findByRole('region', { name: 'Draft response 51' });
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({
      disposition: 'amended',
      reasoning: 'We will publish every contract over 5,000 euros.',
      led_to: 'Commitment 1, milestone 2',
      covers: [{ kind: 'cluster', id: 5 }],
      supersedes: 40,
      correction_reason: 'The threshold was wrong.',
    });
    await waitFor(() =>
      expect(screen.getAllByRole('status').some((s) => s.textContent === 'Correction saved as draft response 51. Needs a government signature. Needs a civil-society signature.')).toBe(true),
    );
    expect(within(saved).getByRole('link', { name: 'Corrects response 40' })).toBeTruthy();
    expect((within(saved).getByRole('textbox', { name: 'Why this correction' }) as HTMLTextAreaElement).value).toBe('The threshold was wrong.');
    expect(within(within(saved).getByRole('region', { name: 'Signing' })).getByRole('button', { name: 'Sign this response' })).toBeTruthy();
  });

  it('shows what a draft corrects, and why signing it fails once the response is corrected elsewhere', async () => {
    signIn();
    const { handle } = router({
      ...reads,
      [`GET /api/v1/processes/${slug}/forum`]: memberForum,
      'GET /api/v1/responses/51': () => json(200, draft({ id: 51, supersedes: 40, correction_reason: 'The threshold was wrong.' })),
      'POST /api/v1/responses/51/sign': () => json(409, { error: { code: 'forum.superseded', message: 'x' } }),
    });
    fetchMock.mockImplementation(handle);
    renderAt('/responses/51');

    expect(await screen.findByRole('heading', { level: 1, name: 'Draft response' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Response 40' }).getAttribute('href')).toBe('/responses/40');
    expect(screen.getByText('Why this correction')).toBeTruthy();
    expect(screen.getByText('The threshold was wrong.')).toBeTruthy();

    const signing = screen.getByRole('region', { name: 'Signing' });
    fireEvent.click(await within(signing).findByRole('button', { name: 'Sign this response' }));
    const alert = await within(signing).findByRole('alert');
    expect(alert.textContent).toBe(
      'The response this draft corrects has already been corrected by another published response, so this draft cannot be published. Read that correction, and discard this draft or correct the newer response instead.',
    );
  });
});
