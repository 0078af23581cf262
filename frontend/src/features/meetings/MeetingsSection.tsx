import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Process } from '../../api/client';
import { QueryState } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { MeetingList } from './MeetingList';
import { useMeetings } from './queries';

/** SHOWN is how many upcoming and past meetings the process page lists. */
const SHOWN = 3;

/** MeetingsSection lists a process's next meetings and its latest past ones on the process page. */
export function MeetingsSection({ process: p }: { process: Process }) {
  const { t } = useTranslation();
  const account = useAccount();
  const upcoming = useMeetings(p.slug, 'upcoming', account, SHOWN);
  const past = useMeetings(p.slug, 'past', account, SHOWN);
  const next = upcoming.data?.pages[0]?.items ?? [];
  const done = past.data?.pages[0]?.items ?? [];
  const manage = upcoming.data?.pages[0]?.manage === true;
  return (
    <section aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">{t('meetings.section.title')}</h2>
      <h3>{t('meetings.section.upcoming')}</h3>
      <QueryState query={upcoming} empty={next.length === 0 && t('meetings.section.noUpcoming')} />
      {next.length > 0 && <MeetingList meetings={next} />}
      <h3>{t('meetings.section.past')}</h3>
      <QueryState query={past} empty={done.length === 0 && t('meetings.section.noPast')} />
      {done.length > 0 && <MeetingList meetings={done} />}
      <ul className="idea-links">
        <li>
          <Link to={`/processes/${p.slug}/meetings`}>{t('meetings.section.all')}</Link>
        </li>
        {manage && (
          <li>
            <Link to={`/processes/${p.slug}/meetings/new`}>{t('meetings.section.new')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
