import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { errorText } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { isFollowed, useFollows, useSetFollow, type Subject } from './queries';

/**
 * FollowButton follows or stops following a process, a draft or an idea: a
 * toggle button (aria-pressed) whose name stays the same; a failure is
 * announced. Someone not signed in gets a link to sign in.
 */
export function FollowButton({ subject }: { subject: Subject }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const follows = useFollows(account?.id);
  const set = useSetFollow(account?.id);
  if (!account) {
    return (
      <p className="follow">
        <Link to="/login" state={{ from: location.pathname }}>
          {t(`follow.signIn.${subject.kind}`)}
        </Link>
      </p>
    );
  }
  const on = isFollowed(follows.data, subject);
  return (
    <p className="follow">
      <button
        type="button"
        className="follow-button"
        aria-pressed={on}
        disabled={follows.isPending || set.isPending}
        onClick={() => set.mutate({ subject, follow: !on })}
      >
        {t(`follow.button.${subject.kind}`)}
      </button>{' '}
      {/* The pressed state speaks for itself; only a failure is announced. */}
      {follows.isSuccess && <span className="follow-state">{t(on ? 'follow.on' : 'follow.off')}</span>}
      {set.isError && (
        <span role="alert" className="field-error">
          {errorText(t, set.error)}
        </span>
      )}
    </p>
  );
}
