import { userInfo } from 'node:os';
import type { EventAuthor, IncidentEvent, IncidentView, SharedChainVerification } from '../../shared/incident';
import type { TeamConnectInput, TeamIncident, TeamStatus, TeamSyncResult } from '../../shared/contract/team';
import { reportFieldsSchema } from '../../shared/incident';
import { OpsError } from '../errors';
import type { Incidents } from '../incidents/index';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import type { ProfileRepository } from '../store/profile-repository';
import { fetchShared, readShared } from './team-fetch';
import { openTeamClient, parseTeamUrl, type TeamClient } from './team-connection';
import { migrateTeamSchema, readSchemaVersion, assertKnownVersion, teamSchema } from './team-schema';
import { eventIdOf, shipOutbox } from './team-ship';
import type { TeamConfig, TeamStore } from './team-store';
import { verifySharedChain } from './shared-chain';

export interface TeamServiceDeps {
  store: TeamStore;
  incidents: Incidents;
  profiles: ProfileRepository;
  pgConnections: PgConnectionRegistry;
  now: () => Date;
  warn: (message: string) => void;
}

/** Team mode: the team database's configuration, shipping, fetching, joining and the shared chain. */
export class TeamService {
  /** One team operation at a time: they share the order of ship-then-fetch. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TeamServiceDeps) {}

  get configured(): boolean {
    return this.deps.store.config() !== undefined;
  }

  author(): EventAuthor {
    return {
      osUser: userInfo().username,
      displayName: this.deps.store.config()?.displayName || this.deps.incidents.recorder.operator,
    };
  }

  /** Checks, creates or migrates the schema (a write: a profile needs its name typed, a read-only one refuses), then keeps the configuration. */
  async connect(input: TeamConnectInput): Promise<TeamStatus> {
    const displayName = input.displayName ?? this.deps.incidents.recorder.operator;
    const config = input.url
      ? parseTeamUrl(input.url, input.sslCa, displayName)
      : this.profileConfig(input, displayName);
    const client = await openTeamClient({
      config,
      password: input.password,
      pgConnections: this.deps.pgConnections,
      timeoutMs: 10_000,
    });
    try {
      await migrateTeamSchema(client.client);
    } finally {
      await client.close();
    }
    this.deps.store.saveConfig(config, input.url ? input.password : undefined);
    this.deps.store.responderId();
    return this.status();
  }

  private profileConfig(input: TeamConnectInput, displayName: string): TeamConfig {
    const profile =
      this.deps.profiles.findByName(input.profile!) ?? this.deps.profiles.list().find((p) => p.id === input.profile);
    if (!profile)
      throw new OpsError(
        'not_found',
        `No profile named "${input.profile}": list them with "opsconsole profiles list".`,
      );
    if (!profile.postgres)
      throw new OpsError(
        'invalid_input',
        `Profile "${profile.name}" has no Postgres settings: the team database is a Postgres.`,
      );
    if (profile.safety === 'read-only')
      throw new OpsError(
        'refused',
        `Profile "${profile.name}" is read-only: creating the team schema is a write. Use a profile that may write, or --url.`,
      );
    if (input.confirm !== profile.name)
      throw new OpsError(
        'refused',
        `Creating or migrating the team schema on "${profile.name}" is a write: repeat the profile's name with --confirm "${profile.name}".`,
      );
    return {
      via: 'profile',
      profileId: profile.id,
      ...(input.pgDatabase ? { database: input.pgDatabase } : {}),
      displayName,
    };
  }

  disconnect(): { disconnected: boolean } {
    const was = this.configured;
    this.deps.store.forget();
    return { disconnected: was };
  }

  /** Configured, reachable (within 2 s), its schema version, the outbox and the last shipment. */
  async status(): Promise<TeamStatus> {
    const base = {
      configured: this.configured,
      outbox: this.deps.store.outboxCount(),
      lastShippedAt: this.deps.store.lastShippedAt(),
    };
    if (!base.configured) return { ...base, reachable: false, schemaVersion: null };
    try {
      // Read without the version check: a newer schema is reported as it is (and refused by every write).
      const version = await this.withClient((c) => readSchemaVersion(c.client), 2_000, false);
      return { ...base, reachable: true, schemaVersion: version };
    } catch (error) {
      return { ...base, reachable: false, schemaVersion: null, reason: (error as Error).message };
    }
  }

  /** Ships the outbox, then fetches what others shared (every shared incident, or one). */
  sync(incidentId?: string, timeoutMs = 10_000): Promise<TeamSyncResult> {
    return this.serial(() => this.withClient((c) => this.syncOn(c, incidentId), timeoutMs));
  }

  /** Ship, then fetch, over a connection already open (the app's live one, or a short-lived one). */
  async syncOn(c: TeamClient, incidentId?: string): Promise<TeamSyncResult> {
    const shipped = await shipOutbox(c.client, this.shipDeps());
    let fetched = 0;
    for (const id of incidentId ? [incidentId] : this.deps.store.sharedIds())
      fetched += await fetchShared(c.client, this.fetchDeps(), id);
    return { shipped, fetched, outbox: this.deps.store.outboxCount(), lastShippedAt: this.deps.store.lastShippedAt() };
  }

  /** Fetches a shared incident into the local store (creating it there) and makes it active. */
  join(id: string): Promise<IncidentView> {
    return this.serial(() =>
      this.withClient(async (c) => {
        const found = await c.client.query(`SELECT * FROM ${teamSchema}.incidents WHERE id = $1`, [id]);
        const row = found.rows[0] as Record<string, string | null> | undefined;
        if (!row)
          throw new OpsError(
            'not_found',
            `The team database has no incident ${id}: check the id (opsconsole incident list shows the team's incidents).`,
          );
        const repository = this.deps.incidents.repository;
        if (!repository.get(id)) {
          repository.insert({
            id,
            kind: row.kind === 'session' ? 'session' : 'incident',
            title: row.title!,
            severity: (row.severity as never) ?? null,
            status: row.status as never,
            commander: row.commander ?? null,
            profiles: [],
            report: reportFieldsSchema.parse({}),
            createdAt: row.created_at!,
            updatedAt: this.deps.now().toISOString(),
          });
        }
        this.deps.store.share(id);
        await shipOutbox(c.client, this.shipDeps());
        await fetchShared(c.client, this.fetchDeps(), id);
        return this.deps.incidents.service.activate(id);
      }, 10_000),
    );
  }

  /** The team's shared incidents (what `incident list` shows beside the local ones). */
  async teamIncidents(timeoutMs = 2_000): Promise<TeamIncident[]> {
    return this.withClient(async (c) => {
      const result = await c.client.query(
        `SELECT id, kind, title, severity, status, commander, created_at, head_seq FROM ${teamSchema}.incidents ORDER BY created_at DESC LIMIT 500`,
      );
      return result.rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        severity: r.severity,
        status: r.status,
        commander: r.commander,
        createdAt: r.created_at,
        sharedEvents: Number(r.head_seq),
        joined: this.deps.store.shared(r.id) !== undefined,
      }));
    }, timeoutMs);
  }

  /** The shared chain over the server's order, and every own acknowledged event found there unchanged. */
  async verifyShared(incidentId: string): Promise<SharedChainVerification | undefined> {
    if (!this.deps.store.shared(incidentId)) return undefined;
    try {
      return await this.withClient(async (c) => {
        const head = await c.client.query<{ head_seq: string; head_hash: string }>(
          `SELECT head_seq, head_hash FROM ${teamSchema}.incidents WHERE id = $1`,
          [incidentId],
        );
        if (!head.rows[0]) return { checked: true, ok: true, events: 0, headHash: null, reason: 'nothing shipped yet' };
        const rows = [];
        let malformed: SharedChainVerification | undefined;
        const onMalformed = (bad: { shared_seq: number }, why: string) =>
          (malformed ??= {
            checked: true,
            ok: false,
            events: rows.length,
            headHash: null,
            brokenAt: { sharedSeq: bad.shared_seq, reason: `it is malformed (${why})` },
          });
        for (
          let page;
          (page = await readShared(c.client, incidentId, rows.at(-1)?.shared_seq ?? 0, 50_000, onMalformed)).length &&
          !malformed;
        )
          rows.push(...page);
        if (malformed) return malformed;
        const result = verifySharedChain(rows, { seq: Number(head.rows[0].head_seq), hash: head.rows[0].head_hash });
        return result.ok ? this.ownEventsPresent(incidentId, rows, result) : result;
      }, 5_000);
    } catch (error) {
      return {
        checked: false,
        ok: false,
        events: 0,
        headHash: null,
        reason: `the team database could not be reached: ${(error as Error).message}`,
      };
    }
  }

  private ownEventsPresent(
    incidentId: string,
    rows: Awaited<ReturnType<typeof readShared>>,
    result: SharedChainVerification,
  ): SharedChainVerification {
    const responder = this.deps.store.responderId();
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    for (const event of this.deps.incidents.repository.eventsAfter(incidentId, 0, 1_000_000)) {
      const id = eventIdOf(responder, incidentId, event.seq);
      const shared = this.deps.store.isMapped(id) ? byId.get(id) : undefined;
      if (this.deps.store.isMapped(id) && shared?.hash !== event.hash) {
        return {
          ...result,
          ok: false,
          brokenAt: {
            sharedSeq: shared?.shared_seq ?? 0,
            reason: `local event ${event.seq}, acknowledged by the team database, is ${shared ? 'different' : 'missing'} there`,
          },
        };
      }
    }
    return result;
  }

  /** Local events with their team fields: origin, shared order, and whether each is shared yet. */
  decorate(incidentId: string, events: IncidentEvent[]): IncidentEvent[] {
    if (!this.deps.store.shared(incidentId)) return events;
    const unshared = this.deps.store.unsharedSeqs(incidentId);
    const map = this.deps.store.mapOf(incidentId);
    return events.map((e) => {
      const m = map.get(e.seq);
      return {
        ...e,
        origin: m?.origin === 'remote' ? 'team' : 'local',
        shared: !unshared.has(e.seq),
        ...(m ? { sharedSeq: m.sharedSeq } : {}),
      };
    });
  }

  /** A local event was acknowledged: a new incident (or a promoted session) is shared when team mode is on. */
  noteLocalEvent(event: IncidentEvent): void {
    if (!this.configured) return;
    const opensIncident = event.kind === 'incident.opened' && (event.payload as { kind?: string }).kind === 'incident';
    if (opensIncident || event.kind === 'incident.promoted') this.deps.store.share(event.incidentId);
  }

  async withClient<T>(work: (client: TeamClient) => Promise<T>, timeoutMs: number, checkVersion = true): Promise<T> {
    const config = this.deps.store.config();
    if (!config)
      throw new OpsError('invalid_input', 'Team mode is not configured: run "opsconsole team connect" first.');
    const client = await openTeamClient({
      config,
      password: this.deps.store.password(),
      pgConnections: this.deps.pgConnections,
      timeoutMs,
    });
    try {
      if (checkVersion) assertKnownVersion(await readSchemaVersion(client.client));
      return await work(client);
    } finally {
      await client.close();
    }
  }

  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  shipDeps() {
    return {
      store: this.deps.store,
      repository: this.deps.incidents.repository,
      responder: this.deps.store.responderId(),
      author: () => this.author(),
      now: this.deps.now,
    };
  }

  fetchDeps() {
    return {
      store: this.deps.store,
      incidents: this.deps.incidents,
      responder: this.deps.store.responderId(),
      now: this.deps.now,
      warn: this.deps.warn,
    };
  }
}
