import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { QueryState, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { useSurveys } from './queries';
import './survey.css';

/**
 * SurveysAdminPage lists the survey of each phase for the process's owners,
 * reached from "Running this process": its window, whether its questions can
 * still change, and the ways to its questions and its results.
 */
export function SurveysAdminPage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const process = useProcess(slug);
  const surveys = useSurveys(slug);
  useDocumentTitle(t('survey.admin.title'));
  const date = (iso: string) => formatDate(iso, i18n.language);
  return (
    <article className="survey-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('survey.admin.title')}</h1>
      <p className="lead">{t('survey.admin.intro')}</p>
      <QueryState query={surveys} empty={surveys.isSuccess && surveys.data.length === 0 && t('survey.admin.none')} />
      {surveys.data && surveys.data.length > 0 && (
        <ul className="task-list">
          {surveys.data.map((s) => {
            const phase = t(`phase.${s.phase}`);
            return (
              <li key={s.phase}>
                <h2>{t('survey.page.title', { phase })}</h2>
                <p>{t(`survey.page.window.${s.state}`, { opens: date(s.opens_at), closes: date(s.closes_at) })}</p>
                <p>
                  {s.answered ? (
                    t('survey.admin.fixed')
                  ) : (
                    <Link to={`/processes/${slug}/surveys/${s.phase}/questions`}>{t('survey.admin.edit', { phase })}</Link>
                  )}{' '}
                  · <Link to={`/processes/${slug}/surveys/${s.phase}`}>{t('survey.admin.view', { phase })}</Link>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}
