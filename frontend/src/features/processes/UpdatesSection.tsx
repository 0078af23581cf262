import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryState } from '../../components/status';
import { formatDate } from '../../lib/format';
import { useProcessUpdates, type ProcessUpdatePost } from '../../lib/process';
import { langAttrs } from '../../lib/direction';

/** UpdatesSection shows a process's latest updates (dated news posts), newest first; lang is the process's language. */
export function UpdatesSection({ slug, lang }: { slug: string; lang?: string }) {
  const { t } = useTranslation();
  const updates = useProcessUpdates(slug, 3);
  const items = updates.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="updates-heading" aria-busy={updates.isPending}>
      <h2 id="updates-heading">{t('manage.updates.title')}</h2>
      <QueryState query={updates} empty={items.length === 0 && t('manage.updates.empty')} />
      {items.length > 0 && (
        <>
          <UpdateList items={items} lang={lang} />
          <p>
            <Link to={`/processes/${slug}/updates`}>{t('manage.updates.all')}</Link>
          </p>
        </>
      )}
    </section>
  );
}

/** UpdateList shows updates as a list of articles. */
function UpdateList({ items, lang }: { items: ProcessUpdatePost[]; lang?: string }) {
  return (
    <ol className="update-list">
      {items.map((u) => (
        <li key={u.id}>
          <UpdateArticle update={u} lang={lang} />
        </li>
      ))}
    </ol>
  );
}

/** UpdateArticle shows one update: its title, its date (and when it was edited) and its text, in the process's language lang. */
export function UpdateArticle({ update: u, headingLevel = 3, lang }: { update: ProcessUpdatePost; headingLevel?: 2 | 3; lang?: string }) {
  const { t, i18n } = useTranslation();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article aria-labelledby={`update-${u.id}`} className="update">
      <Heading id={`update-${u.id}`} tabIndex={-1} {...langAttrs(lang)}>
        {u.title}
      </Heading>
      <p className="update-date">
        <time dateTime={u.published_at}>{formatDate(u.published_at, i18n.language)}</time>
        {u.edited_at && <> · {t('manage.updates.edited', { date: formatDate(u.edited_at, i18n.language) })}</>}
      </p>
      {/* body_html is Markdown rendered and sanitised by the server (bluemonday). */}
      <div className="update-body" {...langAttrs(lang)} dangerouslySetInnerHTML={{ __html: u.body_html }} />
    </article>
  );
}
