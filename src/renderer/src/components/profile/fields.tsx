import { LabelledField } from '../LabelledField';

/** A labelled text input showing its validation message (once the form was submitted). */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  testId: string;
  type?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'text';
  autoFocus?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        value={props.value}
        type={props.type ?? 'text'}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        autoFocus={props.autoFocus}
        autoComplete={props.type === 'password' ? 'off' : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={Boolean(props.error)}
        data-testid={props.testId}
      />
      {props.error && (
        <small className="field-error" role="alert">
          {props.error}
        </small>
      )}
    </label>
  );
}

/** A labelled select, tied by id (see LabelledField: a wrapping label would fold the options into its name). */
export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  testId: string;
  error?: string;
}) {
  return (
    <LabelledField label={props.label}>
      {(control) => (
        <>
          <select
            {...control}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value as T)}
            data-testid={props.testId}
            aria-invalid={Boolean(props.error)}
          >
            {props.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {props.error && (
            <small className="field-error" role="alert">
              {props.error}
            </small>
          )}
        </>
      )}
    </LabelledField>
  );
}

/** A fieldset's legend that switches the section on or off (SSH, Postgres, Redis). */
export function ToggleLegend(props: { label: string; checked: boolean; onChange(on: boolean): void; testId: string }) {
  return (
    <legend>
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          onChange={(e) => props.onChange(e.target.checked)}
          data-testid={props.testId}
        />{' '}
        {props.label}
      </label>
    </legend>
  );
}
