import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { LoadMore } from '../../components/LoadMore';
import { QueryState, useDocumentTitle } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { FeedLinks } from './FeedLinks';
import { useProcesses } from './queries';

/** HomePage lists the processes with where each stands now. */
export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle(undefined);
  const account = useAccount();
  const processes = useProcesses(account?.id);
  const items = processes.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {account?.admin && (
        <p>
          <Link to="/processes/new" className="button-link">
            {t('manage.newProcessLink')}
          </Link>
        </p>
      )}
      <section aria-labelledby="process-list-heading" aria-busy={processes.isPending || processes.isFetchingNextPage}>
        <h2 id="process-list-heading">{t('home.listLabel')}</h2>
        <QueryState query={processes} empty={items.length === 0 && t('home.empty')} />
        {items.length > 0 && (
          <ul className="process-list">
            {items.map((p) => (
              <li key={p.slug} className="process-card">
                <h3>
                  <Link to={`/processes/${p.slug}`}>{p.title}</Link>
                </h3>
                {p.published_at === null && <p className="unpublished-badge">{t('manage.unpublishedBadge')}</p>}
                <p className={`stage stage-${p.stage}`}>
                  {t(`stage.${p.stage}`)}
                  {p.current_phase && (
                    <>
                      {' · '}
                      {t('home.currentPhase', { phase: t(`phase.${p.current_phase}`) })}
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
        <LoadMore pages={processes} label={t('home.loadMore')} count={items.length} primary />
      </section>
      <FeedLinks />
    </>
  );
}
