import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAccount } from '../../lib/useAccount';
import { useUnreadCount } from './queries';

/**
 * NotificationsLink is the header's link to the notifications, with the
 * unread count: "Notifications (3)" on screen, "Notifications, 3 unread"
 * to a screen reader. Nothing when nobody is signed in.
 */
export function NotificationsLink() {
  const { t } = useTranslation();
  const account = useAccount();
  const unread = useUnreadCount(account?.id);
  if (!account) return null;
  const n = unread.data ?? 0;
  return (
    <p className="notifications-link">
      <Link to="/account/notifications">
        {t('notifications.link')}
        {n > 0 && (
          <>
            <span aria-hidden="true"> ({n})</span>
            <span className="visually-hidden">{t('notifications.unreadCount', { count: n })}</span>
          </>
        )}
      </Link>
    </p>
  );
}
