import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useCanManageProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';

/**
 * PeopleSection leads a process's owners and administrators, from its page, to
 * the screens where they name its moderators and forum members and enter the
 * contributions it received offline. Nobody else sees it.
 */
export function PeopleSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const account = useAccount();
  const manage = useCanManageProcess(p.slug, account);
  if (!manage.allowed) return null;
  return (
    <section aria-labelledby="people-heading">
      <h2 id="people-heading">{t('roles.section.title')}</h2>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/roles`}>{t('roles.section.roles')}</Link>
        </li>
        <li>
          <Link to={`/processes/${p.slug}/offline`}>{t('roles.section.offline')}</Link>
        </li>
        <li>
          <Link to={`/processes/${p.slug}/reports/new`}>{t('roles.section.report')}</Link>
        </li>
        <li>
          <Link to={`/processes/${p.slug}/analytics`}>{t('roles.section.analytics')}</Link>
        </li>
      </ul>
    </section>
  );
}
