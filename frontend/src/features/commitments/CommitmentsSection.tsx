import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useDashboard } from './queries';
import { SelfAssessmentNotice } from './SelfAssessmentNotice';

/**
 * CommitmentsSection leads from a process page to the implementation
 * dashboard, with the count of commitments, and warns when the
 * self-assessment's comment window is shorter than four weeks.
 */
export function CommitmentsSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const d = useDashboard(p.slug);
  const total = d.data?.total ?? 0;
  const implementing = p.phases.some((ph) => ph.kind === 'implementation');
  if (!implementing && total === 0 && !d.data?.self_assessment) return null;
  return (
    <section aria-labelledby="commitments-heading">
      <h2 id="commitments-heading">{t('commitments.section.title')}</h2>
      <p>{total > 0 ? t('commitments.section.intro', { count: total }) : t('commitments.section.none')}</p>
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/commitments`}>{t('commitments.section.link')}</Link>
        </li>
      </ul>
      {d.data?.self_assessment && <SelfAssessmentNotice selfAssessment={d.data.self_assessment} headingLevel={3} />}
    </section>
  );
}
