import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { FollowButton } from '../notifications/FollowButton';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess, useIdeaSettings } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { ResponseSummary } from '../forum/ResponseParts';
import { ReportForm } from '../moderation/ReportForm';
import { IdeaDiscussion } from './IdeaDiscussion';
import { ideaAuthor } from './ideaAuthor';
import { IdeaForm, type IdeaDraft } from './IdeaForm';
import { MergePanel } from './MergePanel';
import { useEditIdea, useWithdrawIdea } from './mutations';
import { ideaIsOpen, useIdea, type Idea, type IdeaTheme } from './queries';
import { SupportBox } from './SupportBox';

export { ideaAuthor };

/** IdeaPage shows one idea, its supports and its discussion: /processes/:slug/ideas/:ideaID. */
export function IdeaPage() {
  const { slug = '', ideaID = '' } = useParams();
  const { t } = useTranslation();
  if (!/^[1-9]\d{0,17}$/.test(ideaID)) return <NotFound title={t('idea.notFoundTitle')} body={t('idea.notFoundBody')} />;
  return <IdeaView key={ideaID} slug={slug} id={Number(ideaID)} />;
}

type Mode = 'view' | 'edit' | 'withdraw' | 'report' | 'merge';

function IdeaView({ slug, id }: { slug: string; id: number }) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const idea = useIdea(id, account?.id);
  const settings = useIdeaSettings(slug);
  const process = useProcess(slug);
  const [mode, setMode] = useState<Mode>('view');
  // An i18n key: what the person just did here (or on the page that led here).
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const navigate = useNavigate();
  // Said once: a reload of the page should not say it again.
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) navigate(location.pathname, { replace: true, state: null });
  }, [location, navigate]);
  const editButton = useRef<HTMLButtonElement>(null);
  const withdrawButton = useRef<HTMLButtonElement>(null);
  const reportButton = useRef<HTMLButtonElement>(null);
  const mergeButton = useRef<HTMLButtonElement>(null);
  const [reported, setReported] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const notFound = idea.error instanceof AppError && idea.error.status === 404;
  useDocumentTitle(idea.data?.title, notFound);

  function back(to: React.RefObject<HTMLButtonElement | null>) {
    setMode('view');
    setTimeout(() => (to.current ?? heading.current)?.focus(), 0);
  }

  if (idea.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('idea.notFoundTitle')} body={t('idea.notFoundBody')} />;
  if (idea.isError) return <ErrorMessage error={idea.error} />;

  const d = idea.data;
  const own = account != null && d.author.id === account.id;
  const open = settings.data?.open === true;
  const withdrawable = own && (d.status === 'submitted' || d.status === 'under_review');
  return (
    <article className="idea-page">
      <p className="breadcrumb">
        <Link to={`/processes/${slug}/ideas`}>{process.data ? t('idea.backToIdeas', { process: process.data.title }) : t('idea.backToIdeasShort')}</Link>
      </p>
      <h1 tabIndex={-1} ref={heading} dir="auto">
        {d.title}
      </h1>
      {d.status === 'merged' && d.merged_into != null && <MergedBanner slug={slug} into={d.merged_into} />}
      <FollowButton subject={{ kind: 'idea', id: d.id }} />
      <p className="idea-tags">
        {d.theme && (
          <span className="theme-tag">
            <span className="visually-hidden">{t('idea.themeLabel')} </span>
            {d.theme.name}
          </span>
        )}
        <span className={`status-tag status-${d.status}`}>
          <span className="visually-hidden">{t('idea.statusLabel')} </span>
          {t(`ideaStatus.${d.status}`)}
        </span>
      </p>
      <p className="idea-byline">
        {d.channel === 'online'
          ? t('idea.byline', { name: d.author.name, date: formatDate(d.created_at, i18n.language) })
          : t(`idea.onBehalf.${d.channel}`, { name: ideaAuthor(t, d), date: formatDate(d.created_at, i18n.language) })}
        {d.edited_at && <span className="comment-edited"> {t('idea.editedMark')}</span>}
      </p>
      {d.received_on && <p className="idea-byline">{t('offline.receivedOn', { date: formatDate(`${d.received_on}T12:00:00Z`, i18n.language) })}</p>}
      {d.moderation !== 'published' && (
        <p className="notice-box">
          {t(`idea.moderation.${d.moderation}`)}
          {own && (
            <>
              {' '}
              <Link to="/account/moderation">{t('idea.moderationLink')}</Link>
            </>
          )}
        </p>
      )}
      {own && d.edit_pending && (
        <div className="notice-box edit-pending">
          <p>{t('idea.editPending')}</p>
          {d.pending_title != null && (
            <details>
              <summary>{t('idea.pendingEdit')}</summary>
              <p className="item-title">{d.pending_title}</p>
              <p className="preserve">{d.pending_body}</p>
            </details>
          )}
        </div>
      )}
      {notice && (
        <p role="status" className="notice">
          {t(notice)}
        </p>
      )}
      {mode === 'edit' ? (
        <EditIdea
          idea={d}
          slug={slug}
          themes={settings.data?.themes ?? (d.theme ? [d.theme] : [])}
          onDone={(saved) => {
            setNotice(saved.edit_pending ? 'idea.editWaiting' : 'idea.edited');
            back(editButton);
          }}
          onCancel={() => back(editButton)}
        />
      ) : (
        // body_html is Markdown rendered and sanitised by the server.
        <div className="idea-body user-text" dir="auto" dangerouslySetInnerHTML={{ __html: d.body_html }} />
      )}
      {own && mode !== 'edit' && (d.editable || withdrawable) && (
        <div className="form-actions idea-owner-actions">
          {d.editable && (
            <button type="button" className="secondary" ref={editButton} onClick={() => setMode('edit')}>
              {t('idea.edit')}
            </button>
          )}
          {withdrawable && (
            <button type="button" className="secondary" ref={withdrawButton} aria-expanded={mode === 'withdraw'} onClick={() => setMode('withdraw')}>
              {t('idea.withdraw')}
            </button>
          )}
        </div>
      )}
      {mode === 'withdraw' && (
        <ConfirmWithdraw
          idea={d}
          slug={slug}
          onDone={() => {
            setNotice('idea.withdrawn');
            back(withdrawButton);
          }}
          onCancel={() => back(withdrawButton)}
        />
      )}
      {!own && d.moderation === 'published' && (
        <div className="idea-report">
          <button type="button" className="secondary" ref={reportButton} aria-expanded={mode === 'report'} onClick={() => setMode(mode === 'report' ? 'view' : 'report')}>
            {t('idea.report')}
          </button>
          {mode === 'report' && (
            <ReportForm
              target={{ type: 'idea', id: d.id }}
              slug={slug}
              onDone={(message) => {
                setReported(message);
                back(reportButton);
              }}
              onCancel={() => back(reportButton)}
            />
          )}
          {reported && (
            <p role="status" className="notice">
              {reported}
            </p>
          )}
        </div>
      )}
      {d.can_merge === true && mode !== 'merge' && (
        <div className="form-actions idea-merge-action">
          <button type="button" className="secondary" ref={mergeButton} aria-expanded={false} onClick={() => setMode('merge')}>
            {t('idea.merge.open')}
          </button>
        </div>
      )}
      {mode === 'merge' && (
        <MergePanel
          idea={d}
          slug={slug}
          onMerged={() => {
            setNotice('idea.merge.done');
            back(mergeButton);
          }}
          onCancel={() => back(mergeButton)}
        />
      )}
      {d.status_response_id != null && <ResponseSummary responseId={d.status_response_id} />}
      <SupportBox idea={d} slug={slug} open={open} />
      <IdeaDiscussion idea={d} slug={slug} open={open && ideaIsOpen(d) && d.moderation === 'published'} />
    </article>
  );
}

/** MergedBanner says which idea this one was merged into, with a link to it. */
function MergedBanner({ slug, into }: { slug: string; into: number }) {
  const { t } = useTranslation();
  const account = useAccount();
  const target = useIdea(into, account?.id);
  // The sentence is translated whole; the link goes where its title stands.
  const [before, after = ''] = t('idea.mergedInto', { title: '\u0000' }).split('\u0000');
  return (
    <p className="notice-box merged-banner">
      {before}
      <Link to={`/processes/${slug}/ideas/${into}`}>{target.data?.title ?? t('idea.anotherIdea')}</Link>
      {after}
    </p>
  );
}

/**
 * EditIdea is the author's form to change an idea that nobody has supported or
 * discussed yet; it starts from the edit that waits for a moderator, if one does.
 */
function EditIdea({ idea, slug, themes, onDone, onCancel }: { idea: Idea; slug: string; themes: IdeaTheme[]; onDone: (saved: Idea) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<IdeaDraft>({
    title: idea.pending_title ?? idea.title,
    themeId: idea.theme ? String(idea.theme.id) : '',
    body: idea.pending_body ?? idea.body,
  });
  // The revision the person started from, whatever arrives meanwhile.
  const [revision] = useState(idea.revision);
  const save = useEditIdea(idea.id, slug);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('input')?.focus(), []);

  return (
    <div className="idea-edit" ref={box}>
      <h2>{t('idea.editTitle')}</h2>
      <IdeaForm
        themes={themes}
        value={draft}
        onChange={setDraft}
        submitLabel={t('idea.save')}
        onSubmit={() => save.mutate({ draft, revision }, { onSuccess: (saved) => onDone(saved) })}
        pending={save.isPending}
        error={save.error}
        onCancel={onCancel}
      />
    </div>
  );
}

/** ConfirmWithdraw asks the author before withdrawing their idea. */
function ConfirmWithdraw({ idea, slug, onDone, onCancel }: { idea: Idea; slug: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const withdraw = useWithdrawIdea(idea.id, slug);
  return (
    <ConfirmStep
      question={t('idea.confirmWithdraw')}
      confirmLabel={t('idea.confirmWithdrawYes')}
      cancelLabel={t('idea.cancel')}
      pending={withdraw.isPending}
      error={withdraw.error}
      onConfirm={() => withdraw.mutate(undefined, { onSuccess: onDone })}
      onCancel={onCancel}
    />
  );
}
