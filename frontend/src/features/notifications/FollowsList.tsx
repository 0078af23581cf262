import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorSummary } from '../../components/form';
import { QueryState } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { useFollows, useSetFollow, type Follow } from './queries';

function pathOf(f: Follow): string {
  switch (f.target_kind) {
    case 'document':
      return `/documents/${f.target_id}`;
    case 'idea':
      return `/processes/${f.process_slug}/ideas/${f.target_id}`;
  }
  return `/processes/${f.process_slug}`;
}

/** FollowsList is "What I follow" on the account page: each subject with a link and a button to stop following it. */
export function FollowsList() {
  const { t } = useTranslation();
  const account = useAccount();
  const follows = useFollows(account?.id);
  const set = useSetFollow(account?.id);
  const items = follows.data ?? [];
  return (
    <section aria-labelledby="follows-heading">
      <h2 id="follows-heading">{t('notifications.followsTitle')}</h2>
      <ErrorSummary error={set.error} />
      <QueryState query={follows} empty={items.length === 0 && t('notifications.followsEmpty')} />
      {items.length > 0 && (
        <ul className="follows-list">
          {items.map((f) => (
            <li key={`${f.target_kind}:${f.target_id}`}>
              <span className="theme-tag">{t(`notifications.followKind.${f.target_kind}`)}</span> <Link to={pathOf(f)}>{f.title}</Link>
              {f.target_kind !== 'process' && <span className="comment-meta"> · {f.process_title}</span>}
              {f.auto && <span className="comment-meta"> · {t('notifications.auto')}</span>}{' '}
              <button
                type="button"
                className="link-button"
                disabled={set.isPending}
                aria-label={t('notifications.unfollowNamed', { title: f.title })}
                onClick={() => set.mutate({ subject: { kind: f.target_kind, id: f.target_id }, follow: false })}
              >
                {t('notifications.unfollow')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
