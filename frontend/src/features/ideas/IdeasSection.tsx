import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useIdeaSettings } from '../../lib/process';

/** IdeasSection leads from a process with an idea-collection phase to its ideas, and to proposing one while it is open. */
export function IdeasSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const phase = p.phases.find((ph) => ph.kind === 'idea_collection');
  const settings = useIdeaSettings(p.slug, phase !== undefined);
  if (!phase) return null;
  return (
    <section aria-labelledby="ideas-heading">
      <h2 id="ideas-heading">{t('ideas.title')}</h2>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/ideas`}>{t('ideas.browse')}</Link>
        </li>
        {settings.data?.open === true && (
          <li>
            <Link to={`/processes/${p.slug}/ideas/new`}>{t('ideas.propose')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
