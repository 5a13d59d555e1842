import { z } from 'zod';
import type { SharedChainVerification } from '../../shared/incident';
import { eventAuthorSchema } from '../../shared/incident';
import { canonicalJson, genesisHash, hashEventJson, sha256Hex } from '../incidents/canonical';

/** One row of the team database's events table, checked at the boundary (another laptop wrote it). */
export const teamEventRowSchema = z
  .object({
    incident_id: z.string().min(1).max(64),
    shared_seq: z.coerce.number().int().min(1),
    event_id: z.string().min(1).max(200),
    responder: z.string().min(1).max(64),
    origin_seq: z.coerce.number().int().min(1),
    at: z.string().max(40),
    operator: z.string().max(200),
    // jsonb arrives as text over a profile's connection (its values are kept raw).
    author: z.preprocess((v) => (typeof v === 'string' ? safeJson(v) : v), eventAuthorSchema),
    kind: z.string().max(100),
    payload: z.string().max(2_000_000),
    prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    shared_prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
    shared_hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .passthrough();
export type TeamEventRow = z.infer<typeof teamEventRowSchema>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The shared chain's link: the server order (seq), the event's id and its origin hash, after the previous link. */
export function sharedHash(link: {
  incidentId: string;
  sharedSeq: number;
  eventId: string;
  hash: string;
  sharedPrevHash: string;
}): string {
  return sha256Hex(canonicalJson(link));
}

/** The origin hash recomputed from what the team database holds: the responder's own chain hash of that event. */
export function originHashOf(row: TeamEventRow): string {
  return hashEventJson(
    {
      incidentId: row.incident_id,
      seq: row.origin_seq,
      at: row.at,
      operator: row.operator,
      kind: row.kind,
      prevHash: row.prev_hash,
    },
    row.payload,
  );
}

/**
 * Checks the shared timeline in server order: consecutive sequence numbers from 1, every link
 * chained to the previous one, every event's content matching the hash its responder gave it,
 * and the head the incident row names (so events cut from the end are caught too).
 */
export function verifySharedChain(rows: TeamEventRow[], head: { seq: number; hash: string }): SharedChainVerification {
  let prev = genesisHash;
  const broken = (sharedSeq: number, reason: string): SharedChainVerification => ({
    checked: true,
    ok: false,
    events: rows.length,
    headHash: rows.at(-1)?.shared_hash ?? null,
    brokenAt: { sharedSeq, reason },
  });
  for (const [index, row] of rows.entries()) {
    if (row.shared_seq !== index + 1)
      return broken(index + 1, `shared event ${index + 1} is missing (found ${row.shared_seq} next)`);
    if (row.shared_prev_hash !== prev)
      return broken(row.shared_seq, 'its previous shared hash does not match the event before it');
    if (originHashOf(row) !== row.hash)
      return broken(
        row.shared_seq,
        `its content does not match the hash ${row.operator} recorded (edited in the team database)`,
      );
    const link = sharedHash({
      incidentId: row.incident_id,
      sharedSeq: row.shared_seq,
      eventId: row.event_id,
      hash: row.hash,
      sharedPrevHash: row.shared_prev_hash,
    });
    if (link !== row.shared_hash) return broken(row.shared_seq, 'its shared hash does not match its content');
    prev = row.shared_hash;
  }
  if (head.seq !== rows.length)
    return broken(rows.length + 1, `the team database names ${head.seq} shared events and holds ${rows.length}`);
  if (rows.length && head.hash !== prev) return broken(rows.length, 'the shared head hash differs from the last event');
  return { checked: true, ok: true, events: rows.length, headHash: rows.length ? prev : null };
}
