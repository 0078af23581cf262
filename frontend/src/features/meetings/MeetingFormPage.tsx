import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { browserZone, kindName, timeZones } from './format';
import { useSaveMeeting, type MeetingDraft } from './mutations';
import { kinds, useMeeting, type MeetingDetail } from './queries';

/** NewMeetingPage lets a process's owner plan a meeting: /processes/:slug/meetings/new. */
export function NewMeetingPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const process = useProcess(slug);
  useDocumentTitle(t('meetings.form.newTitle'));
  const empty: MeetingDraft = { kind: 'forum', title: '', starts: '', ends: '', timeZone: browserZone(), place: '', remoteURL: '', agenda: '', capacity: '' };
  return (
    <div className="meeting-form-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('meetings.form.newTitle')}</h1>
      <p className="lead">{t('meetings.form.intro')}</p>
      <MeetingForm slug={slug} id={null} revision={0} initial={empty} />
    </div>
  );
}

/** EditMeetingPage lets a process's owner change a meeting: /meetings/:id/edit. */
export function EditMeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const meetingId = /^\d+$/.test(id) ? Number(id) : 0;
  const meeting = useMeeting(meetingId, account);
  const notFound = meetingId === 0 || (meeting.error instanceof AppError && meeting.error.status === 404);
  useDocumentTitle(t('meetings.form.editTitle'), notFound);
  if (notFound) return <NotFound title={t('meetings.page.notFoundTitle')} body={t('meetings.page.notFoundBody')} />;
  if (meeting.isPending) return <Loading />;
  if (meeting.isError) return <ErrorMessage error={meeting.error} />;
  const m = meeting.data;
  return (
    <div className="meeting-form-page">
      <ProcessCrumb slug={m.process} title={undefined} />
      <h1>{t('meetings.form.editTitle')}</h1>
      {!m.viewer.manage ? <p>{t('meetings.form.notOwner')}</p> : <MeetingForm key={m.revision} slug={m.process} id={m.id} revision={m.revision} initial={draftOf(m)} />}
    </div>
  );
}

/** draftOf is a meeting as its form shows it. */
function draftOf(m: MeetingDetail): MeetingDraft {
  return {
    kind: m.kind,
    title: m.title,
    starts: m.starts_local,
    ends: m.ends_local,
    timeZone: m.time_zone,
    place: m.place,
    remoteURL: m.remote_url ?? '',
    agenda: m.agenda,
    capacity: m.capacity != null ? String(m.capacity) : '',
  };
}

/**
 * MeetingForm is a meeting's fields: its kind, title, start and end as
 * wall-clock times in a time zone, place and/or https link, agenda in
 * Markdown and, for an open meeting, its capacity. A refusal shows each field's
 * error in place with a summary, and keeps what was typed.
 */
function MeetingForm({ slug, id, revision, initial }: { slug: string; id: number | null; revision: number; initial: MeetingDraft }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [d, setD] = useState(initial);
  const save = useSaveMeeting(slug);
  const set = (k: keyof MeetingDraft) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const err = (f: string) => fieldError(save.error, f);
  return (
    <form
      className="settings-form meeting-form"
      noValidate
      onSubmit={handleSubmit(() => save.mutate({ id, revision, draft: d }, { onSuccess: (m) => navigate(`/meetings/${m.id}`) }))}
    >
      <ErrorSummary error={save.error} />
      <SelectField name="kind" label={t('meetings.form.kind')} value={d.kind} onChange={set('kind')} options={kinds.map((k) => ({ value: k, label: kindName(t, k) }))} error={err('kind')} />
      <Field name="title" label={t('meetings.form.title')} value={d.title} onChange={set('title')} maxLength={200} error={err('title')} />
      <Field name="starts" type="datetime-local" label={t('meetings.form.starts')} value={d.starts} onChange={set('starts')} error={err('starts')} />
      <Field name="ends" type="datetime-local" label={t('meetings.form.ends')} value={d.ends} onChange={set('ends')} error={err('ends')} />
      <SelectField name="time_zone" label={t('meetings.form.timeZone')} hint={t('meetings.form.timeZoneHint')} value={d.timeZone} onChange={set('timeZone')} options={timeZones(d.timeZone).map((z) => ({ value: z, label: z }))} error={err('time_zone')} />
      <Field name="place" label={t('meetings.form.place')} hint={t('meetings.form.placeHint')} value={d.place} onChange={set('place')} required={false} maxLength={500} error={err('place')} />
      <Field name="remote_url" type="url" label={t('meetings.form.remoteURL')} hint={t('meetings.form.remoteHint')} value={d.remoteURL} onChange={set('remoteURL')} required={false} maxLength={2000} error={err('remote_url')} />
      <TextAreaField name="agenda" label={t('meetings.form.agenda')} hint={t('meetings.form.agendaHint')} value={d.agenda} onChange={set('agenda')} required={false} maxLength={20000} rows={8} error={err('agenda')} />
      {d.kind === 'open' && (
        <Field name="capacity" type="number" min={1} max={100000} label={t('meetings.form.capacity')} hint={t('meetings.form.capacityHint')} value={d.capacity} onChange={set('capacity')} required={false} error={err('capacity')} />
      )}
      <div className="form-actions">
        <SubmitButton pending={save.isPending}>{id === null ? t('meetings.form.create') : t('meetings.form.save')}</SubmitButton>
        <Link to={id === null ? `/processes/${slug}/meetings` : `/meetings/${id}`}>{t('meetings.form.cancel')}</Link>
      </div>
    </form>
  );
}
