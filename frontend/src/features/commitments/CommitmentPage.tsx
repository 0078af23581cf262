import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { day } from './DashboardPage';
import { useWithdrawCommitment } from './mutations';
import { useCommitment, type Commitment, type ProgressUpdate } from './queries';
import { QuestionsSection } from './QuestionsSection';
import { reasonText, StatusBadge } from './status';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** CommitmentPage shows one commitment: /processes/:slug/commitments/:commitmentID. */
export function CommitmentPage() {
  const { slug = '', commitmentID = '' } = useParams();
  const { t } = useTranslation();
  if (!/^[1-9]\d{0,17}$/.test(commitmentID)) return <NotFound title={t('commitments.notFoundTitle')} body={t('commitments.notFoundBody')} />;
  return <CommitmentView key={commitmentID} slug={slug} id={Number(commitmentID)} />;
}

function CommitmentView({ slug, id }: { slug: string; id: number }) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const c = useCommitment(id, account?.id);
  const location = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) navigate(location.pathname + location.hash, { replace: true, state: null });
  }, [location, navigate]);
  const notFound = c.error instanceof AppError && c.error.status === 404;
  useDocumentTitle(c.data?.title, notFound);
  const [withdrawing, setWithdrawing] = useState(false);
  const withdrawButton = useRef<HTMLButtonElement>(null);

  if (c.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('commitments.notFoundTitle')} body={t('commitments.notFoundBody')} />;
  if (c.isError) return <ErrorMessage error={c.error} />;
  const d = c.data;
  const lang = i18n.language;
  const withdrawn = d.status === 'withdrawn';
  return (
    <article className="commitment-page">
      <p className="breadcrumb">
        <Link to={`/processes/${slug}/commitments`}>{t('commitments.backToDashboard', { process: d.process_title })}</Link>
      </p>
      <h1>{d.title}</h1>
      <p>
        <StatusBadge status={d.status} /> <span>{reasonText(t as T, d.status_reason, d.status_days)}</span>
      </p>
      {notice && (
        <p role="status" className="notice">
          {t(notice)}
        </p>
      )}
      {withdrawn && d.withdrawal_reason && <p className="notice-box">{t('commitments.page.withdrawnBecause', { reason: d.withdrawal_reason })}</p>}
      {/* description_html is Markdown rendered and sanitised by the server. */}
      {d.description_html && <div className="idea-body" dangerouslySetInnerHTML={{ __html: d.description_html }} />}
      <dl className="facts">
        <dt>{t('commitments.card.lead')}</dt>
        <dd>{d.lead_institution}</dd>
        {d.other_actors.length > 0 && (
          <>
            <dt>{t('commitments.page.otherActors')}</dt>
            <dd>{d.other_actors.join(', ')}</dd>
          </>
        )}
        {d.theme && (
          <>
            <dt>{t('commitments.card.theme')}</dt>
            <dd>{d.theme}</dd>
          </>
        )}
        <dt>{t('commitments.page.dates')}</dt>
        <dd>{t('commitments.page.from', { start: day(d.starts_on, lang), end: day(d.ends_on, lang) })}</dd>
        {d.values.length > 0 && (
          <>
            <dt>{t('commitments.page.values')}</dt>
            <dd>{d.values.map((v) => t(`commitments.value.${v}`)).join(', ')}</dd>
          </>
        )}
        {!withdrawn && d.status !== 'completed' && (
          <>
            <dt>{t('commitments.page.nextUpdate')}</dt>
            <dd>{day(d.next_update_due_on, lang)}</dd>
          </>
        )}
      </dl>
      {(d.viewer.manage || (d.viewer.write && !withdrawn)) && (
        <div className="form-actions">
          {d.viewer.write && !withdrawn && (
            <Link className="button-link" to={`/processes/${slug}/commitments/${id}/updates/new`}>
              {t('commitments.page.writeUpdate')}
            </Link>
          )}
          {d.viewer.manage && !withdrawn && <Link to={`/processes/${slug}/commitments/${id}/edit`}>{t('commitments.page.edit')}</Link>}
          {d.viewer.manage && !withdrawn && (
            <button type="button" className="secondary" ref={withdrawButton} aria-expanded={withdrawing} onClick={() => setWithdrawing((w) => !w)}>
              {t('commitments.page.withdraw')}
            </button>
          )}
        </div>
      )}
      {withdrawing && (
        <WithdrawForm
          slug={slug}
          commitment={d}
          onDone={() => {
            setWithdrawing(false);
            setNotice('commitments.page.withdrawn');
          }}
          onCancel={() => {
            setWithdrawing(false);
            setTimeout(() => withdrawButton.current?.focus(), 0);
          }}
        />
      )}
      <WorkingGroup commitment={d} />
      {d.sources.length > 0 && <Sources commitment={d} slug={slug} />}
      <Drafts updates={d.updates.filter((u) => u.state === 'draft')} />
      <Timeline commitment={d} />
      <QuestionsSection slug={slug} commitment={d} />
    </article>
  );
}

/** WorkingGroup lists the people and organisations who monitor the commitment, with their seats. */
function WorkingGroup({ commitment: d }: { commitment: Commitment }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="wg-heading">
      <h2 id="wg-heading">{t('commitments.page.workingGroup')}</h2>
      {d.members.length === 0 ? (
        <p>{t('commitments.page.noWorkingGroup')}</p>
      ) : (
        <ul>
          {d.members.map((m) => (
            <li key={m.id}>
              {[m.name, m.organisation, t(`commitments.seat.${m.seat}`)].filter(Boolean).join(' · ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Sources lists what led to the commitment: paragraphs of the plan, ideas and responses. */
function Sources({ commitment: d, slug }: { commitment: Commitment; slug: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="sources-heading">
      <h2 id="sources-heading">{t('commitments.page.sources')}</h2>
      <ul>
        {d.sources.map((s, i) => (
          <li key={i}>
            {s.kind === 'paragraph' && s.document_id != null && (
              <Link to={`/documents/${s.document_id}#p-${s.paragraph_key}`}>{t('commitments.source.paragraph', { label: s.label })}</Link>
            )}
            {s.kind === 'idea' && <Link to={`/processes/${slug}/ideas/${s.id}`}>{t('commitments.source.idea', { label: s.label })}</Link>}
            {s.kind === 'response' && <Link to={`/responses/${s.id}`}>{t('commitments.source.response', { id: s.id })}</Link>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Drafts lists the update drafts its writers see. */
function Drafts({ updates }: { updates: ProgressUpdate[] }) {
  const { t, i18n } = useTranslation();
  if (updates.length === 0) return null;
  return (
    <section aria-labelledby="drafts-heading">
      <h2 id="drafts-heading">{t('commitments.page.drafts')}</h2>
      <ul>
        {updates.map((u) => (
          <li key={u.id}>
            <Link to={`/progress-updates/${u.id}`}>{t('commitments.page.draftLink', { kind: t(`commitments.updateKind.${u.kind}`), date: formatDate(u.created_at, i18n.language) })}</Link>
            {u.kind === 'joint' && u.missing_seats.length > 0 && ` · ${t('commitments.update.needs', { seats: u.missing_seats.map((s) => t(`commitments.seat.${s}`)).join(', ') })}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

type Event = { kind: 'milestone'; date: string; m: Commitment['milestones'][number] } | { kind: 'update'; date: string; u: ProgressUpdate };

/** Timeline puts the milestones (by due date) and the published updates (by date) in one list, oldest first. */
function Timeline({ commitment: d }: { commitment: Commitment }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const events: Event[] = [
    ...d.milestones.map((m): Event => ({ kind: 'milestone', date: m.due_on, m })),
    ...d.updates.filter((u) => u.state === 'published' && u.published_at).map((u): Event => ({ kind: 'update', date: u.published_at!.slice(0, 10), u })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('commitments.page.timeline')}</h2>
      <ol className="timeline-list">
        {events.map((e) =>
          e.kind === 'milestone' ? (
            <li key={`m-${e.m.id}`} className="timeline-item">
              <p className="timeline-date">{t('commitments.timeline.due', { date: day(e.m.due_on, lang) })}</p>
              <h3>{t('commitments.timeline.milestone', { title: e.m.title })}</h3>
              <p>
                {e.m.completed_on ? (
                  t('commitments.milestone.doneOn', { date: day(e.m.completed_on, lang) })
                ) : e.m.late_days > 0 ? (
                  <span className="late">{t('commitments.milestone.late', { count: e.m.late_days })}</span>
                ) : (
                  t('commitments.milestone.open')
                )}
                {e.m.evidence_url && (
                  <>
                    {' · '}
                    <a href={e.m.evidence_url} rel="noopener noreferrer">
                      {t('commitments.milestone.evidence')}
                    </a>
                  </>
                )}
                {e.m.evidence_item && ` · ${t('commitments.milestone.evidenceItem', { title: e.m.evidence_item.title || `#${e.m.evidence_item.id}` })}`}
              </p>
            </li>
          ) : (
            <UpdateItem key={`u-${e.u.id}`} u={e.u} />
          ),
        )}
      </ol>
    </section>
  );
}

/** UpdateItem is a published update in the timeline: its date, kind, first words and a link to it. */
function UpdateItem({ u }: { u: ProgressUpdate }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  return (
    <li className="timeline-item">
      <article aria-labelledby={headingId}>
        <p className="timeline-date">{formatDate(u.published_at!, i18n.language)}</p>
        <h3 id={headingId}>
          <Link to={`/progress-updates/${u.id}`}>{t('commitments.timeline.update', { kind: t(`commitments.updateKind.${u.kind}`) })}</Link>
        </h3>
        {u.superseded_by != null && <p className="notice-box">{t('commitments.update.correctedBy', { id: u.superseded_by })}</p>}
        {/* progress_html is Markdown rendered and sanitised by the server. */}
        <div dangerouslySetInnerHTML={{ __html: u.progress_html }} />
        <p className="muted">
          {u.kind === 'joint' ? t('commitments.timeline.signedBy', { count: u.signatures.filter((s) => s.kind === 'sign').length }) + ' · ' : ''}
          {t('commitments.timeline.comments', { count: u.comments })}
        </p>
      </article>
    </li>
  );
}

/** WithdrawForm asks an owner for the public reason before withdrawing the commitment. */
function WithdrawForm({ slug, commitment: d, onDone, onCancel }: { slug: string; commitment: Commitment; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const withdraw = useWithdrawCommitment(slug, d.id);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  return (
    <form className="withdraw-form" onSubmit={handleSubmit(() => withdraw.mutate({ revision: d.revision, reason }, { onSuccess: onDone }))} noValidate>
      <ErrorSummary error={withdraw.error} />
      <div ref={box}>
        <TextAreaField name="reason" label={t('commitments.page.withdrawReason')} hint={t('commitments.page.withdrawHint')} value={reason} onChange={setReason}
          maxLength={2000} rows={3} error={fieldError(withdraw.error, 'reason')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={withdraw.isPending}>{t('commitments.page.withdrawConfirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('commitments.cancel')}
        </button>
      </div>
    </form>
  );
}
