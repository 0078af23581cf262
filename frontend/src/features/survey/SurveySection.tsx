import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../../lib/format';
import { useAccount } from '../../lib/useAccount';
import { useInvitedSurveys } from './queries';

/**
 * SurveySection invites a signed-in participant, on the process page, to
 * answer the open surveys of the phases they took part in; it shows nothing
 * to anyone else.
 */
export function SurveySection({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const invited = useInvitedSurveys(slug, account != null);
  if (!account || !invited.data || invited.data.length === 0) return null;
  return (
    <section aria-labelledby="survey-invite-heading" className="notice-box survey-invite">
      <h2 id="survey-invite-heading">{t('survey.section.title')}</h2>
      <ul>
        {invited.data.map((s) => (
          <li key={s.phase}>
            <Link to={`/processes/${slug}/surveys/${s.phase}`}>{t('survey.section.link', { phase: t(`phase.${s.phase}`) })}</Link>{' '}
            {t('survey.section.until', { date: formatDate(s.closes_at, i18n.language) })}
          </li>
        ))}
      </ul>
    </section>
  );
}
