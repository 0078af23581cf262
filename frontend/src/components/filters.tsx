import { useId, useState } from 'react';

/** A choice of a FilterSelect. */
export interface FilterOption {
  value: string;
  label: string;
}

/**
 * useShown is a filter's value as shown: the choice at once, then the value
 * given (a list's address, which the router updates in a transition, a moment
 * later).
 */
function useShown<V>(value: V): [V, (v: V) => void] {
  const [shown, setShown] = useState(value);
  const [given, setGiven] = useState(value);
  if (given !== value) {
    setGiven(value);
    setShown(value);
  }
  return [shown, setShown];
}

/** FilterSelect is a labelled drop-down list that narrows a list as soon as it changes. */
export function FilterSelect({ label, value, options, onChange, busy, disabled }: {
  label: string;
  value: string;
  options: FilterOption[];
  onChange: (v: string) => void;
  /** The options are being loaded. */
  busy?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  const [shown, setShown] = useShown(value);
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={shown}
        disabled={disabled}
        aria-busy={busy || undefined}
        onChange={(e) => {
          setShown(e.target.value);
          onChange(e.target.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** FilterCheckbox is a labelled check box that narrows a list as soon as it changes. */
export function FilterCheckbox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  const [shown, setShown] = useShown(checked);
  return (
    <div className="filter filter-check">
      <input
        id={id}
        type="checkbox"
        checked={shown}
        onChange={(e) => {
          setShown(e.target.checked);
          onChange(e.target.checked);
        }}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
