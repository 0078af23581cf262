import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useForum } from './queries';
import { useAccount } from '../../lib/useAccount';

/**
 * ForumSection leads from a process page to its forum, its ledger of
 * responses and their coverage, and for the forum's members and the process's
 * owners to the workspace.
 */
export function ForumSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const account = useAccount();
  const forum = useForum(p.slug, account);
  const viewer = forum.data?.viewer;
  return (
    <section aria-labelledby="forum-heading">
      <h2 id="forum-heading">{t('forum.section.title')}</h2>
      <p>{t('forum.section.intro')}</p>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/forum`}>{t('forum.links.forum')}</Link>
        </li>
        <li>
          <Link to={`/processes/${p.slug}/ledger`}>{t('forum.links.ledger')}</Link>
        </li>
        <li>
          <Link to={`/processes/${p.slug}/coverage`}>{t('forum.links.coverage')}</Link>
        </li>
        {(viewer?.member === true || viewer?.manage === true) && (
          <li>
            <Link to={`/processes/${p.slug}/forum/workspace`}>{t('forum.links.workspace')}</Link>
          </li>
        )}
        {viewer?.member === true && (
          <li>
            <Link to={`/processes/${p.slug}/analytics`}>{t('closeout.analytics.link')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
