import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { CommentVotes } from './CommentVotes';
import type { Comment } from './queries';
import { MaxDepth, type ThreadContext } from './thread';

/** What a comment's action buttons can open. */
export type CommentMode = 'view' | 'reply' | 'edit' | 'delete' | 'report';

/**
 * CommentActions is the row under a comment: its votes, and the buttons to
 * reply, to edit or delete one's own comment, or to report someone else's.
 */
export function CommentActions({ comment: c, ctx, mode, setMode, onEdit, replyRef, editRef, reportRef }: {
  comment: Comment;
  ctx: ThreadContext;
  mode: CommentMode;
  setMode: (m: CommentMode) => void;
  onEdit: () => void;
  // The buttons the focus returns to when what they opened closes.
  replyRef: RefObject<HTMLButtonElement | null>;
  editRef: RefObject<HTMLButtonElement | null>;
  reportRef: RefObject<HTMLButtonElement | null>;
}) {
  const { t } = useTranslation();
  const own = ctx.account != null && c.author != null && c.author.id === ctx.account.id;
  const signedIn = ctx.account != null;
  return (
    <div className="comment-actions">
      <CommentVotes comment={c} ctx={ctx} />
      {signedIn && ctx.open && c.depth < MaxDepth && (
        <button type="button" className="secondary" ref={replyRef} aria-expanded={mode === 'reply'} onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}>
          {t('comment.reply')}
        </button>
      )}
      {signedIn && ctx.open && c.depth >= MaxDepth && <span className="depth-note">{t('comment.depthLimit')}</span>}
      {own && (
        <>
          <button type="button" className="secondary" ref={editRef} onClick={onEdit}>
            {t('comment.edit')}
          </button>
          <button type="button" className="secondary" aria-expanded={mode === 'delete'} onClick={() => setMode('delete')}>
            {t('comment.delete')}
          </button>
        </>
      )}
      {!own && c.status === 'published' && (
        <button type="button" className="secondary" ref={reportRef} aria-expanded={mode === 'report'} onClick={() => setMode(mode === 'report' ? 'view' : 'report')}>
          {t('comment.report')}
        </button>
      )}
    </div>
  );
}
