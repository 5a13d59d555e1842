import type { EventKind, EventPayloadInput } from './incident';

/**
 * Appends one event to the incident timeline (the incident recorder's `record`); `deferred` when it
 * went to the fallback journal. A type every domain that records takes, so it lives below them all.
 */
export type RecordEvent = <K extends EventKind>(
  kind: K,
  payload: EventPayloadInput<K>,
  options?: { incidentId?: string },
) => { deferred?: true } | void;
