import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { QueryState, useDocumentTitle } from '../../components/status';
import { useProcess } from '../../lib/process';
import { reasonName } from './format';
import { useModerationStats } from './queries';

/** ModerationStatsPage shows a process's public moderation figures: /processes/:slug/moderation/stats. */
export function ModerationStatsPage() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const process = useProcess(slug);
  const stats = useModerationStats(slug);
  const notFound = (stats.error instanceof AppError && stats.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('moderation.stats.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const s = stats.data;
  return (
    <div className="moderation-stats">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('moderation.stats.title')}</h1>
      <p className="lead">{t('moderation.stats.intro')}</p>
      <p>
        <a href={`/api/v1/processes/${encodeURIComponent(slug)}/moderation/stats?format=csv`} download>
          {t('moderation.stats.csv')}
        </a>
      </p>
      <QueryState query={stats} />
      {s && (
        <>
          <section aria-labelledby="stats-median">
            <h2 id="stats-median">{t('moderation.stats.median')}</h2>
            <p>{s.median_hours_to_decision == null ? t('moderation.stats.noMedian') : t('moderation.stats.hours', { count: s.median_hours_to_decision, value: number(Math.round(s.median_hours_to_decision * 10) / 10) })}</p>
          </section>

          <section aria-labelledby="stats-held">
            <h2 id="stats-held">{t('moderation.stats.held')}</h2>
            {s.held.length === 0 ? (
              <p>{t('moderation.stats.none')}</p>
            ) : (
              <table className="stats-table">
                <thead>
                  <tr>
                    <th scope="col">{t('moderation.stats.cause')}</th>
                    <th scope="col">{t('moderation.stats.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.held.map((h) => (
                    <tr key={h.cause}>
                      <th scope="row">{t(`moderation.cause.${h.cause}`)}</th>
                      <td>{number(h.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="stats-decided">
            <h2 id="stats-decided">{t('moderation.stats.decided')}</h2>
            {s.decided.length === 0 ? (
              <p>{t('moderation.stats.none')}</p>
            ) : (
              <table className="stats-table">
                <thead>
                  <tr>
                    <th scope="col">{t('moderation.stats.cause')}</th>
                    <th scope="col">{t('moderation.stats.outcome')}</th>
                    <th scope="col">{t('moderation.stats.reason')}</th>
                    <th scope="col">{t('moderation.stats.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.decided.map((d, i) => (
                    <tr key={i}>
                      <td>{t(`moderation.cause.${d.cause}`)}</td>
                      <td>{t(`moderation.outcome.${d.outcome}`)}</td>
                      <td>{d.reason ? reasonName(t, d.reason) : t('moderation.stats.noReason')}</td>
                      <td>{number(d.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="stats-appeals">
            <h2 id="stats-appeals">{t('moderation.stats.appeals')}</h2>
            <table className="stats-table">
              <tbody>
                {(['made', 'upheld', 'overturned', 'pending'] as const).map((k) => (
                  <tr key={k}>
                    <th scope="row">{t(`moderation.stats.appeal.${k}`)}</th>
                    <td>{number(s.appeals[k])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
