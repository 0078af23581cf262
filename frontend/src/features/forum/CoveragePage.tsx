import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { QueryState, useDocumentTitle } from '../../components/status';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { ForumLinks } from './ForumPage';
import { useCoverage, useForum, type Coverage } from './queries';

/** CoveragePage shows, publicly, how many contributions the forum has answered and how long the others wait: /processes/:slug/coverage. */
export function CoveragePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const process = useProcess(slug);
  const forum = useForum(slug, account);
  const coverage = useCoverage(slug);
  const notFound = (coverage.error instanceof AppError && coverage.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('forum.coverage.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  return (
    <div className="coverage-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forum.coverage.title')}</h1>
      <p className="lead">{t('forum.coverage.intro')}</p>
      <ForumLinks slug={slug} forum={forum.data} current="coverage" />
      <CoverageSection slug={slug} level={2} coverage={coverage} />
    </div>
  );
}

/**
 * CoverageSection shows the coverage figures (with their loading and error
 * states) and the spreadsheet to download; headings start at level.
 */
export function CoverageSection({ slug, level, coverage }: { slug: string; level: 2 | 3; coverage: ReturnType<typeof useCoverage> }) {
  const { t } = useTranslation();
  return (
    <div className="coverage" aria-busy={coverage.isFetching}>
      <p>
        <a href={`/api/v1/processes/${encodeURIComponent(slug)}/coverage?format=csv`} download>
          {t('forum.coverage.csv')}
        </a>
      </p>
      <QueryState query={coverage} />
      {coverage.data && <CoverageFigures c={coverage.data} level={level} />}
    </div>
  );
}

function CoverageFigures({ c, level }: { c: Coverage; level: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const H = level === 2 ? 'h2' : 'h3';
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const percent = (part: number, whole: number) => (whole === 0 ? '—' : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole));
  const a = c.unanswered_age;
  return (
    <>
      <H>{t('forum.coverage.summary')}</H>
      <p className="coverage-share">{c.total === 0 ? t('forum.coverage.nothing') : t('forum.coverage.share', { share: percent(c.answered, c.total), answered: number(c.answered), total: number(c.total) })}</p>
      <table className="stats-table">
        <tbody>
          <tr>
            <th scope="row">{t('forum.coverage.total')}</th>
            <td>{number(c.total)}</td>
          </tr>
          <tr>
            <th scope="row">{t('forum.coverage.answered')}</th>
            <td>{number(c.answered)}</td>
          </tr>
          <tr>
            <th scope="row">{t('forum.coverage.unanswered')}</th>
            <td>{number(c.unanswered)}</td>
          </tr>
          <tr>
            <th scope="row">{t('forum.coverage.pastTarget', { count: c.target_days })}</th>
            <td>{number(c.past_target)}</td>
          </tr>
        </tbody>
      </table>

      <H>{t('forum.coverage.ageTitle')}</H>
      <p>
        {a.median_days == null
          ? t('forum.coverage.noMedian')
          : a.median_days < 1
            ? t('forum.coverage.medianUnderDay')
            : t('forum.coverage.median', { count: a.median_days, value: number(Math.round(a.median_days * 10) / 10) })}
        {a.oldest_days != null && ` ${t('forum.coverage.oldest', { count: a.oldest_days })}`}
      </p>
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">{t('forum.coverage.age')}</th>
            <th scope="col">{t('forum.coverage.count')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('forum.coverage.under7')}</th>
            <td>{number(a.under_7_days)}</td>
          </tr>
          <tr>
            <th scope="row">{t('forum.coverage.from7to20')}</th>
            <td>{number(a.from_7_to_20_days)}</td>
          </tr>
          <tr>
            <th scope="row">{t('forum.coverage.over20')}</th>
            <td>{number(a.over_20_days)}</td>
          </tr>
        </tbody>
      </table>

      <H>{t('forum.coverage.byKind')}</H>
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">{t('forum.coverage.kind')}</th>
            <th scope="col">{t('forum.coverage.total')}</th>
            <th scope="col">{t('forum.coverage.answered')}</th>
            <th scope="col">{t('forum.coverage.shareCol')}</th>
          </tr>
        </thead>
        <tbody>
          {c.by_kind.map((k) => (
            <tr key={k.kind}>
              <th scope="row">{t(`forum.coverKindPlural.${k.kind}`)}</th>
              <td>{number(k.total)}</td>
              <td>{number(k.answered)}</td>
              <td>{percent(k.answered, k.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
