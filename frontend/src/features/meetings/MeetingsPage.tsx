import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { QueryState, useDocumentTitle } from '../../components/status';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { MeetingList } from './MeetingList';
import { useMeetings, type When } from './queries';

/** MeetingsPage lists a process's meetings, upcoming and past: /processes/:slug/meetings. */
export function MeetingsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const process = useProcess(slug);
  const upcoming = useMeetings(slug, 'upcoming', account);
  const notFound = (upcoming.error instanceof AppError && upcoming.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('meetings.page.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  const manage = upcoming.data?.pages[0]?.manage === true;
  return (
    <div className="meetings-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('meetings.page.title')}</h1>
      <p className="lead">{t('meetings.page.intro')}</p>
      {manage && (
        <p>
          <Link to={`/processes/${slug}/meetings/new`} className="button-link">
            {t('meetings.section.new')}
          </Link>
        </p>
      )}
      <MeetingsOf slug={slug} when="upcoming" />
      <MeetingsOf slug={slug} when="past" />
    </div>
  );
}

/** MeetingsOf is one list of the page, with "Load more". */
function MeetingsOf({ slug, when }: { slug: string; when: When }) {
  const { t } = useTranslation();
  const account = useAccount();
  const q = useMeetings(slug, when, account);
  const list = useRef<HTMLUListElement>(null);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const id = `meetings-${when}`;
  return (
    <section aria-labelledby={id} aria-busy={q.isFetching}>
      <h2 id={id}>{t(`meetings.section.${when}`)}</h2>
      <QueryState query={q} empty={items.length === 0 && t(when === 'upcoming' ? 'meetings.section.noUpcoming' : 'meetings.section.noPast')} />
      {items.length > 0 && <MeetingList meetings={items} listRef={list} />}
      <LoadMore pages={q} label={t('meetings.page.loadMore')} count={items.length} listRef={list} focusSelector=".meeting-link" />
    </section>
  );
}
