import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { civil, forum, process, response, signature, slug } from './fixtures';
import { ForumPage } from './ForumPage';
import { ForumTermsPage } from './ForumTermsPage';
import { LedgerPage } from './LedgerPage';
import type { ForumResponse, ForumTerms, LedgerPage as LedgerPageData } from './queries';
import { ResponsePage } from './ResponsePage';

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

function terms(over: Partial<ForumTerms> = {}): ForumTerms {
  return {
    process: slug,
    remit: 'Co-create the **plan**.',
    remit_html: '<p>Co-create the <strong>plan</strong>.</p>',
    quorum: '',
    quorum_html: '',
    selection: 'Civil society elects its members.',
    selection_html: '<p>Civil society elects its members.</p>',
    member_terms: '',
    member_terms_html: '',
    meetings_per_quarter: 2,
    updated_at: '2027-02-01T10:00:00Z',
    members: [
      {
        id: 11, member_ref: civil.member_ref, name: civil.name, seat: 'civil_society', organisation: civil.organisation, selection: 'elected',
        term_start: '2027-01-01', term_end: '2028-12-31', joined_at: '2027-01-05T10:00:00Z', left_at: null,
        declaration: { none: false, body: 'I chair the Open Budget association.', body_html: '<p>I chair the Open Budget association.</p>', filed_at: '2027-02-02T10:00:00Z' },
        earlier_declarations: [{ none: true, body: '', body_html: '', filed_at: '2027-01-06T10:00:00Z' }],
      },
    ],
    past_members: [
      {
        id: 9, member_ref: null, name: 'Rhys Owen', seat: 'government', organisation: 'Ministry of Finance', selection: 'appointed', term_start: null, term_end: null,
        joined_at: '2026-10-01T10:00:00Z', left_at: '2027-01-31T10:00:00Z', declaration: null, earlier_declarations: [],
      },
    ],
    viewer: { membership_id: null, manage: false },
    ...over,
  };
}

const frequency = {
  process: slug,
  target_per_quarter: 2,
  quarters: [
    { year: 2026, quarter: 4, held: 2, current: false, met: true },
    { year: 2027, quarter: 1, held: 1, current: true, met: false },
  ],
};

describe('the forum as an institution', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows the terms of reference, how often the forum met, members with their terms and declarations, and past members', async () => {
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ signing_rule: 'equal_veto', viewer: { member: false, member_ref: null, seat: null, manage: false } })),
      [`GET /api/v1/processes/${slug}/forum/terms`]: () => json(200, terms()),
      [`GET /api/v1/processes/${slug}/meetings/frequency`]: () => json(200, frequency),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/forum" element={<ForumPage />} />
      </Routes>,
      `/processes/${slug}/forum`,
    );

    expect(await screen.findByText(/but not while a majority of either side dissents: each side has an equal veto\./, { selector: 'section > p' })).toBeTruthy();
    const t = await screen.findByRole('region', { name: 'Terms of reference' });
    expect(within(t).getByText('plan', { selector: 'strong' })).toBeTruthy();
    expect(within(t).getByRole('heading', { name: 'How members are selected and rotated' })).toBeTruthy();
    expect(within(t).queryByRole('heading', { name: 'Quorum' })).toBeNull();
    expect(within(t).getByText('The forum meets at least 2 times a quarter.')).toBeTruthy();

    const freq = await screen.findByRole('region', { name: 'How often the forum met' });
    const rows = within(within(freq).getByRole('table')).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['QuarterMeetings heldTarget met', 'Q1 20271Not yet (quarter in progress)', 'Q4 20262Yes']);
    expect(within(freq).getByRole('link', { name: 'All meetings, agendas and minutes' }).getAttribute('href')).toBe(`/processes/${slug}/meetings`);

    const members = screen.getByRole('region', { name: 'Members, their terms and declarations of interests' });
    expect(within(members).getByText('Elected by civil society')).toBeTruthy();
    expect(within(members).getByText('I chair the Open Budget association.')).toBeTruthy();
    expect(within(members).getByText('Earlier declaration (1)')).toBeTruthy();
    const past = screen.getByRole('region', { name: 'Past members' });
    expect(within(past).getByRole('heading', { name: /Rhys Owen/ })).toBeTruthy();
    expect(within(past).getByText('Appointed')).toBeTruthy();
    expect(within(past).getByText('Not filed yet.')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Your declaration of interests' })).toBeNull();
    expect(screen.queryByRole('link', { name: /Edit the terms of reference/ })).toBeNull();
  });

  it('lets a member file a declaration of interests, refused in place when empty', async () => {
    signIn();
    let stored = terms({ viewer: { membership_id: 11, manage: false } });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum()),
      [`GET /api/v1/processes/${slug}/forum/terms`]: () => json(200, stored),
      [`GET /api/v1/processes/${slug}/meetings/frequency`]: () => json(200, frequency),
      [`PUT /api/v1/processes/${slug}/forum/declaration`]: async (req) => {
        const body = (await req.json()) as { none: boolean; body: string };
        stored = terms({ viewer: { membership_id: 11, manage: false } });
        stored.members[0].declaration = { none: body.none, body: body.body, body_html: body.none ? '' : `<p>${body.body}</p>`, filed_at: '2027-03-01T10:00:00Z' };
        return json(200, stored);
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/forum" element={<ForumPage />} />
      </Routes>,
      `/processes/${slug}/forum`,
    );
    const form = await screen.findByRole('region', { name: 'Your declaration of interests' });
    const text = within(form).getByRole('textbox', { name: 'Your interests' });
    expect((text as HTMLTextAreaElement).value).toBe('I chair the Open Budget association.');
    fireEvent.change(text, { target: { value: '  ' } });
    fireEvent.click(within(form).getByRole('button', { name: 'File my declaration' }));
    await within(form).findByText('Fill this in.');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(0);

    fireEvent.click(within(form).getByRole('checkbox', { name: 'I have no interests to declare' }));
    expect(within(form).queryByRole('textbox')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: 'File my declaration' }));
    await within(form).findByText('Your declaration is filed.');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({ none: true, body: '' });
    // The new declaration, and the earlier "none" still listed.
    await waitFor(() => expect(screen.getAllByText('Declares no interests.')).toHaveLength(2));
  });

  it("lets the process's owners choose the equal veto or a qualified majority with its fraction", async () => {
    signIn();
    let stored = forum({ viewer: { member: false, member_ref: null, seat: null, manage: true } });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, stored),
      [`GET /api/v1/processes/${slug}/forum/terms`]: () => json(200, terms({ viewer: { membership_id: null, manage: true } })),
      [`GET /api/v1/processes/${slug}/meetings/frequency`]: () => json(200, frequency),
      [`PUT /api/v1/processes/${slug}/forum/settings`]: async (req) => {
        const body = (await req.json()) as { signing_rule: 'qualified'; qualified_num: number; qualified_den: number };
        stored = forum({ signing_rule: body.signing_rule, rule: { name: body.signing_rule, qualified_num: body.qualified_num, qualified_den: body.qualified_den, consensus_hours: null }, viewer: { member: false, member_ref: null, seat: null, manage: true } });
        return json(200, stored);
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/forum" element={<ForumPage />} />
      </Routes>,
      `/processes/${slug}/forum`,
    );
    const settings = await screen.findByRole('region', { name: 'Forum settings' });
    expect(await screen.findByRole('link', { name: /Edit the terms of reference/ })).toBeTruthy();
    fireEvent.click(within(settings).getByRole('radio', { name: 'Qualified majority' }));
    const num = within(settings).getByRole('spinbutton', { name: 'Members (numerator)' });
    fireEvent.change(num, { target: { value: '1' } });
    fireEvent.click(within(settings).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(num.getAttribute('aria-invalid')).toBe('true'));
    expect(within(settings).getAllByText('This is outside the range allowed.').length).toBeGreaterThan(0);
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(0);
    fireEvent.change(num, { target: { value: '3' } });
    fireEvent.change(within(settings).getByRole('spinbutton', { name: 'Out of (denominator)' }), { target: { value: '4' } });
    fireEvent.click(within(settings).getByRole('button', { name: 'Save settings' }));
    await within(settings).findByText('Saved.');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({ signing_rule: 'qualified', target_days: 30, qualified_num: 3, qualified_den: 4 });
    expect(await screen.findByText("A response is published once 3/4 of the forum's members have signed it.", { selector: 'section > p' })).toBeTruthy();
  });

  it('lets owners record how a member was selected and their term', async () => {
    signIn();
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum/terms`]: () => json(200, terms({ viewer: { membership_id: null, manage: true } })),
      [`PUT /api/v1/processes/${slug}/forum/memberships/9`]: () => json(200, terms({ viewer: { membership_id: null, manage: true } })),
      [`PUT /api/v1/processes/${slug}/forum/terms`]: () => json(422, { error: { code: 'forum.invalid', message: 'x', fields: [{ field: 'meetings_per_quarter', code: 'range', message: 'x' }] } }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/forum/terms" element={<ForumTermsPage />} />
      </Routes>,
      `/processes/${slug}/forum/terms`,
    );
    const form = await screen.findByRole('form', { name: /Rhys Owen/ });
    fireEvent.change(within(form).getByLabelText('Term starts'), { target: { value: '2027-01-01' } });
    fireEvent.change(within(form).getByLabelText('Term ends'), { target: { value: '2026-01-01' } });
    fireEvent.click(within(form).getByRole('button', { name: "Save Rhys Owen's details" }));
    await within(form).findByText('This must come after the start.');
    fireEvent.change(within(form).getByLabelText('Term ends'), { target: { value: '2028-12-31' } });
    fireEvent.change(within(form).getByRole('combobox', { name: 'Selected' }), { target: { value: 'open_call' } });
    fireEvent.click(within(form).getByRole('button', { name: "Save Rhys Owen's details" }));
    await within(form).findByText('Saved.');
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({ selection: 'open_call', term_start: '2027-01-01', term_end: '2028-12-31' });

    // The server's refusal shows on the field, and what was typed stays.
    const termsForm = screen.getByRole('region', { name: 'Terms of reference' });
    const per = within(termsForm).getByRole('spinbutton', { name: 'Meetings a quarter (target)' });
    fireEvent.change(per, { target: { value: '12' } });
    fireEvent.click(within(termsForm).getByRole('button', { name: 'Save the terms' }));
    await within(termsForm).findByText('This is outside the range allowed.');
    expect((per as HTMLInputElement).value).toBe('12');
    expect(within(termsForm).getByRole('alert')).toBeTruthy();
  });

  it('lets a member recuse themselves and withdraw; the draft says what the equal veto waits for', async () => {
    signIn();
    let current: ForumResponse = response({
      id: 60,
      state: 'draft',
      signing_rule: 'equal_veto',
      published_at: null,
      ledger: null,
      signatures: [signature({ member_ref: 'm-1111', name: 'Ola', seat: 'government', organisation: 'City' })],
      missing_seats: [],
      verdict: { met: false, missing_seats: [], vetoed_seats: ['civil_society'], needed: 0, blocked: false, waiting: false },
    });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum({ viewer: { member: true, member_ref: civil.member_ref, seat: 'civil_society', manage: false } })),
      'GET /api/v1/responses/60': () => json(200, current),
      'POST /api/v1/responses/60/recuse': async (req) => {
        const body = (await req.json()) as { note: string };
        current = { ...current, signatures: [...current.signatures, signature({ kind: 'recuse', member_ref: civil.member_ref, name: civil.name, seat: 'civil_society', organisation: civil.organisation, note: body.note })] };
        return json(200, current);
      },
      'DELETE /api/v1/responses/60/signature': () => {
        current = { ...current, state: 'published', published_at: '2027-04-03T09:00:00Z', ledger: { seq: 4, hash: 'b'.repeat(64) }, verdict: null, signatures: current.signatures.filter((s) => s.kind !== 'recuse') };
        return json(200, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/responses/:id" element={<ResponsePage />} />
      </Routes>,
      '/responses/60',
    );
    const panel = await screen.findByRole('region', { name: 'Signing' });
    expect(within(panel).getByText('A majority of the civil-society members dissent: it is not published while they do.')).toBeTruthy();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    fireEvent.click(await within(panel).findByRole('button', { name: 'Recuse myself' }));
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Why you take no part (optional)' }), { target: { value: 'I advised the author.' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Recuse me from this response' }));
    await within(panel).findByText('You have recused yourself from this draft.');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ revision: 1, note: 'I advised the author.' });
    expect(within(panel).getByRole('heading', { name: 'Recusals' })).toBeTruthy();
    expect(within(panel).getByText('I advised the author.')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Withdraw my recusal' }));
    expect(await screen.findByText('Published: the response is entry 4 of the ledger.')).toBeTruthy();
    expect(seen.some((r) => r.method === 'DELETE')).toBe(true);
  });

  it('shows a change of rule in the ledger', async () => {
    const page: LedgerPageData = {
      items: [
        { seq: 2, prev_hash: 'a'.repeat(64), hash: 'c'.repeat(64), fields: { v: 1, kind: 'rule_change', process: slug, recorded_at: '2027-03-01T09:00:00Z', rule: { name: 'qualified', fraction: '2/3' }, previous: { name: 'joint' } }, rendered: null },
      ],
      next_cursor: null,
      head: { seq: 2, hash: 'c'.repeat(64) },
      checkpoint: null,
    };
    const { handle } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`GET /api/v1/processes/${slug}/forum`]: () => json(200, forum()),
      [`GET /api/v1/processes/${slug}/ledger`]: () => json(200, page),
      [`GET /api/v1/processes/${slug}/ledger/verify`]: () => json(200, { process: slug, ok: true, entries: 2, head_seq: 2, head_hash: 'c'.repeat(64), first_broken_seq: null, problem: null, checkpoint: null, checkpoint_valid: null, checkpoints: 0, checkpoints_failed: 0, checkpoint_problems: [], checked_at: '2027-03-01T10:00:00Z' }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/ledger" element={<LedgerPage />} />
      </Routes>,
      `/processes/${slug}/ledger`,
    );
    expect(await screen.findByRole('heading', { name: 'Entry 2: the forum now decides by Qualified majority' })).toBeTruthy();
    expect(screen.getByText("From this entry on: A response is published once 2/3 of the forum's members have signed it.")).toBeTruthy();
    expect(screen.getByText('Before: Joint signature.')).toBeTruthy();
  });
});
