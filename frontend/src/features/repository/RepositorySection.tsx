import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryState } from '../../components/status';
import { formatDay } from './format';
import { useRepository } from './queries';
import { DocumentLink } from './RepositoryPage';

/** RepositorySection shows a process's newest documents and leads to all of them. */
export function RepositorySection({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const repo = useRepository(slug, undefined, 3);
  const items = repo.data?.pages[0]?.items ?? [];
  return (
    <section aria-labelledby="repository-heading" aria-busy={repo.isPending}>
      <h2 id="repository-heading">{t('repository.section.title')}</h2>
      <QueryState query={repo} empty={repo.isSuccess && items.length === 0 && t('repository.section.empty')} />
      {items.length > 0 && (
        <ul className="repository-latest">
          {items.map((it) => (
            <li key={it.id}>
              {it.title} (<time dateTime={it.date}>{formatDay(it.date, i18n.language)}</time>): <DocumentLink item={it} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/processes/${slug}/repository`}>{t('repository.section.all')}</Link>
      </p>
    </section>
  );
}
