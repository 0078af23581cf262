import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './status';

/**
 * ErrorSummary shows why a form was refused, translated (or as children say),
 * and takes the focus each time a new refusal comes, so that it is announced.
 */
export function ErrorSummary({ error, children }: { error: unknown; children?: ReactNode }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) box.current?.focus();
  }, [error]);
  if (!error) return null;
  return (
    <div role="alert" className="error" tabIndex={-1} ref={box}>
      {children ?? <p>{errorText(t, error)}</p>}
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
  maxLength?: number;
  /** Bounds of a number or, as yyyy-mm-dd, of a date. */
  min?: number | string;
  max?: number | string;
}) {
  const f = useFieldIds(props.hint, props.error);
  return (
    <div className="field">
      <label htmlFor={f.id}>{props.label}</label>
      <FieldHint id={f.hintId} hint={props.hint} />
      <input
        id={f.id}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        value={props.value}
        required={props.required ?? true}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldErrorText id={f.errId} error={props.error} />
    </div>
  );
}

/** TextAreaField is a labelled text area with its hint and error linked, like Field. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: { code: string };
  hint?: ReactNode;
  required?: boolean;
  maxLength?: number;
  rows?: number;
}) {
  const f = useFieldIds(props.hint, props.error);
  return (
    <div className="field field-wide">
      <label htmlFor={f.id}>{props.label}</label>
      <FieldHint id={f.hintId} hint={props.hint} />
      <textarea
        id={f.id}
        name={props.name}
        rows={props.rows ?? 6}
        value={props.value}
        required={props.required ?? true}
        maxLength={props.maxLength}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldErrorText id={f.errId} error={props.error} />
    </div>
  );
}

/** SelectField is a labelled drop-down list with its hint and error linked, like Field. */
export function SelectField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  error?: { code: string };
  hint?: ReactNode;
  required?: boolean;
}) {
  const f = useFieldIds(props.hint, props.error);
  return (
    <div className="field">
      <label htmlFor={f.id}>{props.label}</label>
      <FieldHint id={f.hintId} hint={props.hint} />
      <select
        id={f.id}
        name={props.name}
        value={props.value}
        required={props.required ?? true}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrorText id={f.errId} error={props.error} />
    </div>
  );
}

/** CheckboxField is a labelled check box with its hint and error linked, like Field. */
export function CheckboxField(props: { name: string; label: string; checked: boolean; onChange: (v: boolean) => void; error?: { code: string }; hint?: ReactNode }) {
  const f = useFieldIds(props.hint, props.error);
  return (
    <div className="field">
      <div className="field-inline">
        <input
          id={f.id}
          name={props.name}
          type="checkbox"
          checked={props.checked}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={f.describedBy}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        <label htmlFor={f.id}>{props.label}</label>
      </div>
      <FieldHint id={f.hintId} hint={props.hint} />
      <FieldErrorText id={f.errId} error={props.error} />
    </div>
  );
}

function useFieldIds(hint: ReactNode, error: { code: string } | undefined) {
  const id = useId();
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
  return { id, errId, hintId, describedBy };
}

function FieldHint({ id, hint }: { id: string; hint: ReactNode }) {
  if (!hint) return null;
  return (
    <p id={id} className="hint">
      {hint}
    </p>
  );
}

function FieldErrorText({ id, error }: { id: string; error?: { code: string } }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p id={id} className="field-error">
      {t(`fieldErrors.${error.code}`, { defaultValue: t('fieldErrors.invalid') })}
    </p>
  );
}

/** SLOW_MS is how long a send may take before its progress is spelled out. */
export const SLOW_MS = 400;

/**
 * SubmitButton shows that the form is being sent: the button is busy at once,
 * and a send that takes longer than a moment also says so in words, announced
 * to screen readers. A form that reports its own progress (an upload's
 * percentage, say) passes ownProgress so only one status speaks.
 */
export function SubmitButton({
  pending,
  children,
  ownProgress = false,
}: {
  pending: boolean;
  children: ReactNode;
  ownProgress?: boolean;
}) {
  const { t } = useTranslation();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => {
      clearTimeout(timer);
      setSlow(false);
    };
  }, [pending]);
  return (
    <>
      <button type="submit" disabled={pending} aria-busy={pending}>
        {children}
        {pending ? '…' : ''}
      </button>
      {pending && !ownProgress && (
        // Present from the start of the send, so its words are announced.
        <span role="status" className="progress-note">
          {slow ? t('app.sending') : ''}
        </span>
      )}
    </>
  );
}
