import { useId, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/** A choice of a RadioGroup: its value, its label and an optional one-line explanation. */
export interface RadioChoice {
  value: string;
  label: string;
  hint?: string;
}

/**
 * RadioGroup is a fieldset of radio buttons, each labelled and explained, with
 * the group's error linked for assistive technology (arrow keys choose).
 */
export function RadioGroup({ name, legend, choices, value, onChange, error, groupRef, className }: {
  name: string;
  legend: ReactNode;
  choices: RadioChoice[];
  value: string;
  onChange: (v: string) => void;
  error?: { code: string };
  groupRef?: RefObject<HTMLFieldSetElement | null>;
  className?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const errId = `${id}-error`;
  return (
    <fieldset className={`radio-group ${className ?? ''}`} ref={groupRef} aria-describedby={error ? errId : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p id={errId} className="field-error">
          {t(`fieldErrors.${error.code}`, { defaultValue: t('fieldErrors.invalid') })}
        </p>
      )}
      {choices.map((c) => {
        const rid = `${id}-${c.value}`;
        return (
          <div className="radio-choice" key={c.value}>
            {/* Screen readers say "invalid" on each choice of a refused group; the group
                stays a fieldset (role group), which aria-invalid does not fit. */}
            {/* eslint-disable-next-line jsx-a11y/role-supports-aria-props -- see above */}
            <input
              type="radio"
              id={rid}
              name={`${id}-${name}`}
              value={c.value}
              checked={value === c.value}
              aria-invalid={error ? true : undefined}
              aria-describedby={c.hint ? `${rid}-hint` : undefined}
              onChange={() => onChange(c.value)}
            />
            <label htmlFor={rid}>{c.label}</label>
            {c.hint && (
              <p id={`${rid}-hint`} className="hint">
                {c.hint}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/** focusChoice puts the focus on a radio group's chosen button, else on its first. */
export function focusChoice(group: HTMLElement | null) {
  const radio = group?.querySelector<HTMLInputElement>('input[type="radio"]:checked') ?? group?.querySelector<HTMLInputElement>('input[type="radio"]');
  radio?.focus();
}
