import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorSummary } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { QueryState, useDocumentTitle } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { useAccount } from '../../lib/useAccount';
import { useMarkAllRead, useMarkRead, useNotifications, type Notification } from './queries';
import { notificationText } from './text';

/** NotificationsPage lists the signed-in person's notifications, newest first, to read and mark read: /account/notifications. */
export function NotificationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notifications.title'));
  const account = useAccount();
  const list = useNotifications(account?.id);
  const markAll = useMarkAllRead(account?.id);
  const ol = useRef<HTMLOListElement>(null);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = items.some((n) => n.read_at === null);
  return (
    <div className="notifications">
      <p className="breadcrumb">
        <Link to="/account">{t('account.page.title')}</Link>
      </p>
      <h1>{t('notifications.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: '/account/notifications' }}>
            {t('notifications.signIn')}
          </Link>
        </p>
      ) : (
        <>
          <p className="lead">{t('notifications.intro')}</p>
          <ErrorSummary error={markAll.error} />
          {unread && (
            <p>
              <button type="button" onClick={() => markAll.mutate()} disabled={markAll.isPending} aria-busy={markAll.isPending}>
                {t('notifications.markAllRead')}
              </button>
            </p>
          )}
          <p role="status" aria-live="polite" className="list-status">
            {markAll.isSuccess && !unread ? t('notifications.allRead') : ''}
          </p>
          <QueryState query={list} empty={items.length === 0 && t('notifications.empty')} />
          {items.length > 0 && (
            <ol className="notification-list" ref={ol}>
              {items.map((n) => (
                <NotificationItem key={n.id} n={n} account={account.id} />
              ))}
            </ol>
          )}
          <LoadMore pages={list} label={t('notifications.loadMore')} count={items.length} listRef={ol} focusSelector=".notification a" />
          <p>
            <Link to="/account#notification-settings-heading">{t('notifications.settingsLink')}</Link>
          </p>
        </>
      )}
    </div>
  );
}

/** NotificationItem is one notification: what happened, where, when, a link to it, and "Mark as read" while unread. */
function NotificationItem({ n, account }: { n: Notification; account: number }) {
  const { t, i18n } = useTranslation();
  const markRead = useMarkRead(account);
  const textId = `notification-${n.id}`;
  const unread = n.read_at === null;
  return (
    <li className={`notification${unread ? ' notification-unread' : ''}`}>
      <p id={textId}>
        {unread && <strong className="badge">{t('notifications.new')}</strong>} <Link to={n.path}>{notificationText(t, n)}</Link>
      </p>
      <p className="comment-meta">
        {t('notifications.inProcess', { process: n.process_title })} · <time dateTime={n.created_at}>{formatDateTime(n.created_at, i18n.language)}</time>
      </p>
      {unread && (
        <button type="button" className="link-button" aria-describedby={textId} disabled={markRead.isPending} onClick={() => markRead.mutate(n.id)}>
          {t('notifications.markRead')}
        </button>
      )}
      <ErrorSummary error={markRead.error} />
    </li>
  );
}
