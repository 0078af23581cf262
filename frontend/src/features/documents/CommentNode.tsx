import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ReportForm } from '../moderation/ReportForm';
import { CommentActions, type CommentMode } from './CommentActions';
import { ConfirmDelete, EditForm, ReplyForm } from './CommentEditors';
import { commentAuthorName, CommentHeader } from './CommentHeader';
import type { Comment } from './queries';
import type { ThreadContext, ThreadNode } from './thread';

/** CommentList renders nested comments as nested lists. */
export function CommentList({ nodes, ctx, className = 'thread', extra }: { nodes: ThreadNode[]; ctx: ThreadContext; className?: string; extra?: (c: Comment) => ReactNode }) {
  return (
    <ol className={className}>
      {nodes.map((n) => (
        <CommentNode key={n.comment.id} node={n} ctx={ctx} extra={extra} />
      ))}
    </ol>
  );
}

/**
 * CommentNode is one comment of a thread with its replies below it. It opens
 * one form at a time in place (reply, edit, delete, report) and, when that
 * closes, gives the focus back to the button that opened it.
 */
function CommentNode({ node, ctx, extra }: { node: ThreadNode; ctx: ThreadContext; extra?: (c: Comment) => ReactNode }) {
  const { t } = useTranslation();
  const c = node.comment;
  const [mode, setMode] = useState<CommentMode>('view');
  const [notice, setNotice] = useState<string | null>(null);
  const [editRevision, setEditRevision] = useState(c.revision);
  // The text of the author's edit that waits for a moderator, as the server
  // answered it (public threads say only that an edit waits).
  const [waitingText, setWaitingText] = useState<string | null>(null);
  const own = ctx.account != null && c.author != null && c.author.id === ctx.account.id;
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const editBox = useRef<HTMLTextAreaElement>(null);
  const replyButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const reportButton = useRef<HTMLButtonElement>(null);
  const tombstone = useRef<HTMLParagraphElement>(null);
  const focusTombstone = useRef(false);

  useEffect(() => {
    if (c.deleted && focusTombstone.current) {
      focusTombstone.current = false;
      tombstone.current?.focus();
    }
  }, [c.deleted]);

  useEffect(() => {
    if (mode === 'reply') replyBox.current?.focus();
    if (mode === 'edit') editBox.current?.focus();
  }, [mode]);

  function back(to: RefObject<HTMLButtonElement | null>) {
    setMode('view');
    setTimeout(() => to.current?.focus(), 0);
  }

  return (
    <li className="comment-node">
      <article className={`comment${c.deleted ? ' comment-deleted' : ''}`} aria-label={c.deleted ? t('comment.deleted') : t('comment.by', { name: commentAuthorName(t, c) })}>
        {c.deleted ? (
          <p className="tombstone" tabIndex={-1} ref={tombstone}>
            {t('comment.deleted')}
          </p>
        ) : (
          <>
            <CommentHeader comment={c} ctx={ctx} extra={extra} />
            {mode === 'edit' ? (
              <EditForm
                comment={c}
                ctx={ctx}
                revision={editRevision}
                initial={c.edit_pending ? (waitingText ?? undefined) : undefined}
                textareaRef={editBox}
                onDone={(saved) => {
                  setMode('view');
                  setWaitingText(saved.pending_body ?? null);
                  setNotice(t(saved.edit_pending ? 'comment.editWaiting' : 'comment.edited'));
                }}
                onCancel={() => back(editButton)}
              />
            ) : (
              // body_html is Markdown rendered and sanitised by the server (bluemonday).
              <div className="comment-body user-text" dir="auto" dangerouslySetInnerHTML={{ __html: c.body_html }} />
            )}
            {own && c.edit_pending && mode !== 'edit' && <p className="notice-box edit-pending">{t('comment.editPending')}</p>}
          </>
        )}
        {!c.deleted && mode !== 'edit' && (
          <CommentActions
            comment={c}
            ctx={ctx}
            mode={mode}
            setMode={setMode}
            onEdit={() => {
              setEditRevision(c.revision);
              setMode('edit');
            }}
            replyRef={replyButton}
            editRef={editButton}
            reportRef={reportButton}
          />
        )}
        {mode === 'report' && (
          <ReportForm
            target={{ type: 'comment', id: c.id }}
            slug={ctx.slug}
            onDone={(message) => {
              setNotice(message);
              back(reportButton);
            }}
            onCancel={() => back(reportButton)}
          />
        )}
        {mode === 'delete' && (
          <ConfirmDelete
            comment={c}
            ctx={ctx}
            onDeleted={() => {
              focusTombstone.current = true;
              setMode('view');
            }}
            onCancel={() => back(editButton)}
          />
        )}
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
      </article>
      {mode === 'reply' && (
        <div className="reply-box">
          <ReplyForm
            comment={c}
            ctx={ctx}
            textareaRef={replyBox}
            onDone={(message) => {
              setMode('view');
              setNotice(message);
            }}
            onCancel={() => back(replyButton)}
          />
        </div>
      )}
      {node.replies.length > 0 && <CommentList nodes={node.replies} ctx={ctx} className="replies" extra={extra} />}
    </li>
  );
}
