import type { PendingRecords } from '../../../../shared/contract/incident-integrity';
import { summarizeEvent } from '../../../../shared/incident-summary';

/**
 * Records the store could not take yet: said above the timeline with what to free, and listed
 * after it as waiting (they have no place in the chain until the store takes them).
 */
export function JournalNotice({ pending }: { pending: PendingRecords | null }) {
  if (!pending?.total) return null;
  const { total, reasons, events } = pending;
  return (
    <div className="journal-notice" role="status" data-testid="journal-notice">
      <p>
        {total} record{total === 1 ? '' : 's'} wait{total === 1 ? 's' : ''} in the fallback journal:{' '}
        {reasons.join('; ')}. They join the timeline, in order, as soon as the store accepts writes; nothing is lost.
      </p>
      {events.length > 0 && (
        <ol className="timeline" aria-label="Waiting in the fallback journal" data-testid="journal-pending">
          {events.map((event, i) => (
            <li key={`${event.at}-${i}`} className="timeline-event timeline-deferred" data-kind={event.kind}>
              <time dateTime={event.at}>{event.at.slice(11, 19)} UTC</time>
              <span className="timeline-operator">{event.operator}</span>
              <span className="timeline-summary">{summarizeEvent(event)}</span>
              <span className="timeline-late">waiting in the fallback journal</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
