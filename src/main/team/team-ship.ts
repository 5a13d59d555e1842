import type pg from 'pg';
import type { EventAuthor } from '../../shared/incident';
import { genesisHash } from '../incidents/canonical';
import type { IncidentRepository } from '../incidents/incident-repository';
import { OpsError } from '../errors';
import { sharedHash } from './shared-chain';
import { teamChannel, teamSchema } from './team-schema';
import type { OutboxRow, TeamStore } from './team-store';

export interface ShipDeps {
  store: TeamStore;
  repository: IncidentRepository;
  responder: string;
  author: () => EventAuthor;
  now: () => Date;
}

/** The stable id of a local event in the shared timeline: who recorded it, where, which number. */
export function eventIdOf(responder: string, incidentId: string, seq: number): string {
  return `${responder}:${incidentId}:${seq}`;
}

/**
 * Ships the outbox, a batch per transaction: the incident row is locked, events already there (a
 * COMMIT whose answer was lost) are recognised by their id, the rest get the next shared numbers
 * and chain links, and one NOTIFY tells the listeners. Acknowledged locally only after COMMIT.
 */
export async function shipOutbox(client: pg.Client, deps: ShipDeps, batch = 2000): Promise<number> {
  let shipped = 0;
  for (let rows; (rows = deps.store.outbox(batch)).length;) {
    const byIncident = new Map<string, OutboxRow[]>();
    for (const row of rows) byIncident.set(row.incident_id, [...(byIncident.get(row.incident_id) ?? []), row]);
    for (const [incidentId, group] of byIncident) shipped += await shipIncident(client, deps, incidentId, group);
    deps.store.noteShipped(deps.now().toISOString());
    if (rows.length < batch) break;
  }
  return shipped;
}

async function shipIncident(client: pg.Client, deps: ShipDeps, incidentId: string, rows: OutboxRow[]): Promise<number> {
  const ids = rows.map((r) => eventIdOf(deps.responder, incidentId, r.seq));
  const acks: { seq: number; eventId: string; sharedSeq: number }[] = [];
  await client.query('BEGIN');
  try {
    const head = await lockIncident(client, deps, incidentId);
    const known = await client.query<{ event_id: string; shared_seq: string }>(
      `SELECT event_id, shared_seq FROM ${teamSchema}.events WHERE event_id = ANY($1::text[])`,
      [ids],
    );
    const already = new Map(known.rows.map((r) => [r.event_id, Number(r.shared_seq)]));
    const fresh: Record<string, unknown[]> = {
      shared_seq: [],
      event_id: [],
      origin_seq: [],
      at: [],
      operator: [],
      kind: [],
      payload: [],
      prev_hash: [],
      hash: [],
      shared_prev_hash: [],
      shared_hash: [],
    };
    let { seq, hash } = head;
    for (const [index, row] of rows.entries()) {
      const eventId = ids[index]!;
      const existing = already.get(eventId);
      if (existing !== undefined) {
        acks.push({ seq: row.seq, eventId, sharedSeq: existing });
        continue;
      }
      const link = { incidentId, sharedSeq: seq + 1, eventId, hash: row.hash, sharedPrevHash: hash };
      const values = {
        shared_seq: seq + 1,
        event_id: eventId,
        origin_seq: row.seq,
        at: row.at,
        operator: row.operator,
        kind: row.kind,
        payload: row.payload,
        prev_hash: row.prev_hash,
        hash: row.hash,
        shared_prev_hash: hash,
        shared_hash: sharedHash(link),
      };
      for (const [key, value] of Object.entries(values)) fresh[key]!.push(value);
      ({ seq, hash } = { seq: seq + 1, hash: values.shared_hash });
      acks.push({ seq: row.seq, eventId, sharedSeq: seq });
    }
    if (fresh.event_id!.length) await insertEvents(client, deps, incidentId, fresh, rows, { seq, hash });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  deps.store.db.transaction(() => {
    for (const ack of acks) deps.store.map(incidentId, ack.seq, ack.eventId, 'own', ack.sharedSeq);
  })();
  return acks.length;
}

/** Creates the shared incident on its first shipment, then locks its row: the shared order is assigned one writer at a time. */
async function lockIncident(
  client: pg.Client,
  deps: ShipDeps,
  incidentId: string,
): Promise<{ seq: number; hash: string }> {
  const record = deps.repository.get(incidentId);
  if (!record) throw new OpsError('not_found', `No incident with id ${incidentId} in the local store.`);
  await client.query(
    `INSERT INTO ${teamSchema}.incidents (id, kind, title, severity, status, commander, created_at, created_by, head_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    [
      record.id,
      record.kind,
      record.title,
      record.severity,
      record.status,
      record.commander,
      record.createdAt,
      JSON.stringify(deps.author()),
      genesisHash,
    ],
  );
  const head = await client.query<{ head_seq: string; head_hash: string }>(
    `SELECT head_seq, head_hash FROM ${teamSchema}.incidents WHERE id = $1 FOR UPDATE`,
    [incidentId],
  );
  return { seq: Number(head.rows[0]!.head_seq), hash: head.rows[0]!.head_hash };
}

async function insertEvents(
  client: pg.Client,
  deps: ShipDeps,
  incidentId: string,
  fresh: Record<string, unknown[]>,
  rows: OutboxRow[],
  head: { seq: number; hash: string },
): Promise<void> {
  await client.query(
    `INSERT INTO ${teamSchema}.events (incident_id, responder, author, shared_seq, event_id, origin_seq, at, operator, kind, payload, prev_hash, hash, shared_prev_hash, shared_hash)
     SELECT $1, $2, $3::jsonb, * FROM unnest($4::bigint[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      incidentId,
      deps.responder,
      JSON.stringify(deps.author()),
      ...[
        'shared_seq',
        'event_id',
        'origin_seq',
        'at',
        'operator',
        'kind',
        'payload',
        'prev_hash',
        'hash',
        'shared_prev_hash',
        'shared_hash',
      ].map((k) => fresh[k]),
    ],
  );
  // The incident row follows the shared order: the last status change shipped is the status.
  const lastStatus = rows.filter((r) => r.kind === 'status.changed').at(-1);
  const status = lastStatus ? (JSON.parse(lastStatus.payload) as { to: string }).to : null;
  await client.query(
    `UPDATE ${teamSchema}.incidents SET head_seq = $2, head_hash = $3, status = coalesce($4, status) WHERE id = $1`,
    [incidentId, head.seq, head.hash, status],
  );
  await client.query('SELECT pg_notify($1, $2)', [
    teamChannel,
    JSON.stringify({ incidentId, eventId: fresh.event_id!.at(-1) }),
  ]);
}
