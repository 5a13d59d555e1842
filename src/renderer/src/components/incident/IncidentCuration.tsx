import { useState } from 'react';
import { curationOf } from '../../../../shared/incident-curation';
import type { IncidentEvent } from '../../../../shared/incident';
import { useApp } from '../../store';
import { noticeFrom } from '../../store/notice-slice';
import { transport } from '../../store/transport-ref';

/** Tags of the incident (each change an event) and the chat summary copied with one click. */
export function IncidentCuration({ incidentId, events }: { incidentId: string; events: IncidentEvent[] }) {
  const [tag, setTag] = useState('');
  const [summary, setSummary] = useState<{ text: string; format: string }>();
  const tags = curationOf(events).tags;
  const fail = (error: unknown) => useApp.getState().noticeShown(noticeFrom(error));
  const addTag = async (event: React.FormEvent) => {
    event.preventDefault();
    const words = tag.split(/[\s,]+/).filter(Boolean);
    if (words.length === 0) return;
    try {
      await transport().invoke('incidents.tag', { id: incidentId, add: words });
      setTag('');
    } catch (error) {
      fail(error);
    }
  };
  const removeTag = (name: string) =>
    transport()
      .invoke('incidents.tag', { id: incidentId, remove: [name] })
      .catch(fail);
  const copySummary = async (format: 'summary' | 'summary-text') => {
    try {
      const result = await transport().invoke('incidents.summary', { id: incidentId, format });
      await navigator.clipboard.writeText(result.text).catch(() => undefined);
      setSummary({ text: result.text, format });
    } catch (error) {
      fail(error);
    }
  };
  return (
    <section className="incident-curation" aria-label="Tags and chat summary">
      <form className="tag-form" onSubmit={(e) => void addTag(e)}>
        <ul className="tags" aria-label="Tags" data-testid="incident-tags">
          {tags.map((t) => (
            <li key={t} className="badge">
              {t}{' '}
              <button type="button" className="icon" aria-label={`Remove tag ${t}`} onClick={() => void removeTag(t)}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <label className="field">
          <span>Add tag</span>
          <input
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder="postgres locks"
            data-testid="incident-tag-input"
          />
        </label>
        <button type="submit" data-testid="incident-tag-add">
          Add tag
        </button>
      </form>
      <div className="incident-actions">
        <button type="button" onClick={() => void copySummary('summary')} data-testid="summary-copy">
          Copy chat summary
        </button>
        <button type="button" onClick={() => void copySummary('summary-text')} data-testid="summary-copy-text">
          Copy as plain text
        </button>
      </div>
      {summary && (
        <figure>
          <figcaption className="hint" role="status">
            Copied the {summary.format === 'summary' ? 'Markdown' : 'plain-text'} summary:
          </figcaption>
          <pre className="chat-summary" data-testid="chat-summary">
            {summary.text}
          </pre>
        </figure>
      )}
    </section>
  );
}
