import type { ChainVerification } from '../../shared/incident';
import { canonicalJson, genesisHash, hashEvent } from './canonical';
import type { Head } from './head-anchor';
import type { IncidentRepository } from './incident-repository';

/**
 * Recomputes every hash of an incident's timeline from the stored rows: an edited field,
 * a removed or reordered row, or an event moved from another incident breaks the chain. Removing
 * the newest events leaves a shorter chain that is valid in itself: the head anchored outside the
 * store (`anchored`) catches that, and a replaced database whose event differs at the anchored seq.
 */
export function verifyChain(repository: IncidentRepository, incidentId: string, anchored?: Head): ChainVerification {
  const walked = walkChain(repository, incidentId, anchored?.seq);
  if (!walked.ok || !anchored) return walked.result;
  const { result, hashAtAnchor } = walked;
  if (result.events < anchored.seq) {
    const from = result.events + 1;
    const missing = from === anchored.seq ? `event ${from} is missing` : `events ${from} to ${anchored.seq} are missing`;
    return { ...result, ok: false, missingFrom: from, brokenAt: { seq: from, reason: `${missing}: ${anchored.seq} were recorded, the store holds ${result.events} (a truncated or rolled-back WAL, or a database file restored or replaced)` } };
  }
  if (hashAtAnchor !== anchored.hash) {
    return { ...result, ok: false, brokenAt: { seq: anchored.seq, reason: `it is not the event that was recorded with this number (its hash differs from the anchored head): the database was replaced or rewritten` } };
  }
  return result;
}

type Walked = { ok: false; result: ChainVerification } | { ok: true; result: ChainVerification; hashAtAnchor?: string };

function walkChain(repository: IncidentRepository, incidentId: string, anchorSeq?: number): Walked {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let events = 0;
  let hashAtAnchor: string | undefined;
  const walked = (result: ChainVerification): Walked => (result.ok ? { ok: true, result, hashAtAnchor } : { ok: false, result });
  for (const row of repository.rawEvents(incidentId)) {
    const broken = (reason: string): Walked => walked({ ok: false, events, headHash: prevHash === genesisHash ? null : prevHash, brokenAt: { seq: row.seq, reason } });
    if (row.seq !== expectedSeq) return broken(`event ${expectedSeq} is missing (found ${row.seq} next)`);
    if (row.prev_hash !== prevHash) return broken(`its previous-hash does not match event ${row.seq - 1}`);
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      return broken('its payload is not valid JSON');
    }
    if (canonicalJson(payload) !== row.payload) return broken('its payload is not in canonical form (edited by hand?)');
    const hash = hashEvent({ incidentId: row.incident_id, seq: row.seq, at: row.at, operator: row.operator, kind: row.kind, payload, prevHash: row.prev_hash });
    if (hash !== row.hash) return broken('its content does not match its hash (the event was edited)');
    prevHash = row.hash;
    if (row.seq === anchorSeq) hashAtAnchor = row.hash;
    expectedSeq++;
    events++;
  }
  return walked({ ok: true, events, headHash: events ? prevHash : null });
}
