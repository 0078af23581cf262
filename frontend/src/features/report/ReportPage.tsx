import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, useDocumentTitle } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { exportHref, useReport, useReports, type ReportSummary } from './queries';
import { ReportView } from './ReportView';
import './report.css';

/**
 * ReportPage is a published close-out report: /processes/:slug/reports (the
 * latest) or /processes/:slug/reports/:number. It says when a report was
 * superseded, links its ledger entry and its open data, and prints as A4.
 */
export function ReportPage() {
  const { slug = '', number: raw } = useParams();
  const { t, i18n } = useTranslation();
  const process = useProcess(slug);
  const list = useReports(slug);
  const latest = list.data?.[0]?.number ?? 0;
  const number = raw ? Number(raw) : latest;
  const report = useReport(slug, Number.isInteger(number) && number > 0 ? number : 0);
  const notFound =
    (process.error instanceof AppError && process.error.status === 404) ||
    (report.error instanceof AppError && report.error.status === 404) ||
    (raw != null && !(Number(raw) > 0));
  const title = t('closeout.title');
  useDocumentTitle(process.data ? `${title}: ${process.data.title}` : title, notFound);
  if (notFound) return <NotFound title={t('closeout.notFoundTitle')} body={t('closeout.notFoundBody')} />;

  const loading = list.isPending || (number > 0 && report.isPending);
  const r = report.data;
  return (
    <article className="report-page" aria-busy={loading}>
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>
        {title}
        {process.data && <span className="report-process">{process.data.title}</span>}
      </h1>
      {loading && (
        <p role="status" aria-live="polite" className="loading">
          {t('closeout.loading')}
        </p>
      )}
      {list.isError && <ErrorMessage error={list.error} />}
      {report.isError && <ErrorMessage error={report.error} />}
      {!list.isPending && list.data?.length === 0 && <p>{t('closeout.noneYet')}</p>}
      {r && (
        <>
          <p className="report-meta">
            {t('closeout.published', { number: r.number, date: formatDate(r.published_at, i18n.language) })}{' '}
            <Link to={`/processes/${slug}/ledger?kind=report`}>{t('closeout.ledgerEntry', { seq: r.ledger_seq })}</Link>
          </p>
          {r.superseded_by != null && (
            <p className="notice-box" role="note">
              {t('closeout.superseded')} <Link to={`/processes/${slug}/reports/${r.superseded_by}`}>{t('closeout.readNewer', { number: r.superseded_by })}</Link>
            </p>
          )}
          {r.supersedes != null && <p className="report-meta">{t('closeout.supersedes', { number: r.supersedes })}</p>}
          <ul className="report-actions">
            <li>
              <a href={exportHref(slug, r.number, 'json')} download>
                {t('closeout.downloadJSON')}
              </a>
            </li>
            <li>
              <a href={exportHref(slug, r.number, 'csv')} download>
                {t('closeout.downloadCSV')}
              </a>
            </li>
            <li>
              <button type="button" className="link-button" onClick={() => window.print()}>
                {t('closeout.print')}
              </button>
            </li>
          </ul>
          <p className="report-hash">
            {t('closeout.hash')}: <code>{r.content_sha256}</code>
          </p>
          <ReportView report={r.report} />
        </>
      )}
      {list.data && list.data.length > 1 && <OtherReports slug={slug} reports={list.data} current={r?.number} />}
    </article>
  );
}

/** OtherReports lists every published report of the process. */
function OtherReports({ slug, reports, current }: { slug: string; reports: ReportSummary[]; current?: number }) {
  const { t, i18n } = useTranslation();
  return (
    <nav aria-labelledby="report-all" className="report-others">
      <h2 id="report-all">{t('closeout.all')}</h2>
      <ul>
        {reports.map((s) => (
          <li key={s.number}>
            <Link to={`/processes/${slug}/reports/${s.number}`} aria-current={s.number === current ? 'page' : undefined}>
              {t('closeout.listItem', {
                number: s.number,
                scope: s.phase ? t(`phase.${s.phase}`) : t('closeout.wholeProcess'),
                date: formatDate(s.published_at, i18n.language),
              })}
            </Link>
            {s.superseded_by != null && ` ${t('closeout.supersededShort', { number: s.superseded_by })}`}
          </li>
        ))}
      </ul>
    </nav>
  );
}
