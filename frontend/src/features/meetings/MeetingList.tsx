import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { kindName, whenText } from './format';
import type { Meeting } from './queries';

/** MeetingList lists meetings with their kind, date and hours in their own zone, and place. */
export function MeetingList({ meetings, listRef }: { meetings: Meeting[]; listRef?: RefObject<HTMLUListElement | null> }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="meeting-list" ref={listRef}>
      {meetings.map((m) => (
        <li key={m.id} className="meeting-item">
          <p className="meeting-title">
            <Link to={`/meetings/${m.id}`} className="meeting-link">
              {m.title}
            </Link>
            {m.state === 'draft' && <span className="status-tag"> {t('meetings.state.draft')}</span>}
            {m.state === 'in_progress' && <span className="status-tag"> {t('meetings.state.in_progress')}</span>}
          </p>
          <p className="muted">
            {kindName(t, m.kind)} · {whenText(m, i18n.language)}
          </p>
          {m.place && <p className="muted">{m.place}</p>}
          {m.minutes_versions > 0 && <p className="muted">{t('meetings.list.hasMinutes')}</p>}
        </li>
      ))}
    </ul>
  );
}
