import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../lib/format';
import { AnsweredBadge } from '../forum/ResponseParts';
import type { Comment } from './queries';
import type { ThreadContext } from './thread';
import { WrittenOn } from './WrittenOn';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** commentAuthorName names who a comment is from: its author, or for one received offline its contributor. */
export function commentAuthorName(t: T, c: Comment): string {
  if (c.channel !== 'online' && !c.deleted) return c.contributor ?? t('offline.anonymous');
  return c.author?.name ?? '';
}

/**
 * CommentHeader is what stands above a comment's text: who wrote it and when
 * (for a comment received offline, its contributor, how and when it was
 * received and who entered it), whether it was edited, on which version and
 * with what status; the response that answered it; the words it quotes; and
 * whether its paragraph moved.
 */
export function CommentHeader({ comment: c, ctx, extra }: { comment: Comment; ctx: ThreadContext; extra?: (c: Comment) => ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p className="comment-meta">
        <span className="comment-author">{commentAuthorName(t, c)}</span>{' '}
        <time dateTime={c.created_at}>{formatDateTime(c.created_at, i18n.language)}</time>
        {c.edited_at && <span className="comment-edited"> {t('comment.editedMark')}</span>}
        {ctx.versionNumber != null && c.version !== ctx.versionNumber && <span className="comment-version"> {t('comment.writtenOnVersion', { number: c.version })}</span>}
        {c.status !== 'published' && <span className="badge badge-pending">{t(`comment.status.${c.status}`)}</span>}
      </p>
      {c.channel !== 'online' && (
        <p className="comment-provenance">
          {t(`offline.via.${c.channel}`, { date: c.received_on ? formatDate(`${c.received_on}T12:00:00Z`, i18n.language) : '' })}
          {c.author && <> {t('offline.enteredBy', { name: c.author.name })}</>}
        </p>
      )}
      {c.response_id != null && <AnsweredBadge responseId={c.response_id} />}
      {extra?.(c)}
      {c.quote && (
        <div className="comment-quote">
          <span className="quote-label">{t('comment.onWords')}</span> <q>{c.quote.exact}</q>
        </div>
      )}
      {(c.anchor?.status === 'fuzzy' || c.anchor?.status === 'moved') && (
        <div className="anchor-notice">
          <p>{t(`comment.anchor.${c.anchor.status}`)}</p>
          {c.written_on != null && c.parent_id == null && (
            <details>
              <summary>{t('comment.anchor.showOriginal')}</summary>
              <WrittenOn comment={c} label={t('orphaned.writtenOn', { number: c.version })} />
            </details>
          )}
        </div>
      )}
    </>
  );
}
