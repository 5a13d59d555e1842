import { useApp } from '../../store';
import { useId } from 'react';
import type { RunbookParameter } from '../../../../shared/runbook';

/** One parameter input, typed by the plan: number, checkbox, list, password for secrets. */
export function ParamField({
  stepId,
  parameter,
  value,
  error,
  showEmpty,
  origin,
}: {
  stepId: string;
  parameter: RunbookParameter;
  value: string;
  error?: string;
  showEmpty: boolean;
  origin?: string;
}) {
  const edit = useApp.getState().runbookParamEdited;
  const id = `${useId()}-${stepId}-${parameter.name}`;
  const shownError = error && (value.trim() !== '' || showEmpty) ? error : undefined;
  const common = {
    id,
    'aria-invalid': shownError ? ('true' as const) : undefined,
    'aria-describedby': shownError ? `${id}-error` : parameter.description ? `${id}-desc` : undefined,
    'data-testid': `runbook-param-${parameter.name}`,
  };
  let input;
  if (parameter.type === 'boolean') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === 'true'}
        onChange={(e) => edit(parameter.name, e.target.checked ? 'true' : 'false')}
      />
    );
  } else if (parameter.type === 'enum' && parameter.enum) {
    input = (
      <select {...common} value={value} onChange={(e) => edit(parameter.name, e.target.value)}>
        <option value="">Choose…</option>
        {parameter.enum.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type={parameter.secret ? 'password' : 'text'}
        inputMode={parameter.type === 'int' || parameter.type === 'number' ? 'numeric' : undefined}
        value={value}
        placeholder={parameter.default !== undefined ? String(parameter.default) : parameter.type}
        autoComplete="off"
        spellCheck="false"
        onChange={(e) => edit(parameter.name, e.target.value)}
      />
    );
  }
  return (
    <div className="runbook-param">
      <label htmlFor={id}>
        {parameter.name} <small>{parameter.secret ? 'secret' : parameter.type}</small>
      </label>
      {input}
      {origin && !shownError && (
        <small className="result-meta" data-testid="runbook-param-origin">
          from {origin}
        </small>
      )}
      {parameter.description && !shownError && (
        <small id={`${id}-desc`} className="result-meta">
          {parameter.description}
        </small>
      )}
      {shownError && (
        <small id={`${id}-error`} className="field-error" data-testid="runbook-param-error">
          {shownError}
        </small>
      )}
    </div>
  );
}
