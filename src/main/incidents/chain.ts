import type { ChainVerification } from '../../shared/incident';
import { canonicalJson, genesisHash, hashEvent } from './canonical';
import type { Head } from './head-anchor';
import type { EventRow, IncidentRepository } from './incident-repository';

/** What verification found, and whether recording must open a new segment before its next event. */
export interface ChainCheck extends ChainVerification {
  /** A break (or missing events) that no `chain.segment` marker after it acknowledges yet. */
  needsMarker: boolean;
  /** The payload of the marker to append when `needsMarker`. */
  marker?: {
    brokenAt: number;
    reason: string;
    lastVerifiedSeq: number | null;
    lastVerifiedHash: string | null;
    missingFrom?: number;
    missingTo?: number;
  };
}

interface Break {
  seq: number;
  reason: string;
  missingFrom?: number;
  missingTo?: number;
}

/**
 * Recomputes every hash of an incident's timeline from the stored rows: an edited field, a removed
 * or reordered row, or an event moved from another incident breaks the chain. Removing the newest
 * events leaves a shorter chain that is valid in itself: the head anchored outside the store
 * (`anchored`) catches that, and a replaced database whose event differs at the anchored seq.
 * A break stays a break: recording goes on in a new segment that starts with a `chain.segment`
 * marker naming it, and the chain is reported broken from then on, never "ok" again.
 */
export function verifyChain(repository: IncidentRepository, incidentId: string, anchored?: Head): ChainCheck {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let events = 0;
  let lastGood: { seq: number; hash: string } | undefined;
  let hashAtAnchor: string | undefined;
  const breaks: Break[] = [];
  let unacknowledged: Break | undefined;
  for (const row of repository.rawEvents(incidentId)) {
    const problem = rowProblem(row, expectedSeq, prevHash);
    if (problem) {
      const found = {
        seq: problem.seq,
        reason: problem.reason,
        ...(problem.missingFrom ? { missingFrom: problem.missingFrom } : {}),
      };
      breaks.push(found);
      unacknowledged ??= found;
    } else if (row.kind === 'chain.segment') {
      const marker = JSON.parse(row.payload) as Break & { brokenAt: number };
      if (!unacknowledged)
        breaks.push({
          seq: marker.brokenAt,
          reason: marker.reason,
          ...(marker.missingFrom ? { missingFrom: marker.missingFrom, missingTo: marker.missingTo } : {}),
        });
      unacknowledged = undefined;
    }
    if (!problem && !unacknowledged) lastGood = { seq: row.seq, hash: row.hash };
    // Go on from the stored hash: later events are checked against what is there now.
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    if (row.seq === anchored?.seq) hashAtAnchor = row.hash;
    events++;
  }
  const acknowledgedLoss = breaks.some((b) => b.missingTo !== undefined && anchored && b.missingTo >= anchored.seq);
  if (anchored && !unacknowledged && !acknowledgedLoss) {
    if (expectedSeq - 1 < anchored.seq) {
      const from = expectedSeq;
      const missing =
        from === anchored.seq ? `event ${from} is missing` : `events ${from} to ${anchored.seq} are missing`;
      unacknowledged = {
        seq: from,
        missingFrom: from,
        missingTo: anchored.seq,
        reason: `${missing}: ${anchored.seq} were recorded, the store holds ${from - 1} (a truncated or rolled-back WAL, or a database file restored or replaced)`,
      };
      breaks.push(unacknowledged);
    } else if (hashAtAnchor !== anchored.hash && !breaks.length) {
      unacknowledged = {
        seq: anchored.seq,
        reason:
          'it is not the event that was recorded with this number (its hash differs from the anchored head): the database was replaced or rewritten',
      };
      breaks.push(unacknowledged);
    }
  }
  const first = breaks[0];
  const result: ChainCheck = {
    ok: !first,
    events,
    headHash: events ? prevHash : null,
    needsMarker: unacknowledged !== undefined,
  };
  if (first) result.brokenAt = { seq: first.seq, reason: first.reason };
  const missing = breaks.find((b) => b.missingFrom !== undefined);
  if (missing) result.missingFrom = missing.missingFrom;
  if (unacknowledged) {
    result.marker = {
      brokenAt: unacknowledged.seq,
      reason: unacknowledged.reason.slice(0, 2000),
      lastVerifiedSeq: lastGood?.seq ?? null,
      lastVerifiedHash: lastGood?.hash ?? null,
      ...(unacknowledged.missingFrom
        ? { missingFrom: unacknowledged.missingFrom, missingTo: unacknowledged.missingTo }
        : {}),
    };
  }
  return result;
}

/**
 * The events another process appended after `from` (a head this process verified, its whole chain
 * with it), checked link by link: the new head, or undefined when `from` is no longer there as it
 * was or an event after it does not chain (the caller then verifies the whole chain, which names
 * the break). Each append pays for the events since, not for the whole timeline again.
 */
export function verifyAfter(repository: IncidentRepository, incidentId: string, from: Head): Head | undefined {
  let head: Head | undefined;
  for (const row of repository.rawEventsAfter(incidentId, from.seq - 1)) {
    if (!head) {
      if (row.seq !== from.seq || row.hash !== from.hash) return undefined;
      head = from;
      continue;
    }
    if (rowProblem(row, head.seq + 1, head.hash)) return undefined;
    head = { seq: row.seq, hash: row.hash };
  }
  return head;
}

function rowProblem(row: EventRow, expectedSeq: number, prevHash: string): Break | undefined {
  if (row.seq !== expectedSeq)
    return {
      seq: row.seq,
      missingFrom: expectedSeq,
      reason: `event ${expectedSeq} is missing (found ${row.seq} next)`,
    };
  if (row.prev_hash !== prevHash)
    return { seq: row.seq, reason: `its previous-hash does not match event ${row.seq - 1}` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return { seq: row.seq, reason: 'its payload is not valid JSON' };
  }
  if (canonicalJson(payload) !== row.payload)
    return { seq: row.seq, reason: 'its payload is not in canonical form (edited by hand?)' };
  const hash = hashEvent({
    incidentId: row.incident_id,
    seq: row.seq,
    at: row.at,
    operator: row.operator,
    kind: row.kind,
    payload,
    prevHash: row.prev_hash,
  });
  if (hash !== row.hash) return { seq: row.seq, reason: 'its content does not match its hash (the event was edited)' };
  return undefined;
}
