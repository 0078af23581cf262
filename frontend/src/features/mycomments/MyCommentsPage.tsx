import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { LoadMore } from '../../components/LoadMore';
import { QueryState, useDocumentTitle } from '../../components/status';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAccount } from '../../lib/useAccount';
import { targetOf, useMyComments, useTargetTitles, type Comment, type Target } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * placeOf is the address where a comment can be read: its paragraph in the
 * draft (or, when the text it was on changed too much to follow, the draft's
 * list of such comments), or its progress update. A comment on an idea has
 * none: the idea's page needs its process's slug, which a comment does not carry.
 */
export function placeOf(c: Comment): { href: string; label: 'paragraph' | 'orphaned' | 'update' } | null {
  if (c.progress_update_id != null) return { href: `/progress-updates/${c.progress_update_id}`, label: 'update' };
  if (c.idea_id != null || c.document_id == null) return null;
  if (c.anchor?.key) return { href: `/documents/${c.document_id}#p-${c.anchor.key}`, label: 'paragraph' };
  return { href: `/documents/${c.document_id}#orphaned`, label: 'orphaned' };
}

/** placeTitle says what a comment is on, by name when the name is known. */
function placeTitle(t: T, target: Target | null, title: string | undefined): string {
  const kind = target?.kind ?? 'document';
  return title ? t(`myComments.on.${kind}`, { title }) : t(`myComments.on.${kind}Unknown`);
}

/** MyCommentsPage lists the signed-in person's comments, newest first, with where each stands: /account/comments. */
export function MyCommentsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('myComments.title'));
  const account = useAccount();
  const mine = useMyComments(account?.id);
  const list = useRef<HTMLOListElement>(null);
  const items = mine.data?.pages.flatMap((p) => p.items) ?? [];
  const titles = useTargetTitles(items.map(targetOf).filter((x): x is Target => x !== null));
  return (
    <div className="my-comments">
      <p className="breadcrumb">
        <Link to="/account">{t('account.page.title')}</Link>
      </p>
      <h1>{t('myComments.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: '/account/comments' }}>
            {t('myComments.signIn')}
          </Link>
        </p>
      ) : (
        <>
          <p className="lead">{t('myComments.intro')}</p>
          <p role="status" aria-live="polite" className="list-status">
            {mine.isSuccess && items.length > 0 ? t('myComments.shown', { count: items.length }) : ''}
          </p>
          <QueryState
            query={mine}
            empty={
              items.length === 0 && (
                <>
                  {t('myComments.empty')} <Link to="/">{t('myComments.findDraft')}</Link>
                </>
              )
            }
          />
          {items.length > 0 && (
            <ol className="my-comments-list" ref={list}>
              {items.map((c) => {
                const target = targetOf(c);
                return <MyComment key={c.id} comment={c} heading={placeTitle(t, target, target ? titles.get(`${target.kind}:${target.id}`) : undefined)} />;
              })}
            </ol>
          )}
          {/* After "Load more", the keyboard continues at the first new comment. */}
          <LoadMore pages={mine} label={t('myComments.loadMore')} count={items.length} listRef={list} focusSelector=".my-comment h2" />
        </>
      )}
    </div>
  );
}

/** MyComment is one of the person's comments: where, when, its state in words, its text and a link to it in place. */
function MyComment({ comment: c, heading }: { comment: Comment; heading: string }) {
  const { t, i18n } = useTranslation();
  const place = placeOf(c);
  const headingId = `my-comment-${c.id}`;
  return (
    <li className="my-comment">
      <article aria-labelledby={headingId}>
        <h2 id={headingId} tabIndex={-1}>
          {heading}
        </h2>
        <p className="comment-meta">
          {c.depth > 0 && <span className="my-reply">{t('myComments.reply')} </span>}
          <time dateTime={c.created_at}>{formatDateTime(c.created_at, i18n.language)}</time>
          {c.edited_at && <span className="comment-edited"> {t('comment.editedMark')}</span>}
        </p>
        <p className={`my-status my-status-${c.status}`}>
          <strong>{t(`myComments.status.${c.status}`)}</strong>
          {c.status !== 'published' && <> {t(`myComments.explain.${c.status}`)}</>}
          {(c.status === 'hidden' || c.status === 'rejected') && (
            <>
              {' '}
              <Link to="/account/moderation">{t('myComments.seeWhy')}</Link>
            </>
          )}
        </p>
        {c.channel !== 'online' && (
          <p className="comment-provenance">
            {t(`offline.via.${c.channel}`, { date: c.received_on ? formatDate(`${c.received_on}T12:00:00Z`, i18n.language) : '' })} {t('offline.enteredBy', { name: c.author?.name ?? '' })}
          </p>
        )}
        {c.quote && (
          <div className="comment-quote">
            <span className="quote-label">{t('comment.onWords')}</span> <q>{c.quote.exact}</q>
          </div>
        )}
        {/* body_html is Markdown rendered and sanitised by the server (bluemonday), as in every thread. */}
        <div className="comment-body user-text" dangerouslySetInnerHTML={{ __html: c.body_html }} />
        {(place || c.response_id != null) && (
          <ul className="idea-links">
            {place && (
              <li>
                <Link to={place.href}>{t(`myComments.goTo.${place.label}`)}</Link>
              </li>
            )}
            {c.response_id != null && (
              <li>
                <Link to={`/responses/${c.response_id}`}>{t('myComments.answered')}</Link>
              </li>
            )}
          </ul>
        )}
      </article>
    </li>
  );
}
