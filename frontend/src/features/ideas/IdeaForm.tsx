import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../api/client';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { fieldError, FormCheck, handleSubmit } from '../../lib/forms';
import type { IdeaTheme } from './queries';

/** IdeaDraft is what a person writes in the idea form. */
export interface IdeaDraft {
  title: string;
  themeId: string;
  body: string;
}

export const titleMax = 150;
export const bodyMax = 10000;

/**
 * checkDraft refuses, before sending, what the server would refuse for the
 * same reasons (empty title or body, no theme), with the same field names.
 */
export function checkDraft(d: IdeaDraft): void {
  const fields: FieldError[] = [];
  if (d.title.trim() === '') fields.push({ field: 'title', code: 'required', message: '' });
  if (d.themeId === '') fields.push({ field: 'theme_id', code: 'required', message: '' });
  if (d.body.trim() === '') fields.push({ field: 'body', code: 'required', message: '' });
  if (fields.length > 0) throw new FormCheck('idea.invalid', fields);
}

/**
 * IdeaForm is the form to propose or edit an idea: title, theme and body, each
 * field showing what the server refused about it. afterTitle is shown just
 * under the title (the similar ideas, while proposing).
 */
export function IdeaForm(props: {
  themes: IdeaTheme[];
  value: IdeaDraft;
  onChange: (d: IdeaDraft) => void;
  submitLabel: string;
  /** Sends the form (a mutation), whose state the next two say. */
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
  afterTitle?: ReactNode;
}) {
  const { t } = useTranslation();
  const d = props.value;
  const set = (patch: Partial<IdeaDraft>) => props.onChange({ ...d, ...patch });
  const themeOptions = [{ value: '', label: t('ideaForm.chooseTheme') }, ...props.themes.map((th) => ({ value: String(th.id), label: th.name }))];
  const chosen = props.themes.find((th) => String(th.id) === d.themeId);
  return (
    <form className="idea-form" onSubmit={handleSubmit(props.onSubmit)} noValidate>
      <ErrorSummary error={props.error} />
      <Field
        name="title"
        label={t('ideaForm.title')}
        hint={t('ideaForm.titleHint', { max: titleMax })}
        value={d.title}
        maxLength={titleMax}
        autoComplete="off"
        onChange={(title) => set({ title })}
        error={fieldError(props.error, 'title')}
      />
      {props.afterTitle}
      <SelectField
        name="theme_id"
        label={t('ideaForm.theme')}
        hint={chosen?.description || undefined}
        value={d.themeId}
        options={themeOptions}
        onChange={(themeId) => set({ themeId })}
        error={fieldError(props.error, 'theme_id')}
      />
      <TextAreaField
        name="body"
        label={t('ideaForm.body')}
        hint={t('ideaForm.bodyHint')}
        value={d.body}
        maxLength={bodyMax}
        rows={8}
        onChange={(body) => set({ body })}
        error={fieldError(props.error, 'body')}
      />
      <div className="form-actions">
        <SubmitButton pending={props.pending}>{props.submitLabel}</SubmitButton>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t('ideaForm.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
