import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, errorText, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { day } from './DashboardPage';
import { isStale, useDiscardUpdate, useEditUpdate, useUpdateAction } from './mutations';
import { useCommitment, useProgressUpdate, type Commitment, type ProgressUpdate } from './queries';
import { UpdateDiscussion } from './UpdateDiscussion';
import { initialDraft, inputOf, UpdateEditor, type UpdateDraft } from './UpdateEditor';

/** UpdatePage shows a progress update: /progress-updates/:id. Its writers edit, publish or discard a draft; the forum signs a joint one. */
export function UpdatePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  if (!/^[1-9]\d{0,17}$/.test(id)) return <NotFound title={t('commitments.update.notFoundTitle')} body={t('commitments.update.notFoundBody')} />;
  return <UpdateView key={id} id={Number(id)} />;
}

function UpdateView({ id }: { id: number }) {
  const { t } = useTranslation();
  const account = useAccount();
  const u = useProgressUpdate(id, account?.id);
  const c = useCommitment(u.data?.commitment_id ?? 0, account?.id, u.data != null);
  const notFound = u.error instanceof AppError && u.error.status === 404;
  useDocumentTitle(u.data ? t('commitments.update.title', { title: u.data.commitment_title }) : undefined, notFound);
  if (u.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('commitments.update.notFoundTitle')} body={t('commitments.update.notFoundBody')} />;
  if (u.isError) return <ErrorMessage error={u.error} />;
  return <UpdateBody update={u.data} commitment={c.data} onReload={() => u.refetch()} />;
}

function UpdateBody({ update: u, commitment: c, onReload }: { update: ProgressUpdate; commitment: Commitment | undefined; onReload: () => Promise<unknown> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const slug = u.process;
  const location = useLocation();
  const navigate = useNavigate();
  const [announcement, announce] = useAnnouncer();
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) navigate(location.pathname, { replace: true, state: null });
  }, [location, navigate]);
  const [editing, setEditing] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const draft = u.state === 'draft';
  const v = u.viewer;
  const heading = useRef<HTMLHeadingElement>(null);
  const say = (key: string, opts?: Record<string, unknown>) => {
    setNotice(null);
    announce(t(key, opts));
  };
  return (
    <article className="update-page">
      <p className="breadcrumb">
        <Link to={`/processes/${slug}/commitments/${u.commitment_id}`}>{u.commitment_title}</Link>
      </p>
      <h1 tabIndex={-1} ref={heading}>
        {t('commitments.update.title', { title: u.commitment_title })}
      </h1>
      <p>
        <span className="status-tag">{t(`commitments.update.state.${u.state}`)}</span> <span className="status-tag">{t(`commitments.updateKind.${u.kind}`)}</span>
        {u.published_at && ` ${t('commitments.update.publishedOn', { date: formatDate(u.published_at, lang) })}`}
      </p>
      {notice && (
        <p role="status" className="notice">
          {t(notice)}
        </p>
      )}
      <p role="status" aria-live="polite" className={announcement ? 'notice' : 'visually-hidden'}>
        {announcement}
      </p>
      {u.supersedes != null && (
        <p className="notice-box">
          <Link to={`/progress-updates/${u.supersedes}`}>{t('commitments.update.corrects', { id: u.supersedes })}</Link>
          {u.correction_reason && ` ${t('commitments.update.correctionReason', { reason: u.correction_reason })}`}
        </p>
      )}
      {u.superseded_by != null && (
        <p className="notice-box">
          <Link to={`/progress-updates/${u.superseded_by}`}>{t('commitments.update.correctedBy', { id: u.superseded_by })}</Link>
        </p>
      )}
      {u.ledger && (
        <p className="muted">
          <Link to={`/processes/${slug}/ledger?kind=progress_update`}>{t('commitments.update.inLedger', { seq: u.ledger.seq })}</Link>
        </p>
      )}
      {editing && c ? (
        <EditDraft update={u} commitment={c} onDone={() => {
          setEditing(false);
          say('commitments.update.saved');
        }} onCancel={() => setEditing(false)} onStale={async () => {
          setEditing(false);
          await onReload();
          say('commitments.update.reloaded');
        }} />
      ) : (
        <UpdateText update={u} />
      )}
      {u.kind === 'joint' && <Signatures update={u} />}
      {draft && !editing && (
        <DraftActions update={u} commitment={c} onEdit={() => setEditing(true)} onDiscard={() => setDiscarding(true)} announce={say} onStale={onReload} />
      )}
      {discarding && <Discard update={u} onCancel={() => setDiscarding(false)} onDone={() => navigate(`/processes/${slug}/commitments/${u.commitment_id}`, { state: { notice: 'commitments.update.discarded' } })} />}
      {!draft && v.write && u.superseded_by == null && (
        <p>
          <Link to={`/processes/${slug}/commitments/${u.commitment_id}/updates/new?corrects=${u.id}`}>{t('commitments.update.correct')}</Link>
        </p>
      )}
      {!draft && <UpdateDiscussion update={u} />}
      {draft && <p className="muted">{t('commitments.update.commentsAfter', { date: day(u.created_at.slice(0, 10), lang) })}</p>}
    </article>
  );
}

/** UpdateText is the update's content: progress, milestones, delays, next steps and evidence. */
function UpdateText({ update: u }: { update: ProgressUpdate }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading">{t('commitments.update.progress')}</h2>
        {/* The *_html fields are Markdown rendered and sanitised by the server. */}
        <div dangerouslySetInnerHTML={{ __html: u.progress_html }} />
      </section>
      <section aria-labelledby="milestones-heading">
        <h2 id="milestones-heading">{t('commitments.update.milestones')}</h2>
        <div className="table-scroll">
          <table className="state-table">
            <thead>
              <tr>
                <th scope="col">{t('commitments.update.milestone')}</th>
                <th scope="col">{t('commitments.update.due')}</th>
                <th scope="col">{t('commitments.update.stateColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {u.milestones.map((m) => (
                <tr key={m.milestone_id}>
                  <th scope="row">{m.title}</th>
                  <td>{day(m.due_on, lang)}</td>
                  <td>
                    {t(`commitments.milestoneState.${m.state}`)}
                    {m.completed_on && ` (${day(m.completed_on, lang)})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {u.delay_reasons_html && (
        <section aria-labelledby="delay-heading">
          <h2 id="delay-heading">{t('commitments.update.delay')}</h2>
          <div dangerouslySetInnerHTML={{ __html: u.delay_reasons_html }} />
        </section>
      )}
      <section aria-labelledby="next-heading">
        <h2 id="next-heading">{t('commitments.update.next')}</h2>
        <div dangerouslySetInnerHTML={{ __html: u.next_steps_html }} />
      </section>
      {u.evidence.length > 0 && (
        <section aria-labelledby="evidence-heading">
          <h2 id="evidence-heading">{t('commitments.update.evidence')}</h2>
          <ul>
            {u.evidence.map((e, i) => (
              <li key={i}>
                {e.url ? (
                  <a href={e.url} rel="noopener noreferrer">
                    {e.url}
                  </a>
                ) : (
                  t('commitments.milestone.evidenceItem', { title: e.repository_item?.title || `#${e.repository_item?.id}` })
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Signatures lists who signed a joint update and who dissented, and which seats a draft still needs. */
function Signatures({ update: u }: { update: ProgressUpdate }) {
  const { t } = useTranslation();
  const signed = u.signatures.filter((s) => s.kind === 'sign');
  const dissents = u.signatures.filter((s) => s.kind === 'dissent');
  const who = (s: ProgressUpdate['signatures'][number]) => [s.name, t('commitments.update.memberRef', { ref: s.member_ref }), t(`commitments.seat.${s.seat}`), s.organisation].filter(Boolean).join(' · ');
  return (
    <section aria-labelledby="signatures-heading">
      <h2 id="signatures-heading">{t('commitments.update.signatures')}</h2>
      {u.signing_rule && <p>{t(`commitments.update.rule.${u.signing_rule}`)}</p>}
      {u.state === 'draft' && u.missing_seats.length > 0 && (
        <p>{t('commitments.update.needs', { seats: u.missing_seats.map((s) => t(`commitments.seat.${s}`)).join(', ') })}</p>
      )}
      {signed.length === 0 ? (
        <p>{t('commitments.update.noSignatures')}</p>
      ) : (
        <ul>
          {signed.map((s) => (
            <li key={s.member_ref}>{who(s)}</li>
          ))}
        </ul>
      )}
      {dissents.length > 0 && (
        <>
          <h3>{t('commitments.update.dissents')}</h3>
          <ul>
            {dissents.map((s) => (
              <li key={s.member_ref}>
                <p>{who(s)}</p>
                {s.note && <blockquote className="preserve">{s.note}</blockquote>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** DraftActions are what may be done with a draft: edit, publish (government), sign or dissent (joint), discard. */
function DraftActions({ update: u, commitment: c, onEdit, onDiscard, announce, onStale }: {
  update: ProgressUpdate;
  commitment: Commitment | undefined;
  onEdit: () => void;
  onDiscard: () => void;
  announce: (key: string, opts?: Record<string, unknown>) => void;
  onStale: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const v = u.viewer;
  const slug = u.process;
  const after = (next: ProgressUpdate) =>
    announce(next.state === 'published' ? 'commitments.update.publishedNow' : 'commitments.update.signedNow', {
      seats: next.missing_seats.map((s) => t(`commitments.seat.${s}`)).join(', '),
    });
  const publish = useUpdateAction(slug, u, 'publish', after);
  const sign = useUpdateAction(slug, u, 'sign', after);
  const dissent = useUpdateAction(slug, u, 'dissent', () => announce('commitments.update.dissented'));
  const [dissenting, setDissenting] = useState(false);
  const [note, setNote] = useState('');
  const failed = publish.error ?? sign.error;
  const onError = (err: unknown) => {
    if (isStale(err, ['commitment.stale', 'commitment.published', 'commitment.already_signed'])) void onStale();
  };
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('commitments.update.actions')}</h2>
      {failed != null && (
        <p role="alert" className="error">
          {errorText(t, failed)}
        </p>
      )}
      <div className="form-actions">
        {u.kind === 'joint' && v.sign && (
          <button type="button" disabled={sign.isPending} aria-busy={sign.isPending} onClick={() => sign.mutate({ revision: u.revision }, { onError })}>
            {t('commitments.update.sign')}
          </button>
        )}
        {u.kind === 'joint' && v.sign && (
          <button type="button" className="secondary" aria-expanded={dissenting} onClick={() => setDissenting((d) => !d)}>
            {t('commitments.update.dissentInstead')}
          </button>
        )}
        {u.kind === 'government' && v.publish_government && (
          <button type="button" disabled={publish.isPending} aria-busy={publish.isPending} onClick={() => publish.mutate({ revision: u.revision }, { onError })}>
            {t('commitments.update.publish')}
          </button>
        )}
        {v.write && c && (
          <button type="button" className="secondary" onClick={onEdit}>
            {t('commitments.update.edit')}
          </button>
        )}
        {v.write && (
          <button type="button" className="secondary" onClick={onDiscard}>
            {t('commitments.update.discard')}
          </button>
        )}
      </div>
      {u.kind === 'government' && !v.publish_government && v.write && <p className="muted">{t('commitments.update.governmentPublishes')}</p>}
      {dissenting && (
        <form onSubmit={handleSubmit(() => dissent.mutate({ revision: u.revision, note }, { onSuccess: () => setDissenting(false), onError }))} noValidate>
          <ErrorSummary error={dissent.error} />
          <TextAreaField name="note" label={t('commitments.update.note')} hint={t('commitments.update.noteHint')} value={note} onChange={setNote} rows={4} maxLength={5000}
            error={fieldError(dissent.error, 'note')} />
          <div className="form-actions">
            <SubmitButton pending={dissent.isPending}>{t('commitments.update.attachDissent')}</SubmitButton>
            <button type="button" className="secondary" onClick={() => setDissenting(false)}>
              {t('commitments.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** EditDraft changes a draft on the revision read; a draft changed meanwhile is reloaded. */
function EditDraft({ update: u, commitment: c, onDone, onCancel, onStale }: {
  update: ProgressUpdate;
  commitment: Commitment;
  onDone: () => void;
  onCancel: () => void;
  onStale: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<UpdateDraft>(() => initialDraft(c, u));
  const edit = useEditUpdate(u.process, u);
  return (
    <UpdateEditor
      commitment={c}
      value={draft}
      onChange={setDraft}
      correcting={u.supersedes != null}
      pending={edit.isPending}
      error={edit.error}
      submitLabel={t('commitments.editor.save')}
      onSubmit={() =>
        edit.mutate(inputOf(c, draft, { revision: u.revision, ...(u.supersedes != null ? { correction_reason: draft.correctionReason } : {}) }), {
          onSuccess: onDone,
          onError: (err) => {
            if (isStale(err)) void onStale();
          },
        })
      }
      onCancel={onCancel}
    />
  );
}

/** Discard asks before deleting a draft. */
function Discard({ update: u, onCancel, onDone }: { update: ProgressUpdate; onCancel: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const discard = useDiscardUpdate(u.process, u);
  return (
    <ConfirmStep question={t('commitments.update.confirmDiscard')} confirmLabel={t('commitments.update.discard')} cancelLabel={t('commitments.cancel')}
      pending={discard.isPending} error={discard.error} onConfirm={() => discard.mutate(undefined, { onSuccess: onDone })} onCancel={onCancel} />
  );
}
