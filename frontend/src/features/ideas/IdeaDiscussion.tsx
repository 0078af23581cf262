import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAccount } from '../../lib/useAccount';
import { CommentForm } from '../documents/CommentForm';
import { ThreadPages, type ThreadContext } from '../documents/CommentThread';
import { usePostIdeaComment } from './mutations';
import { ideaKeys, refreshIdea, useIdeaCommentVotes, useIdeaComments, type Idea } from './queries';

/**
 * IdeaDiscussion is an idea's comment thread, with the draft reader's comment
 * components: nested replies, votes, editing and deletion through the
 * /comments routes, each write with its Idempotency-Key.
 */
export function IdeaDiscussion({ idea, slug, open }: { idea: Idea; slug: string; open: boolean }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const thread = useIdeaComments(idea.id);
  const votes = useIdeaCommentVotes(idea.id, account?.id);
  const [notice, setNotice] = useState<string | null>(null);

  const ctx: ThreadContext = {
    versionNumber: null,
    account,
    votes: votes.data,
    open,
    keys: { threads: ideaKeys.comments(idea.id), myVotes: ideaKeys.myVotes(idea.id) },
    refresh: (c) => refreshIdea(c, idea.id, slug),
    slug,
  };

  const post = usePostIdeaComment(idea.id, slug, (c) => setNotice(c.status === 'pending' ? t('comment.pending') : t('comment.posted')));

  return (
    <section className="idea-discussion" aria-labelledby="discussion-heading" aria-busy={thread.isFetching}>
      <h2 id="discussion-heading">{t('discussion.title')}</h2>
      <ThreadPages pages={thread} ctx={ctx} emptyText={t('discussion.empty')} loadMoreLabel={t('thread.loadMore')} />
      <div className="composer">
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        {!open ? (
          <p className="closed-note">{t('discussion.closed')}</p>
        ) : account ? (
          <CommentForm label={t('discussion.label')} submitLabel={t('comment.form.post')} pending={post.isPending} error={post.error} onSubmit={(body, clear) => post.mutate(body, { onSuccess: clear })} />
        ) : (
          <p>
            <Link to="/login" state={{ from: location.pathname }}>
              {t('thread.signIn')}
            </Link>
          </p>
        )}
      </div>
    </section>
  );
}
