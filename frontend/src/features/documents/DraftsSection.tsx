import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryState } from '../../components/status';
import { useCanManageProcess, useProcessDocuments } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';

/** DraftsSection lists a process's drafts with links to read them. */
export function DraftsSection({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const docs = useProcessDocuments(slug);
  const manage = useCanManageProcess(slug, useAccount());
  return (
    <section aria-labelledby="drafts-heading" aria-busy={docs.isPending}>
      <h2 id="drafts-heading">{t('drafts.title')}</h2>
      {manage.allowed && (
        <p>
          <Link to={`/processes/${slug}/drafts`}>{t('draftAdmin.manage')}</Link>
        </p>
      )}
      <QueryState query={docs} empty={docs.data?.length === 0 && t('drafts.empty')} />
      {docs.isSuccess && docs.data.length > 0 && (
        <ul className="draft-list">
          {docs.data.map((d) => (
            <li key={d.id}>
              {d.latest_number != null ? (
                <>
                  <Link to={`/documents/${d.id}`}>{d.title}</Link>{' '}
                  <span className="draft-version">{t('drafts.version', { number: d.latest_number })}</span>
                </>
              ) : (
                <>
                  {d.title} <span className="draft-version">{t('drafts.unpublished')}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
