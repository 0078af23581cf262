import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { dispositionName, fractionOf, ruleName } from './format';
import { Hash } from './LedgerPage';
import { forumKeys, refreshForum, useForum, useResponse, type ForumResponse } from './queries';
import { ResponseEditor } from './ResponseEditor';
import { CoverList, DispositionTag, SignatureList } from './ResponseParts';
import { SigningPanel } from './SigningPanel';

/** ResponsePage shows one response of the forum, published or (to the forum) a draft being signed: /responses/:id. */
export function ResponsePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  if (!/^[1-9]\d{0,17}$/.test(id)) return <NotFound title={t('forum.response.notFoundTitle')} body={t('forum.response.notFoundBody')} />;
  return <ResponseView key={id} id={Number(id)} />;
}

function ResponseView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const client = useQueryClient();
  const response = useResponse(id, account?.id);
  const slug = response.data?.process ?? '';
  const process = useProcess(slug, slug !== '');
  const forum = useForum(slug, account, slug !== '');
  const [announcement, announce] = useAnnouncer();
  const heading = useRef<HTMLHeadingElement>(null);
  const [correcting, setCorrecting] = useState(false);
  const correctButton = useRef<HTMLButtonElement>(null);
  const editorHeading = useRef<HTMLHeadingElement>(null);
  const focusEditor = useRef(false);
  const notFound = response.error instanceof AppError && response.error.status === 404;
  const r = response.data;
  const title = r ? (r.state === 'draft' ? t('forum.response.draftTitle') : t('forum.response.title', { disposition: dispositionName(t, r.disposition) })) : undefined;
  useDocumentTitle(title, notFound);

  // The correction's editor takes the focus once it is shown.
  useEffect(() => {
    if (focusEditor.current && editorHeading.current) {
      focusEditor.current = false;
      editorHeading.current.focus();
    }
  });

  if (response.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('forum.response.notFoundTitle')} body={t('forum.response.notFoundBody')} />;
  if (response.isError || !r) return <ErrorMessage error={response.error} />;

  function updated(next: ForumResponse) {
    client.setQueryData([...forumKeys.response(id), account?.id], next);
    void refreshForum(client, next.process);
    if (next.state === 'published') {
      void client.invalidateQueries({ queryKey: forumKeys.response(id) });
      setTimeout(() => heading.current?.focus(), 0);
    }
  }

  // A forum member corrects a published response that no later one corrects yet.
  const canCorrect = r.state === 'published' && r.superseded_by == null && forum.data?.viewer.member === true;

  function openCorrection() {
    focusEditor.current = true;
    setCorrecting(true);
  }
  function closeCorrection() {
    setCorrecting(false);
    setTimeout(() => (correctButton.current ?? heading.current)?.focus(), 0);
  }

  return (
    <article className="response-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      <p role="status" aria-live="polite" className="notice">
        {announcement}
      </p>
      {r.state === 'draft' && (
        <p className="notice-box">
          {t('forum.response.draftNotice')}{' '}
          {forum.data?.viewer.member && <Link to={`/processes/${slug}/forum/workspace?draft=${r.id}`}>{t('forum.response.editInWorkspace')}</Link>}
        </p>
      )}
      {r.superseded_by != null && (
        <p className="notice-box">
          {t('forum.response.supersededBy')} <Link to={`/responses/${r.superseded_by}`}>{t('forum.response.readCorrection')}</Link>
        </p>
      )}
      <dl className="facts">
        <dt>{t('forum.response.disposition')}</dt>
        <dd>
          <DispositionTag disposition={r.disposition} />
        </dd>
        <dt>{t('forumRules.response.rule')}</dt>
        <dd>
          {ruleName(t, r.rule.name)}
          {r.rule.name === 'qualified' && ` (${fractionOf(r.rule)})`}
        </dd>
        {r.published_at && (
          <>
            <dt>{t('forum.response.published')}</dt>
            <dd>
              <time dateTime={r.published_at}>{formatDateTime(r.published_at, i18n.language)}</time>
            </dd>
          </>
        )}
        {r.ledger && (
          <>
            <dt>{t('forum.response.ledgerEntry')}</dt>
            <dd>
              <Link to={`/processes/${slug}/ledger`}>{t('forum.response.seq', { seq: r.ledger.seq })}</Link> · <Hash value={r.ledger.hash} />
            </dd>
          </>
        )}
        <dt>{t('forum.response.answers')}</dt>
        <dd>{t('forum.response.contributions', { count: r.answered })}</dd>
        {r.supersedes != null && (
          <>
            <dt>{t('forum.response.corrects')}</dt>
            <dd>
              <Link to={`/responses/${r.supersedes}`}>{t('forum.response.correctsResponse', { id: r.supersedes })}</Link>
            </dd>
            {r.correction_reason && (
              <>
                <dt>{t('forum.response.correctionReason')}</dt>
                <dd className="preserve">{r.correction_reason}</dd>
              </>
            )}
          </>
        )}
      </dl>

      <section aria-labelledby="response-reasoning">
        <h2 id="response-reasoning">{t('forum.response.reasoning')}</h2>
        {/* reasoning_html is Markdown rendered and sanitised by the server. */}
        <div className="response-body user-text" dangerouslySetInnerHTML={{ __html: r.reasoning_html }} />
        {r.led_to && (
          <p>
            <strong>{t('forum.response.ledTo')}</strong> {r.led_to}
          </p>
        )}
      </section>

      <section aria-labelledby="response-covers">
        <h2 id="response-covers">{t('forum.response.covers')}</h2>
        <CoverList covers={r.covers} slug={slug} />
      </section>

      {r.state === 'draft' ? (
        <SigningPanel
          response={r}
          viewer={forum.data?.viewer}
          events={{
            onUpdated: updated,
            onStale: () => response.refetch(),
            announce,
          }}
        />
      ) : (
        <SignatureList response={r} level={2} />
      )}
      {canCorrect && !correcting && (
        <div className="response-correct">
          <button type="button" className="secondary" ref={correctButton} aria-describedby="response-correct-hint" onClick={openCorrection}>
            {t('forum.response.correct')}
          </button>
          <p id="response-correct-hint" className="hint">
            {t('forum.response.correctHint')}
          </p>
        </div>
      )}
      {correcting && forum.data && (
        <ResponseEditor
          slug={slug}
          forum={forum.data}
          corrects={r}
          headingRef={editorHeading}
          announce={announce}
          onCreated={() => undefined}
          onClose={closeCorrection}
          onPublished={() => void client.invalidateQueries({ queryKey: forumKeys.response(id) })}
        />
      )}
      {r.state === 'published' && (
        <p>
          <Link to={`/processes/${slug}/ledger`}>{t('forum.response.toLedger')}</Link>
        </p>
      )}
    </article>
  );
}
