import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../../lib/format';
import type { SelfAssessment } from './queries';

/**
 * SelfAssessmentNotice says where the self-assessment report is open for
 * public comment and until when, and warns when its comment window is
 * shorter than the four weeks OGP asks for.
 */
export function SelfAssessmentNotice({ selfAssessment: sa, headingLevel = 2 }: { selfAssessment: SelfAssessment; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const days = sa.window_days != null ? Math.floor(sa.window_days) : null;
  return (
    <section className="notice-box" aria-labelledby="self-assessment-heading">
      <H id="self-assessment-heading">{t('commitments.selfAssessment.title')}</H>
      <p>
        <Link to={`/documents/${sa.document_id}`}>{sa.title}</Link>
        {': '}
        {t(`commitments.selfAssessment.state.${sa.state}`, {
          opens: sa.opens_at ? formatDate(sa.opens_at, i18n.language) : '',
          closes: sa.closes_at ? formatDate(sa.closes_at, i18n.language) : '',
        })}
      </p>
      {sa.short && (
        <p role="note" className="late">
          {t('commitments.selfAssessment.short', { count: days ?? 0 })}
        </p>
      )}
    </section>
  );
}
