import type { ChainVerification } from '../../shared/incident';
import { canonicalJson, genesisHash, hashEvent } from './canonical';
import type { IncidentRepository } from './incident-repository';

/**
 * Recomputes every hash of an incident's timeline from the stored rows: an edited field,
 * a removed or reordered row, or an event moved from another incident breaks the chain.
 * (Removing the newest events leaves a shorter valid chain: compare the head hash with one
 * written down elsewhere, e.g. in an exported report, to catch that.)
 */
export function verifyChain(repository: IncidentRepository, incidentId: string): ChainVerification {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let events = 0;
  for (const row of repository.rawEvents(incidentId)) {
    const broken = (reason: string): ChainVerification => ({ ok: false, events, headHash: prevHash === genesisHash ? null : prevHash, brokenAt: { seq: row.seq, reason } });
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
    expectedSeq++;
    events++;
  }
  return { ok: true, events, headHash: events ? prevHash : null };
}
