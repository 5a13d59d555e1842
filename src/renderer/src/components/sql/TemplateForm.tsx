import type { QueryTemplateView, TemplateParam } from '../../../../shared/contract';

const hints: Record<TemplateParam['type'], string> = {
  text: 'text',
  int: 'whole number',
  bigint: 'whole number',
  numeric: 'number',
  bool: 'true/false',
  date: 'YYYY-MM-DD',
  timestamptz: '2026-11-23T14:05:00Z',
  interval: '15 minutes',
  uuid: 'UUID',
  enum: 'one of the list',
  identifier: 'table name',
};

interface Props {
  template: QueryTemplateView;
  values: Record<string, string>;
  enumOptions: Record<string, string[]>;
  onEdit(name: string, value: string): void;
}

/** One labelled field per typed parameter; values are bound as $n by the core, never spliced. */
export function TemplateForm({ template, values, enumOptions, onEdit }: Props) {
  return (
    <fieldset className="template-form">
      <legend>{template.name}</legend>
      {template.description && <p className="result-meta">{template.description}</p>}
      <pre className="template-sql">{template.sql}</pre>
      {template.params.map((param) => {
        const id = `template-param-${param.name}`;
        const value = values[param.name] ?? '';
        const label = `${param.label ?? param.name} (${param.list ? `list of ${param.type}` : param.type}${param.required ? '' : ', optional'})`;
        const options =
          param.type === 'enum' && !param.list ? (enumOptions[param.name] ?? param.enum ?? []) : undefined;
        return (
          <div className="field" key={param.name}>
            <label htmlFor={id}>{label}</label>
            {param.type === 'bool' && !param.list ? (
              <select id={id} value={value} onChange={(e) => onEdit(param.name, e.target.value)} data-testid={id}>
                <option value="">—</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : options ? (
              <select id={id} value={value} onChange={(e) => onEdit(param.name, e.target.value)} data-testid={id}>
                <option value="">—</option>
                {options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={param.secret ? 'password' : 'text'}
                value={value}
                placeholder={param.list ? `${hints[param.type]}, comma-separated` : hints[param.type]}
                autoComplete="off"
                spellCheck="false"
                onChange={(e) => onEdit(param.name, e.target.value)}
                data-testid={id}
              />
            )}
            {param.description && <small className="result-meta">{param.description}</small>}
          </div>
        );
      })}
    </fieldset>
  );
}
