// The decision forms the item view opens: a rejection with its reason, and a
// redaction (the text published with personal data taken out). Each sends its
// decision through the console (onDecide), once it passes the form's checks.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../api/client';
import { ErrorSummary, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { focusChoice, RadioGroup } from '../../components/RadioGroup';
import { fieldError, FormCheck, handleSubmit, required } from '../../lib/forms';
import { reasonChoices, reasonName } from './format';
import type { Decider } from './ItemView';
import type { HouseRule, ReasonCode } from './queries';

/**
 * RejectForm is the reject reason picker: the focus starts on the reasons
 * (arrow keys choose), Enter on a reason or Ctrl+Enter in the explanation
 * confirms, Escape cancels.
 */
export function RejectForm({ rules, onDecide, onCancel }: { rules: HouseRule[]; onDecide: Decider; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [explanation, setExplanation] = useState('');
  const group = useRef<HTMLFieldSetElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => focusChoice(group.current), []);
  const reject = useMutation({
    mutationFn: () => {
      const fields: FieldError[] = [];
      if (reason === '') fields.push({ field: 'reason', code: 'choose', message: '' });
      if (explanation.trim() === '') fields.push(required('explanation'));
      if (fields.length > 0) throw new FormCheck('moderation.invalid', fields);
      return onDecide('reject', { reason: reason as ReasonCode, explanation: explanation.trim() }, true);
    },
  });
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- keys from the form's controls: Enter on a reason or Ctrl+Enter confirms, Escape cancels
    <form
      className="decision-form"
      ref={formRef}
      data-shortcuts="off"
      aria-labelledby="reject-heading"
      onSubmit={handleSubmit(() => reject.mutate())}
      noValidate
      onKeyDown={(e) => {
        const target = e.target as HTMLElement;
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        } else if (e.key === 'Enter' && (target instanceof HTMLInputElement && target.type === 'radio' ? true : target instanceof HTMLTextAreaElement && (e.ctrlKey || e.metaKey))) {
          e.preventDefault();
          formRef.current?.requestSubmit();
        }
      }}
    >
      <h3 id="reject-heading">{t('moderation.reject.title')}</h3>
      <ErrorSummary error={reject.error} />
      <RadioGroup name="reason" legend={t('moderation.reject.reason')} choices={reasonChoices(t, rules)} value={reason} onChange={setReason} error={fieldError(reject.error, 'reason')} groupRef={group} />
      <TextAreaField
        name="explanation"
        label={t('moderation.reject.explanation')}
        hint={t('moderation.reject.explanationHint')}
        value={explanation}
        maxLength={2000}
        rows={3}
        onChange={setExplanation}
        error={fieldError(reject.error, 'explanation')}
      />
      <div className="form-actions">
        <SubmitButton pending={reject.isPending}>{t('moderation.reject.confirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}

/** RedactForm publishes the contribution with personal data taken out: the text starts as the author wrote it. */
export function RedactForm({ body, rules, onDecide, onCancel }: { body: string; rules: HouseRule[]; onDecide: Decider; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(body);
  const [reason, setReason] = useState<string>('personal_data');
  const [explanation, setExplanation] = useState('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  const redact = useMutation({
    mutationFn: () => {
      if (text.trim() === '') throw new FormCheck('moderation.invalid', [required('redacted_body')]);
      return onDecide('redact', { reason: reason as ReasonCode, redacted_body: text, explanation: explanation.trim() || undefined }, true);
    },
  });
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- Escape from the form's controls cancels
    <form
      className="decision-form"
      data-shortcuts="off"
      aria-labelledby="redact-heading"
      onSubmit={handleSubmit(() => redact.mutate())}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <h3 id="redact-heading">{t('moderation.redact.title')}</h3>
      <ErrorSummary error={redact.error} />
      <div ref={box}>
        <TextAreaField name="redacted_body" label={t('moderation.redact.body')} hint={t('moderation.redact.bodyHint')} value={text} maxLength={10000} rows={6} onChange={setText} error={fieldError(redact.error, 'redacted_body')} />
      </div>
      <SelectField name="reason" label={t('moderation.redact.reason')} value={reason} options={rules.map((r) => ({ value: r.code, label: reasonName(t, r.code) }))} onChange={setReason} error={fieldError(redact.error, 'reason')} />
      <TextAreaField name="explanation" label={t('moderation.redact.explanation')} required={false} value={explanation} maxLength={2000} rows={2} onChange={setExplanation} error={fieldError(redact.error, 'explanation')} />
      <div className="form-actions">
        <SubmitButton pending={redact.isPending}>{t('moderation.redact.confirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}
