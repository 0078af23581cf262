import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Process } from '../../api/client';
import { clearSession, setSession } from '../../api/session';
import { account, router } from '../../test/fixtures';
import { json, renderWithApp, stubNetwork } from '../../test/helpers';
import { NewMeetingPage } from './MeetingFormPage';
import { MeetingPage } from './MeetingPage';
import { MeetingsSection } from './MeetingsSection';
import type { Meeting, MeetingDetail } from './queries';

const slug = 'larkhaven-action-plan-2027';

const process: Process = {
  slug,
  title: 'Larkhaven Open Government Action Plan 2027–2029',
  summary: 'Plan',
  summary_html: '<p>Plan</p>',
  languages: ['en'],
  published_at: '2027-01-01T00:00:00Z',
  stage: 'active',
  current_phase: 'public_comment',
  phases: [],
  created_at: '2027-01-01T00:00:00Z',
  updated_at: '2027-01-01T00:00:00Z',
};

function meeting(over: Partial<MeetingDetail> = {}): MeetingDetail {
  return {
    id: 5,
    process: slug,
    kind: 'open',
    title: 'Open meeting on the draft plan',
    state: 'upcoming',
    starts_at: '2027-05-04T16:30:00Z',
    ends_at: '2027-05-04T18:30:00Z',
    time_zone: 'Europe/Paris',
    starts_local: '2027-05-04T18:30',
    ends_local: '2027-05-04T20:30',
    place: 'City hall, room 2',
    remote_url: 'https://meet.example.org/plan',
    agenda: '1. Budget',
    agenda_html: '<ol><li>Budget</li></ol>',
    capacity: 1,
    confirmed: 0,
    waiting: 0,
    inputs: 0,
    minutes_versions: 0,
    revision: 2,
    published_at: '2027-03-01T09:00:00Z',
    updated_at: '2027-03-01T09:00:00Z',
    minutes: [],
    viewer: { manage: false, registration: null },
    ...over,
  };
}

function signIn() {
  setSession({ access_token: 'token', expires_at: new Date(Date.now() + 3600_000).toISOString(), account });
}

function renderMeeting(path = '/meetings/5') {
  return renderWithApp(
    <Routes>
      <Route path="/meetings/:id" element={<MeetingPage />} />
    </Routes>,
    path,
  );
}

describe('meetings', () => {
  const fetchMock = stubNetwork();
  afterEach(() => clearSession());

  it('shows a meeting in its own zone, with its agenda, link and places, and lets a citizen register and send input', async () => {
    signIn();
    let current = meeting();
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      'GET /api/v1/meetings/5': () => json(200, current),
      'GET /api/v1/meetings/5/inputs': () => json(200, { items: [] }),
      'PUT /api/v1/meetings/5/registration': () => {
        current = meeting({ confirmed: 1, waiting: 1, viewer: { manage: false, registration: { status: 'waiting', position: 1 } } });
        return json(200, current);
      },
      'POST /api/v1/meetings/5/inputs': async (req) => {
        const body = (await req.json()) as { body: string };
        if (body.body.length > 20) return json(422, { error: { code: 'meeting.invalid', message: 'x', fields: [{ field: 'body', code: 'length', message: 'x' }] } });
        return json(201, { id: 1, author_name: 'Lena', mine: true, body: body.body, body_html: `<p>${body.body}</p>`, status: 'pending', created_at: '2027-03-02T10:00:00Z' });
      },
    });
    fetchMock.mockImplementation(handle);
    renderMeeting();

    expect(await screen.findByRole('heading', { level: 1, name: 'Open meeting on the draft plan' })).toBeTruthy();
    expect(screen.getByText(/Tuesday, May 4, 2027, 6:30.PM – 8:30.PM \(Europe\/Paris\)/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Join online' }).getAttribute('href')).toBe('https://meet.example.org/plan');
    expect(screen.getByText('0 of 1 places taken.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Agenda' })).getByText('Budget')).toBeTruthy();

    const reg = screen.getByRole('region', { name: 'Registration' });
    fireEvent.click(within(reg).getByRole('button', { name: 'Register' }));
    expect(await within(reg).findByText(/You are on the waiting list, number 1\./)).toBeTruthy();
    expect(within(reg).getByRole('button', { name: 'Give up my registration' })).toBeTruthy();
    expect(seen.some((r) => r.method === 'PUT' && r.path === '/api/v1/meetings/5/registration')).toBe(true);

    const input = screen.getByRole('region', { name: 'Written input to the agenda' });
    const box = within(input).getByRole('textbox', { name: 'Your input to the agenda' });
    fireEvent.change(box, { target: { value: 'Please add the tram line, and the buses.' } });
    fireEvent.click(within(input).getByRole('button', { name: 'Send my input' }));
    await within(input).findByText('This is too short or too long.');
    expect((box as HTMLTextAreaElement).value).toBe('Please add the tram line, and the buses.');
    fireEvent.change(box, { target: { value: 'Add the tram line.' } });
    fireEvent.click(within(input).getByRole('button', { name: 'Send my input' }));
    expect(await screen.findByText('Your input is waiting for a moderator.')).toBeTruthy();
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1].headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('keeps drafts and unknown meetings from the public', async () => {
    const { handle } = router({ 'GET /api/v1/meetings/5': () => json(404, { error: { code: 'meeting.not_found', message: 'x' } }) });
    fetchMock.mockImplementation(handle);
    renderMeeting();
    expect(await screen.findByRole('heading', { name: 'Meeting not found' })).toBeTruthy();
  });

  it('lets the owner publish a draft, then publish the minutes with attendance, and a correction', async () => {
    signIn();
    let current = meeting({ state: 'draft', published_at: null, viewer: { manage: true, registration: null } });
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      'GET /api/v1/meetings/5': () => json(200, current),
      'GET /api/v1/meetings/5/inputs': () => json(200, { items: [] }),
      'GET /api/v1/meetings/5/registrations': () => json(200, { items: [{ name: 'Lena', status: 'confirmed', position: null, registered_at: '2027-03-02T10:00:00Z' }] }),
      [`GET /api/v1/processes/${slug}/forum/terms`]: () =>
        json(200, {
          process: slug, remit: '', remit_html: '', quorum: '', quorum_html: '', selection: '', selection_html: '', member_terms: '', member_terms_html: '', meetings_per_quarter: 1, updated_at: null,
          members: [{ id: 11, member_ref: 'm-2c9d', name: 'Cai Morgan', seat: 'civil_society', organisation: 'Open Larkhaven', selection: null, term_start: null, term_end: null, joined_at: '2027-01-01T00:00:00Z', left_at: null, declaration: null, earlier_declarations: [] }],
          past_members: [],
          viewer: { membership_id: null, manage: true },
        }),
      'POST /api/v1/meetings/5/publish': () => {
        current = meeting({ state: 'in_progress', viewer: { manage: true, registration: null } });
        return json(200, current);
      },
      'POST /api/v1/meetings/5/minutes': async (req) => {
        const body = (await req.json()) as { body: string; attendees: number[]; others_present: number; corrects: number; correction_reason: string };
        const version = { version: body.corrects + 1, body: body.body, body_html: `<p>${body.body}</p>`, repository_item: null, others_present: body.others_present,
          attendees: body.attendees.map((id) => ({ membership_id: id, name: 'Cai Morgan', seat: 'civil_society' as const, organisation: 'Open Larkhaven', member_ref: 'm-2c9d' })),
          correction_reason: body.correction_reason || null, published_at: '2027-05-04T19:00:00Z' };
        current = { ...current, minutes_versions: version.version, minutes: [version, ...current.minutes] };
        return json(201, current);
      },
    });
    fetchMock.mockImplementation(handle);
    renderMeeting();

    const owner = await screen.findByRole('region', { name: "For the process's owners" });
    expect(screen.queryByRole('region', { name: 'Registration' })).toBeNull();
    fireEvent.click(within(owner).getByRole('button', { name: 'Publish the meeting' }));
    expect(await screen.findByText('The meeting is published.')).toBeTruthy();

    const form = await screen.findByRole('region', { name: 'Publish the minutes' });
    fireEvent.click(within(form).getByRole('button', { name: 'Publish the minutes' }));
    await within(form).findByText('Fill this in.');
    expect(seen.filter((r) => r.path.endsWith('/minutes'))).toHaveLength(0);
    fireEvent.change(within(form).getByRole('textbox', { name: 'Minutes' }), { target: { value: 'We agreed on three commitments.' } });
    fireEvent.click(await within(form).findByRole('checkbox', { name: 'Cai Morgan (Civil society)' }));
    fireEvent.change(within(form).getByRole('spinbutton', { name: 'Other people present' }), { target: { value: '12' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Publish the minutes' }));
    expect(await screen.findByText('The minutes are published.')).toBeTruthy();
    expect(seen.find((r) => r.path.endsWith('/minutes'))?.body).toEqual({ body: 'We agreed on three commitments.', attendees: [11], others_present: 12, corrects: 0, correction_reason: '' });
    const minutes = screen.getByRole('region', { name: 'Minutes' });
    expect(within(minutes).getByText('12 other people present.')).toBeTruthy();

    // A correction is a new version that names the one it corrects, with a reason.
    const correct = await screen.findByRole('region', { name: 'Publish a correction of the minutes' });
    fireEvent.click(within(correct).getByRole('button', { name: 'Publish the correction' }));
    await within(correct).findByText('Fill this in.');
    fireEvent.change(within(correct).getByRole('textbox', { name: 'What the correction changes' }), { target: { value: 'Four commitments.' } });
    fireEvent.click(within(correct).getByRole('button', { name: 'Publish the correction' }));
    await waitFor(() => expect(seen.filter((r) => r.path.endsWith('/minutes'))).toHaveLength(2));
    expect((seen.filter((r) => r.path.endsWith('/minutes'))[1].body as { corrects: number }).corrects).toBe(1);
    expect(await within(minutes).findByText('Correction: Four commitments.')).toBeTruthy();
    expect(within(minutes).getByText('Earlier version (1)')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Registrations' })).getByText(/Lena · place confirmed/)).toBeTruthy();
  });

  it('plans a meeting: refusals shown in place, what was typed kept, then the draft', async () => {
    signIn();
    const { handle, seen } = router({
      [`GET /api/v1/processes/${slug}`]: () => json(200, process),
      [`POST /api/v1/processes/${slug}/meetings`]: async (req) => {
        const body = (await req.json()) as { time_zone: string };
        if (body.time_zone === 'Europe/Paris') {
          return json(422, { error: { code: 'meeting.invalid', message: 'x', fields: [{ field: 'starts', code: 'zone_gap', message: 'x' }] } });
        }
        return json(201, meeting({ id: 8, state: 'draft', viewer: { manage: true, registration: null } }));
      },
      'GET /api/v1/meetings/8': () => json(200, meeting({ id: 8, state: 'draft', viewer: { manage: true, registration: null } })),
      'GET /api/v1/meetings/8/inputs': () => json(200, { items: [] }),
      'GET /api/v1/meetings/8/registrations': () => json(200, { items: [] }),
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(
      <Routes>
        <Route path="/processes/:slug/meetings/new" element={<NewMeetingPage />} />
        <Route path="/meetings/:id" element={<MeetingPage />} />
      </Routes>,
      `/processes/${slug}/meetings/new`,
    );
    const title = await screen.findByRole('textbox', { name: 'Title' });
    fireEvent.change(screen.getByRole('textbox', { name: /Remote link/ }), { target: { value: 'http://meet.example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the meeting' }));
    await screen.findByText('The link must start with https://.');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.change(screen.getByRole('combobox', { name: 'Kind of meeting' }), { target: { value: 'open' } });
    fireEvent.change(title, { target: { value: 'Open meeting' } });
    fireEvent.change(screen.getByLabelText('Starts'), { target: { value: '2027-03-28T02:30' } });
    fireEvent.change(screen.getByLabelText('Ends'), { target: { value: '2027-03-28T04:00' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Time zone' }), { target: { value: 'Europe/Paris' } });
    fireEvent.change(screen.getByRole('textbox', { name: /Remote link/ }), { target: { value: 'https://meet.example.org/plan' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Places' }), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the meeting' }));
    await screen.findByText('This time does not exist in this time zone (the clocks change then). Choose another.');
    expect((screen.getByLabelText('Starts') as HTMLInputElement).value).toBe('2027-03-28T02:30');
    expect((title as HTMLInputElement).value).toBe('Open meeting');
    expect(seen.find((r) => r.method === 'POST')?.body).toEqual({ kind: 'open', title: 'Open meeting', starts: '2027-03-28T02:30', ends: '2027-03-28T04:00', time_zone: 'Europe/Paris', place: '', remote_url: 'https://meet.example.org/plan', agenda: '', capacity: 50 });

    fireEvent.change(screen.getByRole('combobox', { name: 'Time zone' }), { target: { value: 'Europe/London' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the meeting' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Open meeting on the draft plan' })).toBeTruthy();
  });

  it('lists upcoming and past meetings on the process page', async () => {
    const item = (over: Partial<Meeting>): Meeting => {
      const { minutes: _m, viewer: _v, ...rest } = meeting(over);
      void _m;
      void _v;
      return rest;
    };
    const { handle } = router({
      [`GET /api/v1/processes/${slug}/meetings`]: (req) => {
        const when = new URL(req.url).searchParams.get('when');
        return json(200, {
          items: when === 'past' ? [item({ id: 2, title: 'Forum meeting of January', kind: 'forum', state: 'past', minutes_versions: 1 })] : [item({ id: 5 })],
          next_cursor: null,
          manage: false,
        });
      },
    });
    fetchMock.mockImplementation(handle);
    renderWithApp(<MeetingsSection process={process} />);
    const section = await screen.findByRole('region', { name: 'Meetings' });
    expect(await within(section).findByRole('link', { name: 'Open meeting on the draft plan' })).toBeTruthy();
    expect(within(section).getByRole('link', { name: 'Forum meeting of January' }).getAttribute('href')).toBe('/meetings/2');
    expect(within(section).getByText('Minutes published.')).toBeTruthy();
    expect(within(section).queryByRole('link', { name: 'Plan a meeting' })).toBeNull();
  });
});
