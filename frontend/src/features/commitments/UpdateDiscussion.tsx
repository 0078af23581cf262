import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAccount } from '../../lib/useAccount';
import { CommentForm } from '../documents/CommentForm';
import { ThreadPages, type ThreadContext } from '../documents/CommentThread';
import { usePostUpdateComment } from './mutations';
import { commitmentKeys, refreshUpdate, useUpdateCommentVotes, useUpdateComments, type ProgressUpdate } from './queries';

/**
 * UpdateDiscussion is the comments on a published progress update, with the
 * draft reader's comment components: nested replies, votes, editing,
 * deletion and reports through the /comments routes, moderated like every
 * comment.
 */
export function UpdateDiscussion({ update: u }: { update: ProgressUpdate }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const thread = useUpdateComments(u.id, true);
  const votes = useUpdateCommentVotes(u.id, account?.id, true);
  const [notice, setNotice] = useState<string | null>(null);
  const ctx: ThreadContext = {
    versionNumber: null,
    account,
    votes: votes.data,
    open: true,
    keys: { threads: commitmentKeys.comments(u.id), myVotes: commitmentKeys.myVotes(u.id) },
    refresh: (client) => refreshUpdate(client, u.process, u.id, u.commitment_id),
    slug: u.process,
  };
  const post = usePostUpdateComment(u.process, u, (c) => setNotice(c.status === 'pending' ? t('comment.pending') : t('comment.posted')));
  return (
    <section className="idea-discussion" aria-labelledby="update-comments-heading" aria-busy={thread.isFetching}>
      <h2 id="update-comments-heading">{t('commitments.comments.title')}</h2>
      <ThreadPages pages={thread} ctx={ctx} emptyText={t('commitments.comments.empty')} loadMoreLabel={t('thread.loadMore')} />
      <div className="composer">
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        {account ? (
          <CommentForm label={t('commitments.comments.label')} submitLabel={t('comment.form.post')} pending={post.isPending} error={post.error}
            onSubmit={(body, clear) => post.mutate(body, { onSuccess: clear })} />
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
