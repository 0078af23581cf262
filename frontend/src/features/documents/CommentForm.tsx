import { useId, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Quote } from './offsets';
import { ErrorSummary, SubmitButton, useSubmit } from '../../components/form';

/**
 * CommentForm is a labelled text area with a submit button, used to comment,
 * reply and edit. onSubmit sends the text; the field empties when it succeeds
 * (unless keep is set) and the failure, translated, takes focus otherwise.
 */
export function CommentForm(props: {
  label: string;
  submitLabel: string;
  initial?: string;
  quote?: Quote | null;
  onRemoveQuote?: () => void;
  onSubmit: (body: string) => Promise<void>;
  onCancel?: () => void;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  keep?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [body, setBody] = useState(props.initial ?? '');
  const form = useSubmit(async () => {
    await props.onSubmit(body);
    if (!props.keep) setBody('');
  });
  const fieldError = form.fieldError('body');
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const quoteId = `${id}-quote`;
  const describedBy = [props.quote ? quoteId : '', hintId, fieldError ? errId : ''].filter(Boolean).join(' ');
  return (
    <form className="comment-form" onSubmit={form.onSubmit} noValidate>
      <ErrorSummary error={form.error} summaryRef={form.summary} />
      {props.quote && (
        <div className="form-quote" id={quoteId}>
          <p className="quote-label">{t('comment.form.quoting')}</p>
          <blockquote>
            <q>{props.quote.exact}</q>
          </blockquote>
          {props.onRemoveQuote && (
            <button type="button" className="link-button" onClick={props.onRemoveQuote}>
              {t('comment.form.removeQuote')}
            </button>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <p id={hintId} className="hint">
          {t('comment.form.hint')}
        </p>
        <textarea
          id={id}
          ref={props.textareaRef}
          name="body"
          rows={4}
          value={body}
          required
          maxLength={10000}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setBody(e.target.value)}
        />
        {fieldError && (
          <p id={errId} className="field-error">
            {t(`fieldErrors.${fieldError.code}`, { defaultValue: t('fieldErrors.invalid') })}
          </p>
        )}
      </div>
      <div className="form-actions">
        <SubmitButton pending={form.pending}>{props.submitLabel}</SubmitButton>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t('comment.form.cancel')}
          </button>
        )}
      </div>
      {props.children}
    </form>
  );
}
