import { useState } from 'react';
import { exportFormats, incidentStatuses, type IncidentStatus } from '../../../shared/incident';
import { useApp } from '../store';
import { ReportEditor } from './incident/ReportEditor';
import { StartIncidentForm } from './incident/StartIncidentForm';
import { StepChanges } from './incident/StepChanges';
import { TimelineIntegrity } from './incident/Timeline';
import { CuratedTimeline } from './incident/CuratedTimeline';
import { IncidentCuration } from './incident/IncidentCuration';
import { JournalNotice } from './incident/JournalNotice';
import { VerifyReport } from './incident/VerifyReport';
import { TeamPanel } from './team/TeamPanel';
import { LabelledField } from './LabelledField';
import './incident/incident.css';

/** The right-hand drawer: the active incident, its timeline, notes, report and exports. */
export function Drawer() {
  const incident = useApp((s) => s.activeIncident);
  const timeline = useApp((s) => s.timeline);
  const integrity = useApp((s) => s.timelineIntegrity);
  const pending = useApp((s) => s.timelinePending);
  const { noteAdded, incidentStatusChosen, incidentExported } = useApp.getState();
  const [note, setNote] = useState('');
  const [happenedAt, setHappenedAt] = useState('');
  const [showReport, setShowReport] = useState(false);
  const [exported, setExported] = useState<string>();
  const addNote = async (event: React.FormEvent) => {
    event.preventDefault();
    // datetime-local is the operator's local time; the core records it in UTC beside the recorded time.
    if (note.trim() && (await noteAdded(note, happenedAt ? new Date(happenedAt).toISOString() : undefined))) {
      setNote('');
      setHappenedAt('');
    }
  };
  return (
    <aside className="drawer" aria-label="Incident timeline" data-testid="timeline-drawer">
      {!incident ? (
        <>
          <h2>No incident open</h2>
          <p className="hint">
            Everything you run is still recorded: the first action opens a session you can promote later.
          </p>
          <StartIncidentForm promote={false} />
          <VerifyReport />
          <TeamPanel />
        </>
      ) : (
        <>
          <header className="incident-header">
            <h2 data-testid="incident-heading">
              {incident.kind === 'session' ? 'Unnamed session' : `${incident.severity} · ${incident.title}`}
            </h2>
            {incident.kind === 'incident' && (
              <LabelledField label="Status">
                {(control) => (
                  <select
                    {...control}
                    value={incident.status}
                    onChange={(e) => void incidentStatusChosen(e.target.value as IncidentStatus)}
                    data-testid="incident-status"
                  >
                    {incidentStatuses.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                )}
              </LabelledField>
            )}
          </header>
          {incident.kind === 'session' && (
            <details>
              <summary>Promote to an incident</summary>
              <StartIncidentForm promote />
            </details>
          )}
          <form className="note-form" onSubmit={addNote}>
            <label className="field">
              <span>Note</span>
              <textarea
                rows={2}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="What you saw, what you decided"
                data-testid="note-text"
              />
            </label>
            <label className="field">
              <span>Happened at (if earlier)</span>
              <input
                type="datetime-local"
                value={happenedAt}
                onChange={(e) => setHappenedAt(e.target.value)}
                data-testid="note-happened-at"
              />
            </label>
            <button type="submit" data-testid="note-add">
              Add note
            </button>
          </form>
          <TeamPanel />
          <TimelineIntegrity integrity={integrity} />
          <JournalNotice pending={pending} />
          <CuratedTimeline incidentId={incident.id} events={timeline} late={pending?.fromJournal} />
          <IncidentCuration incidentId={incident.id} events={timeline} />
          <StepChanges incidentId={incident.id} eventCount={timeline.length} />
          <div className="incident-actions">
            <button onClick={() => setShowReport((v) => !v)} aria-expanded={showReport} data-testid="report-toggle">
              {showReport ? 'Hide report' : 'Write report'}
            </button>
            {exportFormats.map((format) => (
              <button
                key={format}
                onClick={async () => setExported((await incidentExported(format))?.path)}
                data-testid={`export-${format}`}
              >
                Export {format.toUpperCase()}
              </button>
            ))}
          </div>
          <button
            onClick={async () => setExported((await incidentExported('md', { starred: true }))?.path)}
            data-testid="export-starred-md"
          >
            Export starred (MD)
          </button>
          {exported && (
            <p className="hint" role="status" data-testid="export-path">
              Saved to <code>{exported}</code>
            </p>
          )}
          {showReport && <ReportEditor key={incident.id} incident={incident} />}
          <VerifyReport />
        </>
      )}
    </aside>
  );
}
