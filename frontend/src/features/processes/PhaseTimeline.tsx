import { useTranslation } from 'react-i18next';
import type { Phase } from '../../api/client';
import { formatDate } from '../../lib/format';

/** PhaseTimeline lists a process's phases in order and marks the open one. */
export function PhaseTimeline({ phases }: { phases: Phase[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="timeline">
      {phases.map((ph) => {
        const current = ph.state === 'open';
        return (
          <li key={ph.kind} className={`phase phase-${ph.state}`} aria-current={current ? 'step' : undefined}>
            <span className="phase-name">{t(`phase.${ph.kind}`)}</span>
            {current && <span className="badge">{t('process.current')}</span>}
            <span className="phase-dates">
              {t('process.dates', { opens: formatDate(ph.opens_at, i18n.language), closes: formatDate(ph.closes_at, i18n.language) })}
            </span>
            <span className="phase-state">{t(`phaseState.${ph.state}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
