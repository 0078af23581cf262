import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import type { Process } from '../../api/client';
import { formatDate } from '../../lib/format';
import { ManageFrame } from './ManageFrame';

/** A task of the hub: its key (for its name and description) and where it is done. */
interface Task {
  key: string;
  path: string;
}

/** The hub's tasks, in groups, in the order an owner meets them. */
const groups: { key: string; tasks: Task[] }[] = [
  {
    key: 'setUp',
    tasks: [
      { key: 'settings', path: 'settings' },
      { key: 'mandate', path: 'mandate' },
      { key: 'publish', path: 'publish' },
      { key: 'roles', path: 'roles' },
    ],
  },
  {
    key: 'content',
    tasks: [
      { key: 'drafts', path: 'drafts' },
      { key: 'repository', path: 'repository' },
      { key: 'updates', path: 'updates' },
    ],
  },
  {
    key: 'participation',
    tasks: [
      { key: 'offline', path: 'offline' },
      { key: 'moderation', path: 'moderation' },
      { key: 'moderationSettings', path: 'moderation/settings' },
      { key: 'ideaSettings', path: 'ideas/settings' },
      { key: 'forum', path: 'forum' },
      { key: 'forumTerms', path: 'forum/terms' },
      { key: 'meetings', path: 'meetings' },
      { key: 'surveys', path: 'surveys' },
    ],
  },
  {
    key: 'implementation',
    tasks: [
      { key: 'commitments', path: 'commitments' },
      { key: 'newCommitment', path: 'commitments/new' },
      { key: 'implementationSettings', path: 'commitments/settings' },
    ],
  },
];

/**
 * ManageHubPage lists everything an owner does for one process, each with
 * where it is done: /processes/:slug/manage.
 */
export function ManageHubPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  return (
    <ManageFrame slug={slug} title={t('manage.hub.title')} hub={false}>
      {(p) => <Hub process={p} />}
    </ManageFrame>
  );
}

function Hub({ process: p }: { process: Process }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const missing = p.mandate?.missing.length ?? 0;
  const status = (key: string) => {
    switch (key) {
      case 'mandate':
        return missing > 0 ? t('manage.hub.mandateMissing', { count: missing }) : t('manage.hub.mandateComplete');
      case 'publish':
        return p.published_at ? t('manage.hub.published', { date: formatDate(p.published_at, i18n.language) }) : t('manage.hub.unpublished');
      default:
        return null;
    }
  };
  return (
    <>
      <p className="lead">{p.title}</p>
      {created && (
        <p role="status" className="notice">
          {t('manage.hub.created')}
        </p>
      )}
      <p className={p.published_at ? undefined : 'notice-box'}>
        {p.published_at ? t('manage.hub.published', { date: formatDate(p.published_at, i18n.language) }) : t('manage.hub.unpublishedLong')}{' '}
        <Link to={`/processes/${p.slug}`}>{t('manage.hub.view')}</Link>
      </p>
      {groups.map((g) => (
        <section key={g.key} aria-labelledby={`hub-${g.key}`}>
          <h2 id={`hub-${g.key}`}>{t(`manage.hub.groups.${g.key}`)}</h2>
          <ul className="task-list">
            {g.tasks.map((task) => (
              <li key={task.key}>
                <Link to={`/processes/${p.slug}/${task.path}`} aria-describedby={`task-${task.key}`}>
                  {t(`manage.tasks.${task.key}.name`)}
                </Link>
                <p id={`task-${task.key}`} className="hint">
                  {t(`manage.tasks.${task.key}.description`)}
                  {status(task.key) && <> {status(task.key)}</>}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
