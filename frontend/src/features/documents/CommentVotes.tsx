import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/status';
import { useVote } from './mutations';
import type { Comment, VoteValue } from './queries';
import type { ThreadContext } from './thread';

/** CommentVotes shows a comment's agree and disagree counts; signed-in people press them to vote. */
export function CommentVotes({ comment, ctx }: { comment: Comment; ctx: ThreadContext }) {
  const { t } = useTranslation();
  const vote = useVote(comment.id, ctx);
  const mine = ctx.votes?.[String(comment.id)] ?? null;

  if (!ctx.account || !ctx.open || comment.status !== 'published') {
    return <span className="vote-counts">{t('comment.voteCounts', { agree: comment.agree, disagree: comment.disagree })}</span>;
  }

  function press(value: VoteValue) {
    if (vote.isPending) return; // (not disabled: a disabled button would drop the focus)
    vote.mutate({ value, retract: mine === value });
  }

  return (
    <span className="votes" role="group" aria-label={t('comment.votesLabel')}>
      <button type="button" className="vote" aria-pressed={mine === 'agree'} aria-busy={vote.isPending} onClick={() => press('agree')}>
        {t('comment.agree')} <span className="vote-count">{comment.agree}</span>
      </button>
      <button type="button" className="vote" aria-pressed={mine === 'disagree'} aria-busy={vote.isPending} onClick={() => press('disagree')}>
        {t('comment.disagree')} <span className="vote-count">{comment.disagree}</span>
      </button>
      {vote.error != null && (
        <span role="alert" className="field-error">
          {errorText(t, vote.error)}
        </span>
      )}
    </span>
  );
}
