import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError } from '../../api/client';
import { errorText } from '../../components/status';

/** useSubmit runs an async action for a form, keeping its pending and error state. */
export function useSubmit(action: () => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const summary = useRef<HTMLDivElement>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
      // Let the summary render, then move focus to it so it is announced.
      setTimeout(() => summary.current?.focus(), 0);
    } finally {
      setPending(false);
    }
  }
  const fieldError = (name: string) =>
    error instanceof AppError ? error.fields.find((f) => f.field === name) : undefined;
  return { pending, error, onSubmit, summary, fieldError };
}

/** ErrorSummary shows a form's failure, translated, and takes focus. */
export function ErrorSummary({ error, summaryRef }: { error: unknown; summaryRef: React.RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div role="alert" className="error" tabIndex={-1} ref={summaryRef}>
      <p>{errorText(t, error)}</p>
    </div>
  );
}

/** Field is a labelled input with its error linked for assistive technology. */
export function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  value: string;
  onChange: (v: string) => void;
  error?: { code: string };
  hint?: ReactNode;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [props.hint ? hintId : '', props.error ? errId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        value={props.value}
        required={props.required ?? true}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && (
        <p id={errId} className="field-error">
          {t(`fieldErrors.${props.error.code}`, { defaultValue: t('fieldErrors.invalid') })}
        </p>
      )}
    </div>
  );
}

/** SubmitButton shows that the form is being sent. */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" disabled={pending} aria-busy={pending}>
      {children}
      {pending ? '…' : ''}
    </button>
  );
}
