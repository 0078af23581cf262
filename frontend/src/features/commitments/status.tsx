// How a commitment's status is shown: always in words, with an icon and a
// colour, never colour alone; and the sentence saying which part of the rule
// gave it.
import { useTranslation } from 'react-i18next';
import type { CommitmentStatus, StatusReason } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** statusName is a status in words. */
export function statusName(t: T, s: CommitmentStatus): string {
  return t(`commitments.status.${s}`);
}

/** reasonText says why a commitment has its status, as the rule decided ("A milestone is 12 days late."). */
export function reasonText(t: T, why: StatusReason, days: number): string {
  return t(`commitments.reason.${why}`, { count: days });
}

/** StatusIcon is the status's shape, drawn so that it reads without its colour. */
export function StatusIcon({ status }: { status: CommitmentStatus }) {
  const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false, className: 'cstatus-icon' } as const;
  switch (status) {
    case 'on_track':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" strokeWidth="1.8" />
        </svg>
      );
    case 'at_risk':
      return (
        <svg {...common}>
          <path d="M8 1l7 13H1z" fill="currentColor" />
          <path d="M8 5.5v4.2M8 11.3v1.3" stroke="#fff" strokeWidth="1.6" />
        </svg>
      );
    case 'delayed':
      return (
        <svg {...common}>
          <rect x="1" y="1" width="14" height="14" rx="2" fill="currentColor" />
          <path d="M5 5l6 6M11 5l-6 6" stroke="#fff" strokeWidth="1.8" />
        </svg>
      );
    case 'completed':
      return (
        <svg {...common}>
          <path d="M8 1l2.1 4.4 4.9.6-3.6 3.3 1 4.8L8 11.7 3.6 14.1l1-4.8L1 6l4.9-.6z" fill="currentColor" />
        </svg>
      );
    case 'withdrawn':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M3.6 12.4l8.8-8.8" stroke="currentColor" strokeWidth="1.8" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeDasharray="3 2" />
        </svg>
      );
  }
}

/** StatusBadge shows a status: its icon, its colour and its name; the label says what it is for a screen reader. */
export function StatusBadge({ status }: { status: CommitmentStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`cstatus cstatus-${status}`}>
      <StatusIcon status={status} />
      <span className="visually-hidden">{t('commitments.statusLabel')} </span>
      {statusName(t, status)}
    </span>
  );
}
