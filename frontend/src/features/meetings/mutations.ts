// Writes of meetings, as mutations. Creating a meeting and sending input to
// its agenda carry the Idempotency-Key of their submission
// (lib/idempotency.ts); an edit carries the revision read, registration is a
// PUT (registering again changes nothing), and minutes name the version they
// correct.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError, type FieldError } from '../../api/client';
import { FormCheck, required } from '../../lib/forms';
import { useSubmitter } from '../../lib/idempotency';
import { useAccount } from '../../lib/useAccount';
import { meetingKeys, refreshMeetings, type AgendaInput, type MeetingDetail, type MeetingInput, type MeetingKind, type MinutesInput } from './queries';

const idem = (key: string) => ({ 'Idempotency-Key': key });

async function createMeeting(slug: string, input: MeetingInput, key: string): Promise<MeetingDetail> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/meetings', { params: { path: { slug }, header: idem(key) }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function editMeeting(id: number, input: MeetingInput): Promise<MeetingDetail> {
  const { data, error, response } = await api.PATCH('/api/v1/meetings/{meetingID}', { params: { path: { meetingID: id } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function publishMeeting(id: number): Promise<MeetingDetail> {
  const { data, error, response } = await api.POST('/api/v1/meetings/{meetingID}/publish', { params: { path: { meetingID: id } } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function register(id: number): Promise<MeetingDetail> {
  const { data, error, response } = await api.PUT('/api/v1/meetings/{meetingID}/registration', { params: { path: { meetingID: id } } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function unregister(id: number): Promise<MeetingDetail> {
  const { data, error, response } = await api.DELETE('/api/v1/meetings/{meetingID}/registration', { params: { path: { meetingID: id } } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function addInput(id: number, body: string, key: string): Promise<AgendaInput> {
  const { data, error, response } = await api.POST('/api/v1/meetings/{meetingID}/inputs', { params: { path: { meetingID: id }, header: idem(key) }, body: { body } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

async function publishMinutes(id: number, input: MinutesInput): Promise<MeetingDetail> {
  const { data, error, response } = await api.POST('/api/v1/meetings/{meetingID}/minutes', { params: { path: { meetingID: id } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** MeetingDraft is the meeting form as typed. */
export interface MeetingDraft {
  kind: MeetingKind;
  title: string;
  starts: string; // wall-clock time, as a datetime-local field gives it
  ends: string;
  timeZone: string;
  place: string;
  remoteURL: string;
  agenda: string;
  capacity: string; // "" for no limit
}

/**
 * checkMeeting refuses, before sending, what the server would refuse for
 * sure: an empty title or time, a link that is not https, no place and no
 * link, a capacity that is not a whole number; the server checks the rest.
 */
export function checkMeeting(d: MeetingDraft): MeetingInput {
  const fields: FieldError[] = [];
  if (d.title.trim() === '') fields.push(required('title'));
  if (d.starts === '') fields.push(required('starts'));
  if (d.ends === '') fields.push(required('ends'));
  const link = d.remoteURL.trim();
  if (link !== '' && !/^https:\/\/[^\s]+$/i.test(link)) fields.push({ field: 'remote_url', code: 'https', message: '' });
  if (d.place.trim() === '' && link === '') fields.push(required('place'));
  let capacity: number | null = null;
  if (d.kind === 'open' && d.capacity.trim() !== '') {
    capacity = /^\d{1,6}$/.test(d.capacity.trim()) ? Number(d.capacity.trim()) : NaN;
    if (!(capacity >= 1 && capacity <= 100000)) fields.push({ field: 'capacity', code: 'range', message: '' });
  }
  if (fields.length > 0) throw new FormCheck('meeting.invalid', fields);
  return {
    kind: d.kind,
    title: d.title.trim(),
    starts: d.starts,
    ends: d.ends,
    time_zone: d.timeZone,
    place: d.place.trim(),
    remote_url: link,
    agenda: d.agenda,
    capacity,
  };
}

/** useSaveMeeting creates a meeting (a draft) or edits one on the revision read. */
export function useSaveMeeting(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: ({ id, revision, draft }: { id: number | null; revision: number; draft: MeetingDraft }) => {
      const input = checkMeeting(draft);
      if (id === null) return submit(`POST /processes/${slug}/meetings ${JSON.stringify(input)}`, (key) => createMeeting(slug, input, key));
      return editMeeting(id, { ...input, revision });
    },
    onSuccess: () => refreshMeetings(client),
  });
}

/** usePutMeeting shows a meeting as the server now has it, and refreshes the lists. */
function usePutMeeting() {
  const client = useQueryClient();
  const account = useAccount();
  return (m: MeetingDetail) => {
    client.setQueryData(meetingKeys.meeting(m.id, account?.id), m);
    void refreshMeetings(client);
  };
}

/** usePublishMeeting shows a draft meeting to the public. */
export function usePublishMeeting() {
  const put = usePutMeeting();
  return useMutation({ mutationFn: (id: number) => publishMeeting(id), onSuccess: put });
}

/** useRegistration registers the caller for an open meeting, or gives up their registration. */
export function useRegistration() {
  const put = usePutMeeting();
  return useMutation({
    mutationFn: ({ id, cancel }: { id: number; cancel: boolean }) => (cancel ? unregister(id) : register(id)),
    onSuccess: put,
  });
}

/** useAddInput sends written input to a meeting's agenda. */
export function useAddInput(id: number) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (body: string) => {
      if (body.trim() === '') throw new FormCheck('meeting.invalid', [required('body')]);
      return submit(`POST /meetings/${id}/inputs ${body}`, (key) => addInput(id, body.trim(), key));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['meetings', 'inputs', id] }),
  });
}

/** MinutesDraft is the minutes form as typed. */
export interface MinutesDraft {
  body: string;
  attendees: number[];
  others: string;
  corrects: number;
  reason: string;
}

/** usePublishMinutes publishes the first version of a meeting's minutes, or a correction of the latest. */
export function usePublishMinutes(id: number) {
  const put = usePutMeeting();
  return useMutation({
    mutationFn: (d: MinutesDraft) => {
      const fields: FieldError[] = [];
      if (d.body.trim() === '') fields.push(required('body'));
      const others = d.others.trim() === '' ? 0 : /^\d{1,7}$/.test(d.others.trim()) ? Number(d.others.trim()) : NaN;
      if (Number.isNaN(others)) fields.push({ field: 'others_present', code: 'number', message: '' });
      if (d.corrects > 0 && d.reason.trim() === '') fields.push(required('correction_reason'));
      if (fields.length > 0) throw new FormCheck('meeting.invalid', fields);
      return publishMinutes(id, {
        body: d.body,
        attendees: d.attendees,
        others_present: others,
        corrects: d.corrects,
        correction_reason: d.corrects > 0 ? d.reason.trim() : '',
      });
    },
    onSuccess: put,
  });
}
