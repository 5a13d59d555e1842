import { useState } from 'react';
import type { ActionItem, IncidentView, ReportFields } from '../../../../shared/incident';
import { useApp } from '../../store';

type TextField = 'summary' | 'usersAffected' | 'impact' | 'rootCause' | 'resolution';
const textFields: { key: TextField; label: string }[] = [
  { key: 'summary', label: 'Summary' },
  { key: 'usersAffected', label: 'Users affected' },
  { key: 'impact', label: 'Impact' },
  { key: 'rootCause', label: 'Root cause' },
  { key: 'resolution', label: 'Resolution' },
];

/** The fields the commander writes for the hand-over; the timeline fills the rest. */
export function ReportEditor({ incident }: { incident: IncidentView }) {
  const [draft, setDraft] = useState<ReportFields>(incident.report);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const reportFieldsSaved = useApp((s) => s.reportFieldsSaved);
  const setItem = (index: number, change: Partial<ActionItem>) =>
    setDraft((d) => ({
      ...d,
      actionItems: d.actionItems.map((item, i) => (i === index ? { ...item, ...change } : item)),
    }));
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const { durationMs: _computed, ...fields } = draft;
    const error = await reportFieldsSaved({ ...fields, actionItems: draft.actionItems.filter((a) => a.text.trim()) });
    setMessage(error ? { error: true, text: error } : { error: false, text: 'Report saved.' });
  };
  return (
    <form className="report-editor" onSubmit={save} aria-label="Incident report">
      {textFields.map(({ key, label }) => (
        <label key={key} className="field">
          <span>{label}</span>
          <textarea
            rows={key === 'usersAffected' ? 1 : 3}
            value={draft[key]}
            onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
            data-testid={`report-${key}`}
          />
        </label>
      ))}
      <fieldset>
        <legend>Action items</legend>
        {draft.actionItems.map((item, i) => (
          <div key={i} className="action-item">
            <input
              type="checkbox"
              checked={item.done}
              onChange={(e) => setItem(i, { done: e.target.checked })}
              aria-label={`Action item ${i + 1} done`}
            />
            <input
              value={item.text}
              onChange={(e) => setItem(i, { text: e.target.value })}
              aria-label={`Action item ${i + 1}`}
              data-testid="action-item-text"
            />
            <input
              value={item.owner}
              onChange={(e) => setItem(i, { owner: e.target.value })}
              aria-label={`Owner of action item ${i + 1}`}
              placeholder="owner"
            />
            <input
              type="date"
              value={item.due ?? ''}
              onChange={(e) => setItem(i, { due: e.target.value || null })}
              aria-label={`Due date of action item ${i + 1}`}
            />
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            setDraft((d) => ({
              ...d,
              actionItems: [...d.actionItems, { text: '', owner: '', due: null, done: false }],
            }))
          }
          data-testid="action-item-add"
        >
          + Action item
        </button>
      </fieldset>
      {message && (
        <p className={message.error ? 'form-error' : 'hint'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <button type="submit" className="primary" data-testid="report-save">
        Save report
      </button>
    </form>
  );
}
