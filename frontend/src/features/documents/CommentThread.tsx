import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/session';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorMessage, errorText, Loading } from '../../components/status';
import { AnsweredBadge } from '../forum/ResponseParts';
import { ReportForm } from '../moderation/ReportForm';
import { castVote, deleteComment, editComment, postReply, retractVote } from './actions';
import { CommentForm } from './CommentForm';
import { documentKeys, refreshAfterWrite, type Comment, type CommentPage, type MyVotes, type VoteValue } from './queries';
import { formatDateTime } from '../../lib/format';
import { useSubmitter } from '../../lib/idempotency';

/** WrittenOn shows the text a comment was written on (when it has changed since), its phrase marked. */
export function WrittenOn({ comment: c, label }: { comment: Comment; label: string }) {
  if (c.written_on == null) return null;
  const cps = Array.from(c.written_on);
  let text: ReactNode = c.written_on;
  if (c.quote && c.quote.end <= cps.length && cps.slice(c.quote.start, c.quote.end).join('') === c.quote.exact) {
    text = (
      <>
        {cps.slice(0, c.quote.start).join('')}
        <mark>{c.quote.exact}</mark>
        {cps.slice(c.quote.end).join('')}
      </>
    );
  }
  return (
    <div className="written-on">
      <p className="quote-label">{label}</p>
      <blockquote>
        <p>{text}</p>
      </blockquote>
    </div>
  );
}

/** MaxDepth is the deepest reply the server takes: comments are depth 0, replies 1 to 3. */
export const MaxDepth = 3;

export interface ThreadNode {
  comment: Comment;
  replies: ThreadNode[];
}

/**
 * buildTree nests comments given in thread order (each parent before its
 * replies). A reply whose parent is not among them stands at the top level.
 */
export function buildTree(items: Comment[]): ThreadNode[] {
  const byId = new Map<number, ThreadNode>();
  const roots: ThreadNode[] = [];
  for (const comment of items) {
    const node: ThreadNode = { comment, replies: [] };
    byId.set(comment.id, node);
    const parent = comment.parent_id != null ? byId.get(comment.parent_id) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

/**
 * What every comment of a thread needs to know about the page it is on: a
 * draft's paragraph or an idea's discussion.
 */
export interface ThreadContext {
  /** The number of the draft version being read (the latest); null when the thread is not on a draft. */
  versionNumber: number | null;
  account: Account | null;
  votes: MyVotes | undefined;
  /** Whether replies and votes can be written now. */
  open: boolean;
  /** Where the thread's pages and the person's votes are cached, so that a vote shows at once. */
  keys: { threads: QueryKey; myVotes: QueryKey };
  /** refresh refetches what a comment or vote changes. */
  refresh: (client: QueryClient) => Promise<unknown>;
  /** The slug of the process the thread belongs to (for its house rules), once known. */
  slug?: string;
}

/** DraftThreadContext is the context of a thread on a paragraph of a draft. */
export interface DraftThreadContext extends ThreadContext {
  documentId: number;
  versionNumber: number;
}

/** draftThreadContext builds the context of the threads on a draft's latest version. */
export function draftThreadContext(documentId: number, versionNumber: number, account: Account | null, votes: MyVotes | undefined, open: boolean, slug?: string): DraftThreadContext {
  return {
    slug,
    documentId,
    versionNumber,
    account,
    votes,
    open,
    keys: { threads: documentKeys.threads(documentId), myVotes: documentKeys.myVotes(documentId) },
    refresh: (client) => refreshAfterWrite(client, documentId),
  };
}

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

type Mode = 'view' | 'reply' | 'edit' | 'delete' | 'report';

function CommentNode({ node, ctx, extra }: { node: ThreadNode; ctx: ThreadContext; extra?: (c: Comment) => ReactNode }) {
  const { t, i18n } = useTranslation();
  const c = node.comment;
  const client = useQueryClient();
  const submit = useSubmitter();
  const [mode, setMode] = useState<Mode>('view');
  const [notice, setNotice] = useState<string | null>(null);
  const [editRevision, setEditRevision] = useState(c.revision);
  const own = ctx.account != null && c.author != null && c.author.id === ctx.account.id;
  const signedIn = ctx.account != null;
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

  async function reply(body: string) {
    const r = await submit(`POST /comments/${c.id}/replies ${body}`, (key) => postReply(c.id, body, key));
    setMode('view');
    setNotice(r.status === 'pending' ? t('comment.pending') : t('comment.replied'));
    await ctx.refresh(client);
  }

  async function edit(body: string) {
    try {
      await submit(`PATCH /comments/${c.id} ${editRevision} ${body}`, (key) => editComment(c.id, body, editRevision, key));
    } catch (err) {
      // Someone (the author, elsewhere) changed it: show the current text behind the form.
      void ctx.refresh(client);
      throw err;
    }
    setMode('view');
    setNotice(t('comment.edited'));
    await ctx.refresh(client);
  }

  return (
    <li className="comment-node">
      <article className={`comment${c.deleted ? ' comment-deleted' : ''}`} aria-label={c.deleted ? t('comment.deleted') : t('comment.by', { name: c.author?.name ?? '' })}>
        {c.deleted ? (
          <p className="tombstone" tabIndex={-1} ref={tombstone}>
            {t('comment.deleted')}
          </p>
        ) : (
          <>
            <p className="comment-meta">
              <span className="comment-author">{c.author?.name}</span>{' '}
              <time dateTime={c.created_at}>{formatDateTime(c.created_at, i18n.language)}</time>
              {c.edited_at && <span className="comment-edited"> {t('comment.editedMark')}</span>}
              {ctx.versionNumber != null && c.version !== ctx.versionNumber && <span className="comment-version"> {t('comment.writtenOnVersion', { number: c.version })}</span>}
              {c.status !== 'published' && <span className="badge badge-pending">{t(`comment.status.${c.status}`)}</span>}
            </p>
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
            {mode === 'edit' ? (
              <CommentForm
                label={t('comment.form.editLabel')}
                submitLabel={t('comment.form.save')}
                initial={c.body}
                textareaRef={editBox}
                keep
                onSubmit={edit}
                onCancel={() => back(editButton)}
              />
            ) : (
              // body_html is Markdown rendered and sanitised by the server (bluemonday).
              <div className="comment-body" dangerouslySetInnerHTML={{ __html: c.body_html }} />
            )}
          </>
        )}
        {!c.deleted && mode !== 'edit' && (
          <div className="comment-actions">
            <Votes comment={c} ctx={ctx} />
            {signedIn && ctx.open && c.depth < MaxDepth && (
              <button type="button" className="secondary" ref={replyButton} aria-expanded={mode === 'reply'} onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}>
                {t('comment.reply')}
              </button>
            )}
            {signedIn && ctx.open && c.depth >= MaxDepth && <span className="depth-note">{t('comment.depthLimit')}</span>}
            {own && (
              <>
                <button
                  type="button"
                  className="secondary"
                  ref={editButton}
                  onClick={() => {
                    setEditRevision(c.revision);
                    setMode('edit');
                  }}
                >
                  {t('comment.edit')}
                </button>
                <button type="button" className="secondary" aria-expanded={mode === 'delete'} onClick={() => setMode('delete')}>
                  {t('comment.delete')}
                </button>
              </>
            )}
            {!own && c.status === 'published' && (
              <button type="button" className="secondary" ref={reportButton} aria-expanded={mode === 'report'} onClick={() => setMode(mode === 'report' ? 'view' : 'report')}>
                {t('comment.report')}
              </button>
            )}
          </div>
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
          <CommentForm label={t('comment.form.replyLabel', { name: c.author?.name ?? '' })} submitLabel={t('comment.form.postReply')} textareaRef={replyBox} onSubmit={reply} onCancel={() => back(replyButton)} />
        </div>
      )}
      {node.replies.length > 0 && <CommentList nodes={node.replies} ctx={ctx} className="replies" extra={extra} />}
    </li>
  );
}

/** PagedComments is a paginated comment query (a thread, a discussion, the orphaned comments). */
type PagedComments = {
  data?: { pages: CommentPage[] };
  isPending: boolean;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

/**
 * ThreadPages shows the pages of comments loaded so far: progress, a failure,
 * the empty text, the comments in thread order and a "Load more" button.
 */
export function ThreadPages({ pages, ctx, emptyText, loadMoreLabel, extra }: {
  pages: PagedComments;
  ctx: ThreadContext;
  emptyText: string;
  loadMoreLabel: string;
  extra?: (c: Comment) => ReactNode;
}) {
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {pages.isPending && <Loading />}
      {pages.isError && <ErrorMessage error={pages.error} />}
      {pages.isSuccess && items.length === 0 && <p className="thread-empty">{emptyText}</p>}
      {items.length > 0 && <CommentList nodes={buildTree(items)} ctx={ctx} extra={extra} />}
      {pages.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {loadMoreLabel}
        </button>
      )}
      {pages.isFetchingNextPage && <Loading />}
    </>
  );
}

/** ConfirmDelete asks before deleting one's comment. */
function ConfirmDelete({ comment, ctx, onDeleted, onCancel }: { comment: Comment; ctx: ThreadContext; onDeleted: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const submit = useSubmitter();
  async function confirm() {
    await submit(`DELETE /comments/${comment.id}`, (key) => deleteComment(comment.id, key));
    onDeleted();
    await ctx.refresh(client);
  }
  return <ConfirmStep question={t('comment.confirmDelete')} confirmLabel={t('comment.confirmDeleteYes')} cancelLabel={t('comment.form.cancel')} onConfirm={confirm} onCancel={onCancel} />;
}

/** Votes shows a comment's agree and disagree counts; signed-in people press them to vote. */
function Votes({ comment, ctx }: { comment: Comment; ctx: ThreadContext }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const submit = useSubmitter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mine = ctx.votes?.[String(comment.id)] ?? null;

  if (!ctx.account || !ctx.open || comment.status !== 'published') {
    return <span className="vote-counts">{t('comment.voteCounts', { agree: comment.agree, disagree: comment.disagree })}</span>;
  }

  async function press(value: VoteValue) {
    if (pending) return; // (not disabled: a disabled button would drop the focus)
    setPending(true);
    setError(null);
    try {
      const id = comment.id;
      const state =
        mine === value
          ? await submit(`DELETE /comments/${id}/vote`, (key) => retractVote(id, key))
          : await submit(`PUT /comments/${id}/vote ${value}`, (key) => castVote(id, value, key));
      client.setQueriesData<MyVotes>({ queryKey: ctx.keys.myVotes }, (old) => {
        const next = { ...old };
        if (state.mine) next[String(id)] = state.mine;
        else delete next[String(id)];
        return next;
      });
      client.setQueriesData<{ pages: CommentPage[]; pageParams: unknown[] }>({ queryKey: ctx.keys.threads }, (old) =>
        old && {
          ...old,
          pages: old.pages.map((p) => ({ ...p, items: p.items.map((c) => (c.id === id ? { ...c, agree: state.agree, disagree: state.disagree } : c)) })),
        },
      );
      await ctx.refresh(client);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <span className="votes" role="group" aria-label={t('comment.votesLabel')}>
      <button type="button" className="vote" aria-pressed={mine === 'agree'} aria-busy={pending} onClick={() => void press('agree')}>
        {t('comment.agree')} <span className="vote-count">{comment.agree}</span>
      </button>
      <button type="button" className="vote" aria-pressed={mine === 'disagree'} aria-busy={pending} onClick={() => void press('disagree')}>
        {t('comment.disagree')} <span className="vote-count">{comment.disagree}</span>
      </button>
      {error != null && (
        <span role="alert" className="field-error">
          {errorText(t, error)}
        </span>
      )}
    </span>
  );
}
