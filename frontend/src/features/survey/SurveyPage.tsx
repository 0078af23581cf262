import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { promptOf, useInvitedSurveys, useSurvey, type Survey } from './queries';
import { SurveyForm } from './SurveyForm';
import { SurveyResultsView } from './SurveyResultsView';
import './survey.css';

/**
 * SurveyPage is a phase's survey, reached from the process page and from the
 * invitation e-mail: /processes/:slug/surveys/:phase. A participant who has
 * not answered finds the form; everyone finds the results.
 */
export function SurveyPage() {
  const { slug = '', phase = '' } = useParams();
  const { t } = useTranslation();
  const process = useProcess(slug);
  const survey = useSurvey(slug, phase);
  const phaseName = t(`phase.${phase}`, { defaultValue: phase });
  const title = t('survey.page.title', { phase: phaseName });
  const notFound = survey.error instanceof AppError && survey.error.status === 404;
  useDocumentTitle(process.data ? `${title} · ${process.data.title}` : title, notFound);

  if (notFound) return <NotFound title={t('survey.page.notFoundTitle')} body={t('survey.page.notFoundBody')} />;
  if (survey.isPending) return <Loading />;
  if (survey.isError) return <ErrorMessage error={survey.error} />;
  return (
    <article className="survey-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{title}</h1>
      <Window survey={survey.data} />
      {survey.data.state === 'open' && <Answering slug={slug} survey={survey.data} />}
      {survey.data.state === 'upcoming' && <Questions survey={survey.data} />}
      <SurveyResultsView slug={slug} phase={phase} />
    </article>
  );
}

function Window({ survey: s }: { survey: Survey }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDate(iso, i18n.language);
  return <p className="lead">{t(`survey.page.window.${s.state}`, { opens: date(s.opens_at), closes: date(s.closes_at) })}</p>;
}

/** Questions lists a survey's questions before it opens. */
function Questions({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="survey-questions-heading">
      <h2 id="survey-questions-heading">{t('survey.page.questions')}</h2>
      <ol>
        {survey.questions.map((q) => (
          <li key={q.id}>
            {promptOf(t, survey, q)} ({t(`survey.kinds.${q.kind}`)}
            {q.kind === 'choice' && `: ${q.options.join(', ')}`})
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Answering is the form for an invited participant, or says why there is none. */
function Answering({ slug, survey }: { slug: string; survey: Survey }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const invited = useInvitedSurveys(slug, account != null);
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <p role="status" className="notice">
        {t('survey.form.thanks')}
      </p>
    );
  }
  if (!account) {
    return (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('survey.page.signIn')}
        </Link>
      </p>
    );
  }
  if (invited.isPending) return <Loading />;
  if (invited.isError) return <ErrorMessage error={invited.error} />;
  if (!invited.data.some((s) => s.phase === survey.phase)) return <p className="notice-box">{t('survey.page.notInvited')}</p>;
  return (
    <section aria-labelledby="survey-form-heading">
      <h2 id="survey-form-heading">{t('survey.form.title')}</h2>
      <SurveyForm slug={slug} survey={survey} onDone={() => setDone(true)} />
    </section>
  );
}
