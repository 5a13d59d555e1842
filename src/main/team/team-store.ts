import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store/database';
import type { EventRow } from '../incidents/incident-repository';
import type { Vault } from '../vault/vault';
import { OpsError, describeZodError } from '../errors';
import { pgSslModes } from '../../shared/profile';

/** Where the team database is: a connection URL (TLS by sslmode) or a profile's Postgres (through its SSH). */
export const teamConfigSchema = z.discriminatedUnion('via', [
  z
    .object({
      via: z.literal('url'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      database: z.string().min(1).max(63),
      user: z.string().min(1).max(63),
      sslmode: z.enum(pgSslModes),
      sslCa: z.string().optional(),
      displayName: z.string().max(200),
    })
    .strict(),
  z
    .object({
      via: z.literal('profile'),
      profileId: z.string().min(1),
      database: z.string().max(63).optional(),
      displayName: z.string().max(200),
    })
    .strict(),
]);
export type TeamConfig = z.infer<typeof teamConfigSchema>;

/** A timeline row waiting in the outbox, as stored (payload: the canonical JSON its hash covers). */
export type OutboxRow = Omit<EventRow, 'mono_ms' | 'process_run'>;

const passwordContext = 'team:password';

/** The team tables of the local store (migration 011) through named operations. */
export class TeamStore {
  private readonly statements;

  constructor(
    readonly db: Db,
    private readonly vault: Vault,
  ) {
    this.statements = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM team_state WHERE key = ?'),
      set: db.prepare(
        'INSERT INTO team_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      remove: db.prepare('DELETE FROM team_state WHERE key = ?'),
      share: db.prepare('INSERT INTO team_incidents (incident_id) VALUES (?) ON CONFLICT DO NOTHING'),
      shared: db.prepare<[string], { fetched_through: number; last_synced_at: string | null }>(
        'SELECT fetched_through, last_synced_at FROM team_incidents WHERE incident_id = ?',
      ),
      sharedIds: db.prepare<[], { incident_id: string }>('SELECT incident_id FROM team_incidents'),
      fetched: db.prepare(
        'UPDATE team_incidents SET fetched_through = max(fetched_through, ?), last_synced_at = ? WHERE incident_id = ?',
      ),
      outbox: db.prepare<[number], OutboxRow>('SELECT * FROM team_outbox ORDER BY incident_id, seq LIMIT ?'),
      outboxCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM team_outbox'),
      unshared: db.prepare<[string], { seq: number }>('SELECT seq FROM team_outbox WHERE incident_id = ?'),
      mapped: db.prepare<[string], { incident_id: string; local_seq: number }>(
        'SELECT incident_id, local_seq FROM team_events WHERE event_id = ?',
      ),
      mapOf: db.prepare<[string], { local_seq: number; origin: 'own' | 'remote'; shared_seq: number }>(
        'SELECT local_seq, origin, shared_seq FROM team_events WHERE incident_id = ?',
      ),
      map: db.prepare(
        'INSERT INTO team_events (incident_id, local_seq, event_id, origin, shared_seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  /** This installation's id in event ids: made once, kept across disconnects so ids stay stable. */
  responderId(): string {
    const found = this.statements.get.get('responder')?.value;
    if (found) return found;
    const id = randomUUID();
    this.statements.set.run('responder', id);
    return id;
  }

  config(): TeamConfig | undefined {
    const raw = this.statements.get.get('config')?.value;
    if (!raw) return undefined;
    const parsed = teamConfigSchema.safeParse(JSON.parse(raw));
    if (!parsed.success)
      throw new OpsError(
        'invalid_input',
        `The stored team configuration is unreadable (${describeZodError(parsed.error, 'team')}): run "opsconsole team connect" again.`,
      );
    return parsed.data;
  }

  /** Stores the configuration and the password sealed by the vault (never plaintext), in one transaction. */
  saveConfig(config: TeamConfig, password: string | undefined): void {
    this.db.transaction(() => {
      this.statements.set.run('config', JSON.stringify(config));
      if (password === undefined) this.statements.remove.run('password');
      else this.statements.set.run('password', this.vault.seal(password, passwordContext).toString('base64'));
    })();
  }

  password(): string | undefined {
    const sealed = this.statements.get.get('password')?.value;
    return sealed === undefined ? undefined : this.vault.open(Buffer.from(sealed, 'base64'), passwordContext);
  }

  /** Forgets the team database (config and password); shared incidents stay local, their outbox kept for a reconnect. */
  forget(): void {
    this.db.transaction(() => {
      for (const key of ['config', 'password', 'last_shipped_at']) this.statements.remove.run(key);
    })();
  }

  lastShippedAt(): string | null {
    return this.statements.get.get('last_shipped_at')?.value ?? null;
  }

  noteShipped(at: string): void {
    this.statements.set.run('last_shipped_at', at);
  }

  share(incidentId: string): void {
    this.statements.share.run(incidentId);
  }

  shared(incidentId: string): { fetchedThrough: number; lastSyncedAt: string | null } | undefined {
    const row = this.statements.shared.get(incidentId);
    return row && { fetchedThrough: row.fetched_through, lastSyncedAt: row.last_synced_at };
  }

  sharedIds(): string[] {
    return this.statements.sharedIds.all().map((r) => r.incident_id);
  }

  noteFetched(incidentId: string, through: number, at: string): void {
    this.statements.fetched.run(through, at, incidentId);
  }

  outbox(limit: number): OutboxRow[] {
    return this.statements.outbox.all(limit);
  }

  outboxCount(): number {
    return this.statements.outboxCount.get()!.n;
  }

  /** Local sequence numbers of this incident's events not yet in the shared timeline. */
  unsharedSeqs(incidentId: string): Set<number> {
    return new Set(this.statements.unshared.all(incidentId).map((r) => r.seq));
  }

  isMapped(eventId: string): boolean {
    return this.statements.mapped.get(eventId) !== undefined;
  }

  /** Notes that a local event is in the shared timeline at `sharedSeq`. */
  map(incidentId: string, localSeq: number, eventId: string, origin: 'own' | 'remote', sharedSeq: number): void {
    this.statements.map.run(incidentId, localSeq, eventId, origin, sharedSeq);
  }

  /** Local seq → its place in the shared timeline, for one incident. */
  mapOf(incidentId: string): Map<number, { origin: 'own' | 'remote'; sharedSeq: number }> {
    return new Map(
      this.statements.mapOf.all(incidentId).map((r) => [r.local_seq, { origin: r.origin, sharedSeq: r.shared_seq }]),
    );
  }
}
