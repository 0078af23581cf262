import { useTranslation } from 'react-i18next';

/**
 * FeedLinks offers the Atom feed and the iCalendar calendar of one published
 * process, or of the whole site without a slug. Both are open standards that
 * need no account; the Atom feed is also announced in the document head so
 * feed readers find it from the page's address.
 */
export function FeedLinks({ slug }: { slug?: string }) {
  const { t } = useTranslation();
  const atom = slug ? `/api/v1/processes/${encodeURIComponent(slug)}/feed.atom` : '/api/v1/feed.atom';
  const ics = slug ? `/api/v1/processes/${encodeURIComponent(slug)}/calendar.ics` : '/api/v1/calendar.ics';
  const scope = slug ? 'process' : 'site';
  return (
    <section className="feed-links" aria-labelledby={`feeds-heading-${scope}`}>
      {/* React places this link in the document head. */}
      <link rel="alternate" type="application/atom+xml" title={t(`feeds.${scope}Title`)} href={atom} />
      <h2 id={`feeds-heading-${scope}`}>{t(`feeds.${scope}Heading`)}</h2>
      <p>{t('feeds.intro')}</p>
      <ul>
        <li>
          <a href={atom} type="application/atom+xml">
            {t('feeds.atom')}
          </a>
        </li>
        <li>
          <a href={ics} type="text/calendar">
            {t('feeds.calendar')}
          </a>
        </li>
      </ul>
    </section>
  );
}
