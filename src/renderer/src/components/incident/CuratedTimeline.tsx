import { useMemo, useState } from 'react';
import { curationKinds, curationOf } from '../../../../shared/incident-curation';
import type { IncidentEvent } from '../../../../shared/incident';
import { useApp } from '../../store';
import { noticeFrom } from '../../store/notice-slice';
import { transport } from '../../store/transport-ref';
import { LabelledField } from '../LabelledField';
import { Timeline } from './Timeline';

const all = '';
const profileOf = (e: IncidentEvent) => String(e.payload.profileName ?? e.payload.profileId ?? '');
const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort();

async function mark(incidentId: string, seq: number, what: 'star' | 'unstar' | 'hide' | 'unhide') {
  try {
    await transport().invoke('incidents.mark', { id: incidentId, seq, mark: what });
  } catch (error) {
    useApp.getState().noticeShown(noticeFrom(error));
  }
}

function Filter({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
  testId: string;
}) {
  return (
    <LabelledField label={label} className="field timeline-filter">
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          <option value={all}>all</option>
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )}
    </LabelledField>
  );
}

/**
 * The timeline with its curation: star or hide an event (each a new event pointing at it),
 * filter by kind, profile and author, and show only the starred. Hidden events stay in the full
 * export, marked; here they are left out unless "show hidden" is on.
 */
export function CuratedTimeline({
  incidentId,
  events,
  late,
}: {
  incidentId: string;
  events: IncidentEvent[];
  late?: readonly number[];
}) {
  const [kind, setKind] = useState(all);
  const [profile, setProfile] = useState(all);
  const [author, setAuthor] = useState(all);
  const [starredOnly, setStarredOnly] = useState(false);
  const [showHidden, setShowHidden] = useState(false);
  const { starred, hidden } = useMemo(() => curationOf(events), [events]);
  const marks = events.filter((e) => curationKinds.has(e.kind));
  const shown = events.filter(
    (e) =>
      (!curationKinds.has(e.kind) || kind === e.kind) &&
      (kind === all || e.kind === kind) &&
      (profile === all || profileOf(e) === profile) &&
      (author === all || e.operator === author) &&
      (!starredOnly || starred.has(e.seq)) &&
      (showHidden || !hidden.has(e.seq)),
  );
  const decorate = (event: IncidentEvent) => {
    if (curationKinds.has(event.kind)) return null;
    const isStarred = starred.has(event.seq);
    const isHidden = hidden.has(event.seq);
    return (
      <span className="timeline-marks">
        {isHidden && (
          <span className="badge" data-testid="timeline-hidden">
            hidden
          </span>
        )}
        <button
          type="button"
          className="icon"
          aria-pressed={isStarred}
          aria-label={`${isStarred ? 'Unstar' : 'Star'} event ${event.seq}`}
          onClick={() => void mark(incidentId, event.seq, isStarred ? 'unstar' : 'star')}
          data-testid="timeline-star"
        >
          {isStarred ? '★' : '☆'}
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`${isHidden ? 'Show' : 'Hide'} event ${event.seq}`}
          onClick={() => void mark(incidentId, event.seq, isHidden ? 'unhide' : 'hide')}
          data-testid="timeline-hide"
        >
          {isHidden ? 'Show' : 'Hide'}
        </button>
      </span>
    );
  };
  return (
    <section aria-label="Curated timeline" data-testid="curated-timeline">
      <div className="timeline-filters" role="group" aria-label="Filter the timeline">
        <Filter
          label="Kind"
          value={kind}
          options={distinct(events.map((e) => e.kind))}
          onChange={setKind}
          testId="timeline-filter-kind"
        />
        <Filter
          label="Profile"
          value={profile}
          options={distinct(events.map(profileOf))}
          onChange={setProfile}
          testId="timeline-filter-profile"
        />
        <Filter
          label="Author"
          value={author}
          options={distinct(events.map((e) => e.operator))}
          onChange={setAuthor}
          testId="timeline-filter-author"
        />
        <label className="timeline-filter">
          <input
            type="checkbox"
            checked={starredOnly}
            onChange={(e) => setStarredOnly(e.target.checked)}
            data-testid="timeline-starred-only"
          />{' '}
          Starred only
        </label>
        <label className="timeline-filter">
          <input
            type="checkbox"
            checked={showHidden}
            onChange={(e) => setShowHidden(e.target.checked)}
            data-testid="timeline-show-hidden"
          />{' '}
          Show hidden ({hidden.size})
        </label>
      </div>
      <Timeline events={shown} late={late} decorate={decorate} />
      {marks.length > 0 && (
        <p className="hint">
          {marks.length} star/hide mark(s) recorded: each is an event of its own, in the full export.
        </p>
      )}
    </section>
  );
}
