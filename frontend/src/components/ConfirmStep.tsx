import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './status';

/**
 * ConfirmStep asks before a destructive action: the question takes focus, the
 * confirm button shows it is busy, and a refusal is shown as an alert while
 * the step stays open for another try.
 */
export function ConfirmStep({ question, confirmLabel, cancelLabel, onConfirm, onCancel }: {
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Does the action; a rejection keeps the step open with the error shown. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }
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
      <button type="button" className="danger" disabled={pending} aria-busy={pending} onClick={() => void confirm()}>
        {confirmLabel}
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
