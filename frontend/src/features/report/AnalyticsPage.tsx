import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { BarChart, useCellText } from './BarChart';
import { useAnalytics } from './queries';
import { ReportView } from './ReportView';
import './report.css';

/**
 * AnalyticsPage is the team's live view of participation
 * (/processes/:slug/analytics): activity per day, new and returning
 * participants per week, then the figures the close-out report would show
 * now. Small groups read "fewer than 5", as in the report.
 */
export function AnalyticsPage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const process = useProcess(slug);
  const analytics = useAnalytics(slug);
  const text = useCellText();
  const notFound = (process.error instanceof AppError && process.error.status === 404) || (analytics.error instanceof AppError && analytics.error.status === 404);
  useDocumentTitle(t('closeout.analytics.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  const a = analytics.data;
  const lang = i18n.language;
  return (
    <article className="report-page" aria-busy={analytics.isPending}>
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('closeout.analytics.title')}</h1>
      <p className="lead">{t('closeout.analytics.intro')}</p>
      {analytics.isPending && (
        <p role="status" aria-live="polite" className="loading">
          <progress aria-label={t('closeout.analytics.loading')} />
          {t('closeout.analytics.loading')}
        </p>
      )}
      {analytics.isError && <ErrorMessage error={analytics.error} />}
      {a && (
        <>
          <section aria-labelledby="analytics-daily" className="report-section">
            <h2 id="analytics-daily">{t('closeout.analytics.daily')}</h2>
            {a.daily.length === 0 ? (
              <p>{t('closeout.none')}</p>
            ) : (
              <>
                <BarChart title={t('closeout.analytics.dailyChart')} bars={a.daily.slice(-30).map((d) => ({ label: formatDate(d.day, lang), value: d.contributions }))} />
                <table className="stats-table report-table">
                  <caption>{t('closeout.analytics.dailyTable')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('closeout.analytics.day')}</th>
                      <th scope="col">{t('closeout.analytics.contributions')}</th>
                      <th scope="col">{t('closeout.analytics.people')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.daily.map((d) => (
                      <tr key={d.day}>
                        <th scope="row">{formatDate(d.day, lang)}</th>
                        <td>{text(d.contributions)}</td>
                        <td>{text(d.people)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          <section aria-labelledby="analytics-returning" className="report-section">
            <h2 id="analytics-returning">{t('closeout.analytics.returning')}</h2>
            <table className="stats-table report-table">
              <caption>{t('closeout.analytics.returningTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('closeout.analytics.week')}</th>
                  <th scope="col">{t('closeout.analytics.new')}</th>
                  <th scope="col">{t('closeout.analytics.back')}</th>
                </tr>
              </thead>
              <tbody>
                {a.participants_by_week.map((w) => (
                  <tr key={w.week}>
                    <th scope="row">{t('closeout.said.week', { date: formatDate(w.week, lang) })}</th>
                    <td>{text(w.new)}</td>
                    <td>{text(w.returning)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <ReportView report={a.report} />
        </>
      )}
    </article>
  );
}
