import type { Notification } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * notificationText words a notification in the reader's language from its
 * plain-text facts (titles, a number, a disposition): the server sends no
 * prose and no HTML.
 */
export function notificationText(t: T, n: Notification): string {
  switch (n.kind) {
    case 'comment_reply':
      return n.title ? t('notifications.text.comment_reply', { title: n.title }) : t('notifications.text.comment_replyUntitled');
    case 'response_published':
      return t('notifications.text.response_published', { disposition: t(`forum.disposition.${n.disposition}`, { defaultValue: n.disposition }) });
    case 'version_published':
      return t('notifications.text.version_published', { number: n.number, title: n.title });
    case 'update_published':
      return t('notifications.text.update_published', { title: n.title });
    case 'phase_opened':
      return t('notifications.text.phase_opened', { phase: t(`phase.${n.phase}`, { defaultValue: n.phase }) });
  }
  return '';
}
