import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { ChainVerification, IncidentEvent } from '../../../../shared/incident';
import { summarizeEvent } from '../../../../shared/incident-summary';
import { ProposalActions, proposalStates } from './ProposalActions';

// The player brings xterm: loaded when a recording is first played.
const CastPlayer = lazy(() => import('../terminal/CastPlayer').then((m) => ({ default: m.CastPlayer })));

/** The timeline's header when its chain does not verify: said before any event is read, never hidden. */
export function TimelineIntegrity({ integrity }: { integrity: ChainVerification | null }) {
  if (!integrity || integrity.ok) return null;
  const missing = integrity.missingFrom
    ? ` Events from ${integrity.missingFrom} on that were recorded are missing from the store.`
    : '';
  return (
    <p className="timeline-integrity" role="alert" data-testid="timeline-integrity">
      Timeline integrity: BROKEN at event {integrity.brokenAt?.seq}: {integrity.brokenAt?.reason}.{missing} Do not rely
      on it as evidence without the original.
    </p>
  );
}

/**
 * The timeline, newest last, each event with its UTC time and operator; `late` marks events
 * appended from the fallback journal; `decorate` adds the curation marks and buttons of an event
 * (the drawer's curated view).
 */
export function Timeline({
  events,
  late,
  decorate,
}: {
  events: IncidentEvent[];
  late?: readonly number[];
  decorate?: (event: IncidentEvent) => ReactNode;
}) {
  const [playing, setPlaying] = useState<string>();
  if (events.length === 0) return <p className="empty">Nothing recorded yet.</p>;
  const proposals = proposalStates(events);
  return (
    <ol className="timeline" data-testid="timeline" aria-label="Timeline">
      {events.map((event) => {
        const attachmentId = event.kind === 'terminal.recording' ? String(event.payload.attachmentId) : undefined;
        return (
          <li
            key={event.seq}
            className={`timeline-event kind-${event.kind.replace('.', '-')}`}
            data-kind={event.kind}
            data-seq={event.seq}
            data-shared={event.shared === false ? 'no' : undefined}
          >
            <time dateTime={event.at} title={new Date(event.at).toLocaleString()}>
              {event.at.slice(11, 19)} UTC
            </time>
            <span className="timeline-operator">{event.operator}</span>
            {event.shared === false && (
              <span
                className="timeline-unshared"
                title="Recorded here; not yet in the team database (it is sent when the team database is reachable)"
              >
                not yet shared
              </span>
            )}
            <span className="timeline-summary">{summarizeEvent(event)}</span>
            {late?.includes(event.seq) && (
              <span className="timeline-late" data-testid="timeline-late">
                recorded late, from the fallback journal
              </span>
            )}
            {decorate?.(event)}
            {event.kind === 'proposal' && (
              <ProposalActions event={event} state={proposals.get(String(event.payload.proposalId))} />
            )}
            {attachmentId && (
              <button
                onClick={() => setPlaying(playing === attachmentId ? undefined : attachmentId)}
                aria-expanded={playing === attachmentId}
              >
                {playing === attachmentId ? 'Hide recording' : 'Play recording'}
              </button>
            )}
            {attachmentId && playing === attachmentId && (
              <Suspense fallback={null}>
                <CastPlayer recording={{ attachmentId }} />
              </Suspense>
            )}
          </li>
        );
      })}
    </ol>
  );
}
