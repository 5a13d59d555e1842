import { createHash, hash } from 'node:crypto';

/** The prev_hash of an incident's first event. */
export const genesisHash = '0'.repeat(64);

/**
 * Canonical JSON (RFC 8785 in spirit): object keys sorted, no whitespace, undefined members
 * dropped. Two equal events always serialise to the same bytes, so their hashes match.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  // Plain loops and string concatenation: this runs for every recorded event (the recorder's hot path).
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

/** The fields of an event that its hash covers: everything but the hash itself. */
export interface HashedFields {
  incidentId: string;
  seq: number;
  at: string;
  operator: string;
  kind: string;
  payload: unknown;
  prevHash: string;
}

export function hashEvent(fields: HashedFields): string {
  return hashEventJson(fields, canonicalJson(fields.payload));
}

/**
 * The same hash with the payload already in canonical JSON (the recorder's hot path): the
 * members are written in sorted key order, which is exactly canonicalJson of the whole event.
 */
export function hashEventJson(fields: Omit<HashedFields, 'payload'>, payloadJson: string): string {
  const text = `{"at":${JSON.stringify(fields.at)},"incidentId":${JSON.stringify(fields.incidentId)},"kind":${JSON.stringify(fields.kind)},"operator":${JSON.stringify(fields.operator)},"payload":${payloadJson},"prevHash":${JSON.stringify(fields.prevHash)},"seq":${fields.seq}}`;
  return hash('sha256', text, 'hex');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
