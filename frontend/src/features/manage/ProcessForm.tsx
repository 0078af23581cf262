import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError, type FieldError } from '../../api/client';
import { CheckboxField, ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { fieldError, FormCheck, handleSubmit, required } from '../../lib/forms';
import { languagesOf, phasesOf, slugOf, type PhaseInput, type PhaseRow } from './phases';

/** ProcessDraft is a process as its set-up form holds it. */
export interface ProcessDraft {
  title: string;
  slug: string;
  summary: string;
  /** Language codes as typed, separated by commas or spaces. */
  languages: string;
  phases: PhaseRow[];
}

/** The draft's fields as the API takes them, with the kinds of the phases sent (in the order sent). */
export interface ProcessFields {
  title: string;
  slug: string;
  summary: string;
  languages: string[];
  phases: PhaseInput[];
}

/**
 * checkDraft refuses, before sending, what the server would refuse for being
 * empty (with the same field names), and returns the fields to send.
 */
export function checkDraft(d: ProcessDraft, withSlug: boolean): ProcessFields {
  const fields: FieldError[] = [];
  if (d.title.trim() === '') fields.push(required('title'));
  if (withSlug && d.slug.trim() === '') fields.push(required('slug'));
  const languages = languagesOf(d.languages);
  if (languages.length === 0) fields.push(required('languages'));
  const phases = phasesOf(d.phases);
  if (phases.length === 0) fields.push(required('phases'));
  phases.forEach((ph, i) => {
    if (ph.opens_at === '') fields.push({ field: `phases[${i}].opens_at`, code: 'date', message: '' });
    if (ph.closes_at === '') fields.push({ field: `phases[${i}].closes_at`, code: 'date', message: '' });
  });
  if (fields.length > 0) throw new FormCheck('process.invalid', fields);
  return { title: d.title.trim(), slug: d.slug.trim(), summary: d.summary, languages, phases };
}

/** firstError is the first refusal about a field or one of its items (languages, languages[2]...). */
function firstError(error: unknown, name: string): FieldError | undefined {
  if (!(error instanceof AppError)) return undefined;
  return error.fields.find((f) => f.field === name || f.field.startsWith(`${name}[`));
}

/**
 * ProcessForm edits a process's title, web address (when it is new), summary,
 * languages and phases, and shows the server's refusals at their fields. The
 * phases' errors name them by their place among the phases sent (sentKinds).
 */
export function ProcessForm({ initial, creating, pending, error, sentKinds, submitLabel, onSubmit }: {
  initial: ProcessDraft;
  creating: boolean;
  pending: boolean;
  error: unknown;
  /** The kinds of the phases of the last request, in order: phases[i] is sentKinds[i]. */
  sentKinds: string[];
  submitLabel: string;
  onSubmit: (d: ProcessDraft) => void;
}) {
  const { t } = useTranslation();
  const [d, setD] = useState(initial);
  const [slugEdited, setSlugEdited] = useState(!creating || initial.slug !== '');
  const set = (patch: Partial<ProcessDraft>) => setD((old) => ({ ...old, ...patch }));
  const setRow = (i: number, patch: Partial<PhaseRow>) => setD((old) => ({ ...old, phases: old.phases.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const phaseError = (kind: string, part: string) => {
    const i = sentKinds.indexOf(kind);
    return i < 0 ? undefined : fieldError(error, `phases[${i}].${part}`);
  };

  return (
    <form className="settings-form process-form" onSubmit={handleSubmit(() => onSubmit(d))} noValidate>
      <ErrorSummary error={error} />
      <fieldset>
        <legend>{t('manage.form.about')}</legend>
        <Field
          name="title"
          label={t('manage.form.title')}
          value={d.title}
          maxLength={200}
          onChange={(title) => set(creating && !slugEdited ? { title, slug: slugOf(title) } : { title })}
          error={fieldError(error, 'title')}
        />
        {creating ? (
          <Field
            name="slug"
            label={t('manage.form.slug')}
            hint={t('manage.form.slugHint', { slug: d.slug || '…' })}
            value={d.slug}
            maxLength={80}
            onChange={(slug) => {
              setSlugEdited(true);
              set({ slug });
            }}
            error={fieldError(error, 'slug')}
          />
        ) : (
          <p className="hint">{t('manage.form.slugFixed', { slug: d.slug })}</p>
        )}
        <TextAreaField
          name="summary"
          label={t('manage.form.summary')}
          hint={t('manage.form.summaryHint')}
          required={false}
          rows={6}
          value={d.summary}
          onChange={(summary) => set({ summary })}
          error={fieldError(error, 'summary')}
        />
        <Field
          name="languages"
          label={t('manage.form.languages')}
          hint={t('manage.form.languagesHint')}
          value={d.languages}
          onChange={(languages) => set({ languages })}
          error={firstError(error, 'languages')}
        />
      </fieldset>
      <fieldset aria-describedby="phases-hint">
        <legend>{t('manage.form.phases')}</legend>
        <p id="phases-hint" className="hint">
          {t('manage.form.phasesHint')}
        </p>
        {fieldError(error, 'phases') && (
          <p className="field-error" role="status">
            {t(`fieldErrors.${fieldError(error, 'phases')?.code}`, { defaultValue: t('fieldErrors.invalid') })}
          </p>
        )}
        {d.phases.map((r, i) => (
          <fieldset key={r.kind} className="phase-row" data-kind={r.kind}>
            <legend>{t(`phase.${r.kind}`)}</legend>
            <CheckboxField name={`include-${r.kind}`} label={t('manage.form.include', { phase: t(`phase.${r.kind}`) })} checked={r.included} onChange={(included) => setRow(i, { included })} error={phaseError(r.kind, 'kind')} />
            {r.included && (
              <div className="phase-dates-inputs">
                <Field name={`${r.kind}-opens`} type="date" label={t('manage.form.opens')} value={r.opens} onChange={(opens) => setRow(i, { opens })} error={phaseError(r.kind, 'opens_at')} />
                <Field name={`${r.kind}-closes`} type="date" label={t('manage.form.closes')} value={r.closes} onChange={(closes) => setRow(i, { closes })} error={phaseError(r.kind, 'closes_at')} />
              </div>
            )}
          </fieldset>
        ))}
      </fieldset>
      <div className="form-actions">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}
