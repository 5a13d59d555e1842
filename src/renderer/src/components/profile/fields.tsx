import type { ReactNode } from 'react';
import { LabelledField } from '../LabelledField';
import type { ProfileDraft } from './profile-draft';
import { focusOnMount } from '../../focus-on-mount';

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
        ref={props.autoFocus ? focusOnMount : undefined}
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

/** A fieldset the operator switches on or off by its legend (SSH, Postgres, Redis): its fields show when on. */
export function ToggleSection(props: {
  label: string;
  flag: 'sshEnabled' | 'pgEnabled' | 'redisEnabled';
  draft: ProfileDraft;
  update(change: Partial<ProfileDraft>): void;
  children: ReactNode;
}) {
  const on = props.draft[props.flag];
  return (
    <fieldset>
      <legend>
        <label>
          <input
            type="checkbox"
            checked={on}
            onChange={(e) => props.update({ [props.flag]: e.target.checked })}
            data-testid={`profile-${props.flag}`}
          />{' '}
          {props.label}
        </label>
      </legend>
      {on && props.children}
    </fieldset>
  );
}
