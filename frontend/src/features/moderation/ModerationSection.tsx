import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useModerationSettings } from './queries';
import { useAccount } from '../../lib/useAccount';

/**
 * ModerationSection leads from a process page to its public moderation
 * figures and, for its moderators, owners and administrators (those the
 * settings route answers), to the moderation console.
 */
export function ModerationSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const account = useAccount();
  const settings = useModerationSettings(p.slug, account);
  return (
    <section aria-labelledby="moderation-heading">
      <h2 id="moderation-heading">{t('moderation.section.title')}</h2>
      <p>{t('moderation.section.intro')}</p>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/moderation/stats`}>{t('moderation.stats.link')}</Link>
        </li>
        {settings.data != null && (
          <li>
            <Link to={`/processes/${p.slug}/moderation`}>{t('moderation.section.console')}</Link>
          </li>
        )}
        {settings.data != null && (
          <li>
            <Link to={`/processes/${p.slug}/analytics`}>{t('closeout.analytics.link')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
