import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { CommentForm } from './CommentForm';
import { ThreadPages } from './CommentThread';
import { usePostComment, type NewComment } from './mutations';
import type { Quote } from './offsets';
import { useThread, type Block } from './queries';
import type { DraftThreadContext } from './thread';

/** A phrase someone chose to comment on; nonce tells two choices of the same words apart. */
export interface PhraseChoice {
  key: string;
  quote: Quote;
  nonce: number;
}

/** panelId is the id of a paragraph's thread panel, for aria-controls. */
export const panelId = (key: string) => `thread-${key}`;

/**
 * ThreadPanel shows one paragraph's comments, nested, and the form to comment
 * on it (or on a phrase of it) when signed in.
 */
export function ThreadPanel(props: { block: Block; ctx: DraftThreadContext; phrase: PhraseChoice | null; focus: 'heading' | 'composer' | null; onClose: () => void; onQuoteUsed: () => void }) {
  const { block, ctx } = props;
  const { t } = useTranslation();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const location = useLocation();
  const thread = useThread(ctx.documentId, block.key);
  const [quote, setQuote] = useState<Quote | null>(props.phrase?.key === block.key ? props.phrase.quote : null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = ctx.account != null && ctx.open;

  // A newly chosen phrase replaces the quote in the form.
  const chosen = props.phrase?.key === block.key ? props.phrase : null;
  const nonce = chosen?.nonce;
  const [seenNonce, setSeenNonce] = useState(nonce);
  if (nonce !== seenNonce) {
    setSeenNonce(nonce);
    if (chosen) setQuote(chosen.quote);
  }

  useEffect(() => {
    if (props.focus === 'composer' && composer.current) composer.current.focus();
    else if (props.focus) heading.current?.focus();
  }, [props.focus, nonce]);

  const post = usePostComment(ctx.documentId, (c) => {
    setQuote(null);
    props.onQuoteUsed();
    setNotice(c.status === 'pending' ? t('comment.pending') : t('comment.posted'));
  });
  function send(body: string, clear: () => void) {
    const input: NewComment = { paragraph_key: block.key, version: ctx.versionNumber, body };
    if (quote) input.quote = quote;
    post.mutate(input, { onSuccess: clear });
  }

  const excerpt = block.text.length > 140 ? `${block.text.slice(0, 137)}…` : block.text;
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- Escape from anywhere in the panel closes it
    <section
      className="thread-panel"
      id={panelId(block.key)}
      aria-labelledby={headingId}
      aria-busy={thread.isFetching}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <div className="thread-head">
        <h2 id={headingId} tabIndex={-1} ref={heading}>
          {t('thread.title')}
        </h2>
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('thread.close')}
        </button>
      </div>
      <p className="thread-excerpt">
        <q>{excerpt.replace(/\t/g, ' · ')}</q>
      </p>
      <ThreadPages pages={thread} ctx={ctx} emptyText={t('thread.empty')} loadMoreLabel={t('thread.loadMore')} />

      <div className="composer">
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        {!ctx.open ? (
          <p className="closed-note">{t('thread.closed')}</p>
        ) : canWrite ? (
          <CommentForm
            label={quote ? t('comment.form.phraseLabel') : t('comment.form.label')}
            submitLabel={t('comment.form.post')}
            quote={quote}
            onRemoveQuote={() => {
              setQuote(null);
              props.onQuoteUsed();
              composer.current?.focus();
            }}
            textareaRef={composer}
            pending={post.isPending}
            error={post.error}
            onSubmit={send}
          />
        ) : (
          <p>
            <Link to="/login" state={{ from: `${location.pathname}#p-${block.key}` }}>
              {t('thread.signIn')}
            </Link>
          </p>
        )}
      </div>
    </section>
  );
}
