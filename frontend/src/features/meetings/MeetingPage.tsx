import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { CheckboxField, ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { errorText, ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { formatDate, formatDateTime } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { browserZone, differentZone, kindName, whenText } from './format';
import { useAddInput, usePublishMeeting, usePublishMinutes, useRegistration } from './mutations';
import { useForumMembers, useMeeting, useMeetingInputs, useRegistrations, type MeetingDetail, type MeetingMinutes } from './queries';

/**
 * MeetingPage is one meeting: when (in its zone and the reader's), where, its
 * agenda, registration for open meetings, written input to the agenda, and
 * its minutes with attendance; its owners publish it, edit it, see who
 * registered and publish the minutes: /meetings/:id.
 */
export function MeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const meetingId = /^\d+$/.test(id) ? Number(id) : 0;
  const meeting = useMeeting(meetingId, account);
  const process = useProcess(meeting.data?.process ?? '');
  const [announcement, announce] = useAnnouncer();
  const notFound = meetingId === 0 || (meeting.error instanceof AppError && meeting.error.status === 404);
  useDocumentTitle(meeting.data?.title, notFound);
  if (notFound) return <NotFound title={t('meetings.page.notFoundTitle')} body={t('meetings.page.notFoundBody')} />;
  if (meeting.isPending) return <Loading />;
  if (meeting.isError) return <ErrorMessage error={meeting.error} />;
  const m = meeting.data;
  return (
    <article className="meeting-page">
      <ProcessCrumb slug={m.process} title={process.data?.title} />
      <h1>{m.title}</h1>
      <p className="item-tags">
        <span className="status-tag">{kindName(t, m.kind)}</span> <span className="status-tag">{t(`meetings.state.${m.state}`)}</span>
      </p>
      <p role="status" aria-live="polite" className="notice">
        {announcement}
      </p>
      <Facts meeting={m} />
      {m.viewer.manage && <OwnerActions meeting={m} announce={announce} />}
      <section aria-labelledby="meeting-agenda">
        <h2 id="meeting-agenda">{t('meetings.page.agenda')}</h2>
        {/* Markdown rendered and sanitised by the server (bluemonday). */}
        {m.agenda_html.trim() ? <div className="prose" dangerouslySetInnerHTML={{ __html: m.agenda_html }} /> : <p>{t('meetings.page.noAgenda')}</p>}
      </section>
      {m.kind === 'open' && m.state !== 'draft' && <RegistrationBox meeting={m} announce={announce} />}
      {m.state !== 'draft' && <InputSection meeting={m} announce={announce} />}
      <MinutesSection meeting={m} />
      {m.viewer.manage && m.state !== 'draft' && m.state !== 'upcoming' && <MinutesForm meeting={m} announce={announce} />}
      {m.viewer.manage && m.kind === 'open' && <Registrants meeting={m} />}
    </article>
  );
}

/** Facts are when and where the meeting is, and its places. */
function Facts({ meeting: m }: { meeting: MeetingDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <dl className="facts meeting-facts">
      <dt>{t('meetings.page.when')}</dt>
      <dd>{whenText(m, lang)}</dd>
      {differentZone(m, lang) && (
        <>
          <dt>{t('meetings.page.yourTime')}</dt>
          <dd>{whenText(m, lang, browserZone())}</dd>
        </>
      )}
      {m.place && (
        <>
          <dt>{t('meetings.page.place')}</dt>
          <dd>{m.place}</dd>
        </>
      )}
      {m.remote_url && (
        <>
          <dt>{t('meetings.page.remote')}</dt>
          <dd>
            <a href={m.remote_url} rel="noopener noreferrer nofollow">
              {t('meetings.page.join')}
            </a>{' '}
            <span className="muted break-anywhere">{m.remote_url}</span>
          </dd>
        </>
      )}
      {m.kind === 'open' && (
        <>
          <dt>{t('meetings.page.places')}</dt>
          <dd>
            {m.capacity != null ? t('meetings.page.placesTaken', { taken: m.confirmed, count: m.capacity }) : t('meetings.page.placesUnlimited', { count: m.confirmed })}
            {m.waiting > 0 && ` ${t('meetings.page.waitingCount', { count: m.waiting })}`}
          </dd>
        </>
      )}
    </dl>
  );
}

/** OwnerActions let the process's owners publish a draft meeting and edit it. */
function OwnerActions({ meeting: m, announce }: { meeting: MeetingDetail; announce: (s: string) => void }) {
  const { t } = useTranslation();
  const publish = usePublishMeeting();
  return (
    <section aria-labelledby="meeting-owner" className="notice-box">
      <h2 id="meeting-owner">{t('meetings.owner.title')}</h2>
      {m.state === 'draft' && <p>{t('meetings.owner.draft')}</p>}
      {publish.error != null && (
        <p role="alert" className="error">
          {errorText(t, publish.error)}
        </p>
      )}
      <div className="form-actions">
        {m.state === 'draft' && (
          <button type="button" disabled={publish.isPending} aria-busy={publish.isPending} onClick={() => publish.mutate(m.id, { onSuccess: () => announce(t('meetings.owner.published')) })}>
            {t('meetings.owner.publish')}
          </button>
        )}
        <Link to={`/meetings/${m.id}/edit`}>{t('meetings.owner.edit')}</Link>
      </div>
    </section>
  );
}

/** RegistrationBox lets a signed-in person take a place at an open meeting (or one on the waiting list), or give it up. */
function RegistrationBox({ meeting: m, announce }: { meeting: MeetingDetail; announce: (s: string) => void }) {
  const { t } = useTranslation();
  const account = useAccount();
  const reg = useRegistration();
  const mine = m.viewer.registration;
  const closed = m.state === 'past';
  return (
    <section aria-labelledby="meeting-registration">
      <h2 id="meeting-registration">{t('meetings.registration.title')}</h2>
      {mine?.status === 'confirmed' && <p>{t('meetings.registration.confirmed')}</p>}
      {mine?.status === 'waiting' && <p>{t('meetings.registration.waiting', { position: mine.position ?? 0 })}</p>}
      {reg.error != null && (
        <p role="alert" className="error">
          {errorText(t, reg.error)}
        </p>
      )}
      {closed ? (
        <p>{t('meetings.registration.closed')}</p>
      ) : !account ? (
        <p>
          <Link to="/login">{t('meetings.registration.signIn')}</Link>
        </p>
      ) : (
        <button
          type="button"
          className={mine ? 'secondary' : undefined}
          disabled={reg.isPending}
          aria-busy={reg.isPending}
          onClick={() =>
            reg.mutate(
              { id: m.id, cancel: mine != null },
              {
                onSuccess: (next) => {
                  const r = next.viewer.registration;
                  announce(!r ? t('meetings.registration.cancelled') : r.status === 'confirmed' ? t('meetings.registration.confirmed') : t('meetings.registration.waiting', { position: r.position ?? 0 }));
                },
              },
            )
          }
        >
          {mine ? t('meetings.registration.cancel') : t('meetings.registration.register')}
        </button>
      )}
    </section>
  );
}

/** InputSection lists the written input to the agenda and, before the meeting, lets anyone signed in send theirs. */
function InputSection({ meeting: m, announce }: { meeting: MeetingDetail; announce: (s: string) => void }) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const inputs = useMeetingInputs(m.id, account);
  const add = useAddInput(m.id);
  const [body, setBody] = useState('');
  const items = inputs.data ?? [];
  return (
    <section aria-labelledby="meeting-input" aria-busy={inputs.isFetching}>
      <h2 id="meeting-input">{t('meetings.input.title')}</h2>
      <p>{t('meetings.input.intro')}</p>
      <QueryState query={inputs} empty={items.length === 0 && t('meetings.input.none')} />
      {items.length > 0 && (
        <ul className="input-list">
          {items.map((x) => (
            <li key={x.id}>
              <p className="muted">
                {t('meetings.input.by', { name: x.author_name, date: formatDate(x.created_at, i18n.language) })}
                {x.status !== 'published' && <span className="status-tag"> {t(`meetings.input.status.${x.status}`)}</span>}
              </p>
              <div className="prose" dangerouslySetInnerHTML={{ __html: x.body_html }} />
            </li>
          ))}
        </ul>
      )}
      {m.state === 'upcoming' &&
        (account ? (
          <form
            className="settings-form"
            noValidate
            onSubmit={handleSubmit(() =>
              add.mutate(body, {
                onSuccess: (x) => {
                  setBody('');
                  announce(x.status === 'published' ? t('meetings.input.sent') : t('meetings.input.held'));
                },
              }),
            )}
          >
            <ErrorSummary error={add.error} />
            <TextAreaField name="body" label={t('meetings.input.label')} hint={t('meetings.input.hint')} value={body} onChange={setBody} maxLength={5000} rows={4} error={fieldError(add.error, 'body')} />
            <div className="form-actions">
              <SubmitButton pending={add.isPending}>{t('meetings.input.send')}</SubmitButton>
            </div>
          </form>
        ) : (
          <p>
            <Link to="/login">{t('meetings.input.signIn')}</Link>
          </p>
        ))}
      {m.state !== 'upcoming' && <p>{t('meetings.input.closed')}</p>}
    </section>
  );
}

/** MinutesSection shows every version of the minutes, newest first, with attendance; earlier versions stay readable. */
function MinutesSection({ meeting: m }: { meeting: MeetingDetail }) {
  const { t } = useTranslation();
  const [latest, ...earlier] = m.minutes;
  return (
    <section aria-labelledby="meeting-minutes">
      <h2 id="meeting-minutes">{t('meetings.minutes.title')}</h2>
      {!latest ? (
        <p>{t('meetings.minutes.none')}</p>
      ) : (
        <>
          <MinutesView minutes={latest} />
          {earlier.length > 0 && (
            <details>
              <summary>{t('meetings.minutes.earlier', { count: earlier.length })}</summary>
              {earlier.map((v) => (
                <MinutesView key={v.version} minutes={v} />
              ))}
            </details>
          )}
        </>
      )}
    </section>
  );
}

function MinutesView({ minutes: v }: { minutes: MeetingMinutes }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="minutes-version">
      <h3>{t('meetings.minutes.version', { version: v.version, date: formatDateTime(v.published_at, i18n.language) })}</h3>
      {v.correction_reason && <p className="notice-box">{t('meetings.minutes.correction', { reason: v.correction_reason })}</p>}
      {v.body_html.trim() && <div className="prose" dangerouslySetInnerHTML={{ __html: v.body_html }} />}
      {v.repository_item && <p>{t('meetings.minutes.inRepository', { title: v.repository_item.title })}</p>}
      <h4>{t('meetings.minutes.attendance')}</h4>
      {v.attendees.length === 0 ? (
        <p>{t('meetings.minutes.noMembers')}</p>
      ) : (
        <ul>
          {v.attendees.map((a) => (
            <li key={a.membership_id}>
              {a.name} · {t(`forum.seat.${a.seat}`)}
              {a.organisation && ` · ${a.organisation}`}
            </li>
          ))}
        </ul>
      )}
      <p>{t('meetings.minutes.others', { count: v.others_present })}</p>
    </div>
  );
}

/** MinutesForm lets the owner publish the minutes once the meeting has started, or a correction of the latest version. */
function MinutesForm({ meeting: m, announce }: { meeting: MeetingDetail; announce: (s: string) => void }) {
  const { t } = useTranslation();
  const members = useForumMembers(m.process, true);
  const latest = m.minutes[0];
  const [body, setBody] = useState(latest?.body ?? '');
  const [attendees, setAttendees] = useState<number[]>(latest?.attendees.map((a) => a.membership_id) ?? []);
  const [others, setOthers] = useState(latest ? String(latest.others_present) : '0');
  const [reason, setReason] = useState('');
  const publish = usePublishMinutes(m.id);
  const correcting = latest != null;
  const [from, to] = [Date.parse(m.starts_at), Date.parse(m.ends_at)];
  // Who was a member at some moment of the meeting.
  const eligible = (members.data ?? []).filter((x) => Date.parse(x.joined_at) < to && (x.left_at == null || Date.parse(x.left_at) > from));
  return (
    <section aria-labelledby="meeting-minutes-form">
      <h2 id="meeting-minutes-form">{correcting ? t('meetings.minutes.correctTitle') : t('meetings.minutes.formTitle')}</h2>
      <p>{correcting ? t('meetings.minutes.correctIntro') : t('meetings.minutes.formIntro')}</p>
      <form
        className="settings-form"
        noValidate
        onSubmit={handleSubmit(() =>
          publish.mutate(
            { body, attendees, others, corrects: latest?.version ?? 0, reason },
            {
              onSuccess: () => {
                setReason('');
                announce(t('meetings.minutes.publishedNow'));
              },
            },
          ),
        )}
      >
        <ErrorSummary error={publish.error} />
        <TextAreaField name="body" label={t('meetings.minutes.body')} hint={t('meetings.minutes.bodyHint')} value={body} onChange={setBody} maxLength={100000} rows={10} error={fieldError(publish.error, 'body')} />
        <fieldset aria-describedby={fieldError(publish.error, 'attendees') ? 'attendees-error' : undefined}>
          <legend>{t('meetings.minutes.members')}</legend>
          {fieldError(publish.error, 'attendees') && (
            <p id="attendees-error" className="field-error">
              {t('fieldErrors.not_member')}
            </p>
          )}
          {members.isPending && <Loading />}
          {eligible.length === 0 && !members.isPending && <p>{t('meetings.minutes.noForum')}</p>}
          {eligible.map((x) => (
            <CheckboxField
              key={x.id}
              name={`attendee-${x.id}`}
              label={`${x.name} (${t(`forum.seat.${x.seat}`)})`}
              checked={attendees.includes(x.id)}
              onChange={(on) => setAttendees((a) => (on ? [...a, x.id] : a.filter((y) => y !== x.id)))}
            />
          ))}
        </fieldset>
        <Field name="others_present" type="number" min={0} label={t('meetings.minutes.othersLabel')} value={others} onChange={setOthers} error={fieldError(publish.error, 'others_present')} />
        {correcting && (
          <TextAreaField name="correction_reason" label={t('meetings.minutes.reason')} hint={t('meetings.minutes.reasonHint')} value={reason} onChange={setReason} maxLength={2000} rows={3} error={fieldError(publish.error, 'correction_reason')} />
        )}
        <div className="form-actions">
          <SubmitButton pending={publish.isPending}>{correcting ? t('meetings.minutes.publishCorrection') : t('meetings.minutes.publish')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}

/** Registrants lists who registered, for the meeting's owners. */
function Registrants({ meeting: m }: { meeting: MeetingDetail }) {
  const { t, i18n } = useTranslation();
  const regs = useRegistrations(m.id, true);
  const items = regs.data ?? [];
  return (
    <section aria-labelledby="meeting-registrants">
      <h2 id="meeting-registrants">{t('meetings.registrants.title')}</h2>
      <QueryState query={regs} empty={items.length === 0 && t('meetings.registrants.none')} />
      {items.length > 0 && (
        <ol className="registrant-list">
          {items.map((r, i) => (
            <li key={`${r.name}-${i}`}>
              {r.name} · {r.status === 'confirmed' ? t('meetings.registrants.confirmed') : t('meetings.registrants.waiting', { position: r.position ?? 0 })} ·{' '}
              <span className="muted">{formatDateTime(r.registered_at, i18n.language)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
