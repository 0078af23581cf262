import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { fieldError, handleSubmit } from '../../lib/forms';
import { reasonName } from './format';
import { useDecideBulk } from './mutations';
import type { HouseRule, ModerationItem } from './queries';

/** BulkForm approves or rejects the selected items with one reason, and says how many were decided and how many had changed. */
export function BulkForm({ slug, items, rules, onDone }: { slug: string; items: ModerationItem[]; rules: HouseRule[]; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [explanation, setExplanation] = useState('');
  const bulk = useDecideBulk(slug);
  const error = bulk.error;
  function send() {
    bulk.mutate(
      { items, outcome, reason, explanation },
      {
        onSuccess: (res) => {
          const decided = res.results.filter((r) => r.result === 'decided').length;
          const stale = res.results.filter((r) => r.result !== 'decided').length;
          onDone(`${t('moderation.bulk.decided', { count: decided })} ${t('moderation.bulk.stale', { count: stale })}`);
        },
      },
    );
  }
  return (
    <form className="bulk-form" data-shortcuts="off" aria-labelledby="bulk-heading" onSubmit={handleSubmit(send)} noValidate>
      <h3 id="bulk-heading">{t('moderation.bulk.title', { count: items.length })}</h3>
      <ErrorSummary error={error} />
      <SelectField
        name="outcome"
        label={t('moderation.bulk.outcome')}
        value={outcome}
        options={[
          { value: 'approve', label: t('moderation.bulk.approve') },
          { value: 'reject', label: t('moderation.bulk.reject') },
        ]}
        onChange={(v) => setOutcome(v as 'approve' | 'reject')}
      />
      {outcome === 'reject' && (
        <>
          <SelectField
            name="reason"
            label={t('moderation.reject.reason')}
            value={reason}
            options={[{ value: '', label: t('moderation.bulk.chooseReason') }, ...rules.map((r) => ({ value: r.code, label: reasonName(t, r.code) }))]}
            onChange={setReason}
            hint={rules.find((r) => r.code === reason)?.description || undefined}
            error={fieldError(error, 'reason')}
          />
          <TextAreaField
            name="explanation"
            label={t('moderation.bulk.explanation')}
            hint={t('moderation.reject.explanationHint')}
            value={explanation}
            maxLength={2000}
            rows={3}
            onChange={setExplanation}
            error={fieldError(error, 'explanation')}
          />
        </>
      )}
      <SubmitButton pending={bulk.isPending}>{t('moderation.bulk.apply', { count: items.length })}</SubmitButton>
    </form>
  );
}
