// The inputs of the drafts workspace that the shared form kit lacks: a file
// input and a date-and-time input, labelled, with hint and error linked as
// components/form.tsx links them. Their errors are explained in this feature's
// own words (draftAdmin.fieldErrors), for the converter's codes are its own.
import { forwardRef, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** FieldErrorText explains a field's error code in the drafts workspace's words. */
export function DraftFieldError({ id, error }: { id: string; error?: { code: string } }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p id={id} className="field-error">
      {t(`draftAdmin.fieldErrors.${error.code}`, { defaultValue: t(`fieldErrors.${error.code}`, { defaultValue: t('fieldErrors.invalid') }) })}
    </p>
  );
}

function ids(base: string, hint: ReactNode, error: { code: string } | undefined) {
  const describedBy = [hint ? `${base}-hint` : '', error ? `${base}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { hintId: `${base}-hint`, errId: `${base}-error`, describedBy };
}

/** FileField is a labelled file input; onChange gets the chosen file, or null. */
export const FileField = forwardRef<HTMLInputElement, {
  name: string;
  label: string;
  accept: string;
  hint?: ReactNode;
  error?: { code: string };
  onChange: (f: File | null) => void;
}>(function FileField(props, ref) {
  const id = useId();
  const f = ids(id, props.hint, props.error);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={f.hintId} className="hint">
          {props.hint}
        </p>
      )}
      <input
        ref={ref}
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.files?.[0] ?? null)}
      />
      <DraftFieldError id={f.errId} error={props.error} />
    </div>
  );
});

/** DateTimeField is a labelled date-and-time input in the browser's time zone (value as YYYY-MM-DDTHH:MM). */
export function DateTimeField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  error?: { code: string };
}) {
  const id = useId();
  const f = ids(id, props.hint, props.error);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={f.hintId} className="hint">
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type="datetime-local"
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <DraftFieldError id={f.errId} error={props.error} />
    </div>
  );
}

/** toLocalInput turns an instant into a datetime-local value in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** fromLocalInput turns a datetime-local value (browser's time zone) into an RFC 3339 instant, or null when empty or unreadable. */
export function fromLocalInput(v: string): string | null {
  if (!v.trim()) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** TextField is a labelled text area whose error is explained as DraftFieldError explains it. */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  hint?: ReactNode;
  error?: { code: string };
}) {
  const id = useId();
  const f = ids(id, props.hint, props.error);
  return (
    <div className="field field-wide">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={f.hintId} className="hint">
          {props.hint}
        </p>
      )}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={f.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <DraftFieldError id={f.errId} error={props.error} />
    </div>
  );
}
