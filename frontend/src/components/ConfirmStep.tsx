import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './status';

/**
 * ConfirmStep asks before a destructive action: the question takes focus, the
 * confirm button shows while the action (a mutation) is busy, and a refusal is
 * shown as an alert while the step stays open for another try.
 */
export function ConfirmStep({ question, confirmLabel, cancelLabel, pending, error, onConfirm, onCancel }: {
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  pending: boolean;
  /** The last attempt's failure, if any. */
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="confirm" role="group" aria-labelledby={id}>
      <p id={id} tabIndex={-1} ref={ref}>
        {question}
      </p>
      {error != null && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      <button type="button" className="danger" disabled={pending} aria-busy={pending} onClick={onConfirm}>
        {confirmLabel}
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
