import { useId, type ReactNode } from 'react';

/**
 * A field whose label is tied to its control by id. Wrapping a select (or a hint) in its label
 * folds the options' or the hint's text into the control's accessible name, so a screen reader
 * (and getByLabel) hears "Severity P1 — Critical … Use when …" instead of "Severity".
 */
export function LabelledField({
  label,
  hint,
  className = 'field',
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (control: { id: string; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}) })}
      {hint && (
        <small className="hint" id={`${id}-hint`}>
          {hint}
        </small>
      )}
    </div>
  );
}
