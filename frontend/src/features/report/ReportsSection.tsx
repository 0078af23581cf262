import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { formatDate } from '../../lib/format';
import { useReports } from './queries';

/** ReportsSection leads from a process page to its published close-out report, once there is one. */
export function ReportsSection({ process: p }: { process: Process }) {
  const { t, i18n } = useTranslation();
  const reports = useReports(p.slug);
  const latest = reports.data?.[0];
  if (!latest) return null;
  return (
    <section aria-labelledby="closeout-heading">
      <h2 id="closeout-heading">{t('closeout.section.title')}</h2>
      <p>{t('closeout.section.intro', { date: formatDate(latest.published_at, i18n.language) })}</p>
      <p>
        <Link to={`/processes/${p.slug}/reports/${latest.number}`}>{t('closeout.section.read')}</Link>
      </p>
    </section>
  );
}
