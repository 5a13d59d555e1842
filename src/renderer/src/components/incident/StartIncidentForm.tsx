import { useState } from 'react';
import { severities, severityDefinitions, type Severity } from '../../../../shared/incident';
import { LabelledField } from '../LabelledField';
import { useApp } from '../../store';

/** Starts a named incident, or promotes the current unnamed session into one. */
export function StartIncidentForm({ promote }: { promote: boolean }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('P2');
  const [commander, setCommander] = useState('');
  const [error, setError] = useState<string>();
  const { incidentStarted, incidentPromoted } = useApp.getState();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(
      promote
        ? await incidentPromoted({ title, severity })
        : await incidentStarted({ title, severity, commander: commander.trim() || undefined }),
    );
  };
  return (
    <form
      className="incident-form"
      onSubmit={submit}
      aria-label={promote ? 'Promote this session to an incident' : 'Start an incident'}
    >
      <label className="field">
        <span>Title</span>
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder="API latency, DB connections exhausted"
          data-testid="incident-title"
        />
      </label>
      <LabelledField label="Severity" hint={severityDefinitions[severity].definition}>
        {(control) => (
          <select
            {...control}
            value={severity}
            onChange={(e) => setSeverity(e.target.value as Severity)}
            data-testid="incident-severity"
          >
            {severities.map((s) => (
              <option key={s} value={s}>
                {s} — {severityDefinitions[s].label}
              </option>
            ))}
          </select>
        )}
      </LabelledField>
      {!promote && (
        <label className="field">
          <span>Commander (optional)</span>
          <input value={commander} onChange={(e) => setCommander(e.target.value)} />
        </label>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="incident-start">
        {promote ? 'Promote to incident' : 'Start incident'}
      </button>
    </form>
  );
}
