import { useId, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, SubmitButton } from '../../components/form';
import { fieldError, handleSubmit } from '../../lib/forms';
import type { Quote } from './offsets';

/**
 * CommentForm is a labelled text area with a submit button, used to comment,
 * reply and edit. The page sends the text with a mutation (onSubmit) and says
 * how it went (pending, error): the failure, translated, takes focus, and the
 * page empties the field once the text is sent (clear).
 */
export function CommentForm({ label, submitLabel, initial, quote, onRemoveQuote, onSubmit, pending, error, onCancel, textareaRef, children }: {
  label: string;
  submitLabel: string;
  initial?: string;
  quote?: Quote | null;
  onRemoveQuote?: () => void;
  onSubmit: (body: string, clear: () => void) => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [body, setBody] = useState(initial ?? '');
  const bodyError = fieldError(error, 'body');
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const quoteId = `${id}-quote`;
  const describedBy = [quote ? quoteId : '', hintId, bodyError ? errId : ''].filter(Boolean).join(' ');
  return (
    <form className="comment-form" onSubmit={handleSubmit(() => onSubmit(body, () => setBody('')))} noValidate>
      <ErrorSummary error={error} />
      {quote && (
        <div className="form-quote" id={quoteId}>
          <p className="quote-label">{t('comment.form.quoting')}</p>
          <blockquote>
            <q>{quote.exact}</q>
          </blockquote>
          {onRemoveQuote && (
            <button type="button" className="link-button" onClick={onRemoveQuote}>
              {t('comment.form.removeQuote')}
            </button>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <p id={hintId} className="hint">
          {t('comment.form.hint')}
        </p>
        <textarea
          id={id}
          ref={textareaRef}
          name="body"
          rows={4}
          value={body}
          required
          maxLength={10000}
          aria-invalid={bodyError ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setBody(e.target.value)}
        />
        {bodyError && (
          <p id={errId} className="field-error">
            {t(`fieldErrors.${bodyError.code}`, { defaultValue: t('fieldErrors.invalid') })}
          </p>
        )}
      </div>
      <div className="form-actions">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('comment.form.cancel')}
          </button>
        )}
      </div>
      {children}
    </form>
  );
}
