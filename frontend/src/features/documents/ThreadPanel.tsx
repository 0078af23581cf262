import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { postComment, type NewComment } from './actions';
import { CommentForm } from './CommentForm';
import { ThreadPages, type DraftThreadContext } from './CommentThread';
import type { Quote } from './offsets';
import { refreshAfterWrite, useThread, type Block } from './queries';
import { useSubmitter } from '../../lib/idempotency';

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
  const client = useQueryClient();
  const submit = useSubmitter();
  const location = useLocation();
  const thread = useThread(ctx.documentId, block.key);
  const [quote, setQuote] = useState<Quote | null>(props.phrase?.key === block.key ? props.phrase.quote : null);
  const [notice, setNotice] = useState<string | null>(null);
  const canWrite = ctx.account != null && ctx.open;

  // A newly chosen phrase replaces the quote in the form.
  const nonce = props.phrase?.key === block.key ? props.phrase.nonce : undefined;
  useEffect(() => {
    if (nonce !== undefined && props.phrase) setQuote(props.phrase.quote);
  }, [nonce]);

  useEffect(() => {
    if (props.focus === 'composer' && composer.current) composer.current.focus();
    else if (props.focus) heading.current?.focus();
  }, [props.focus, nonce]);

  async function post(body: string) {
    const input: NewComment = { paragraph_key: block.key, version: ctx.versionNumber, body };
    if (quote) input.quote = quote;
    const c = await submit(`POST /documents/${ctx.documentId}/comments ${JSON.stringify(input)}`, (key) => postComment(ctx.documentId, input, key));
    setQuote(null);
    props.onQuoteUsed();
    setNotice(c.status === 'pending' ? t('comment.pending') : t('comment.posted'));
    await refreshAfterWrite(client, ctx.documentId);
  }

  const excerpt = block.text.length > 140 ? `${block.text.slice(0, 137)}…` : block.text;
  return (
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
            onSubmit={post}
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
