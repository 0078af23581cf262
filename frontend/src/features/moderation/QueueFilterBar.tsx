import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilterSelect } from '../../components/filters';
import { causes, type ModerationCause, type ModerationQueue, type QueueFilters } from './queries';

/** QueueFilterBar narrows the queue by cause (with how many items each has), kind of contribution and age. */
export function QueueFilterBar({ filters, counts, onChange }: { filters: QueueFilters; counts: ModerationQueue['counts'] | undefined; onChange: (patch: Partial<QueueFilters>) => void }) {
  const { t } = useTranslation();
  const [olderText, setOlderText] = useState('');
  return (
    <div className="idea-filters" role="group" aria-label={t('moderation.queue.filters')}>
      <FilterSelect
        label={t('moderation.queue.cause')}
        value={filters.cause ?? ''}
        options={[
          { value: '', label: t('moderation.queue.allCauses', { count: counts?.total ?? 0 }) },
          ...causes.map((c) => ({ value: c, label: t('moderation.queue.causeCount', { cause: t(`moderation.cause.${c}`), count: counts?.[c] ?? 0 }) })),
        ]}
        onChange={(v) => onChange({ cause: (v || undefined) as ModerationCause | undefined })}
      />
      <FilterSelect
        label={t('moderation.queue.target')}
        value={filters.target ?? ''}
        options={[
          { value: '', label: t('moderation.queue.allTargets') },
          { value: 'comment', label: t('moderation.queue.comments') },
          { value: 'idea', label: t('moderation.queue.ideas') },
          { value: 'agenda_input', label: t('moderation.queue.agendaInputs') },
          { value: 'survey_text', label: t('moderation.queue.surveyTexts') },
        ]}
        onChange={(v) => onChange({ target: (v || undefined) as QueueFilters['target'] })}
      />
      <OlderThan
        value={olderText}
        onChange={(v) => {
          setOlderText(v);
          const n = v.trim() === '' ? undefined : Number(v);
          if (n === undefined || (Number.isInteger(n) && n >= 0)) onChange({ olderThanHours: n });
        }}
      />
    </div>
  );
}

function OlderThan({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{t('moderation.queue.olderThan')}</label>
      <input id={id} type="number" min={0} max={8760} inputMode="numeric" className="hours-input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
