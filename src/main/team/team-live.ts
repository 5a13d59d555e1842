import type { IncidentEvent } from '../../shared/incident';
import type { TeamPresence } from '../../shared/contract/team';
import { openTeamClient, type TeamClient } from './team-connection';
import { assertKnownVersion, readSchemaVersion, teamChannel, teamSchema } from './team-schema';
import type { TeamService } from './team-service';
import type { TeamStore } from './team-store';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import { z } from 'zod';

export interface TeamLiveDeps {
  service: TeamService;
  store: TeamStore;
  pgConnections: PgConnectionRegistry;
  /** The incident the operator has open (heartbeats say so to the others). */
  activeIncident: () => string | undefined;
  onState: (state: { reachable: boolean; outbox: number }) => void;
  heartbeatMs?: number;
}

const notificationSchema = z.object({ incidentId: z.string().max(64), eventId: z.string().max(200) });

/**
 * The app's continuous link to the team database: one connection that LISTENs, ships each local
 * event as soon as it is acknowledged, fetches what a NOTIFY announces, beats presence, and
 * reconnects with backoff when the team database goes away (the outbox keeps everything meanwhile).
 */
export class TeamLive {
  private client: TeamClient | undefined;
  private connecting: Promise<void> | undefined;
  private disposed = false;
  private backoffMs = 500;
  private readonly timers: NodeJS.Timeout[] = [];
  private retry: NodeJS.Timeout | undefined;
  private lastState: { reachable: boolean; outbox: number } | undefined;

  constructor(private readonly deps: TeamLiveDeps) {}

  start(): void {
    const beat = this.deps.heartbeatMs ?? 5_000;
    this.timers.push(setInterval(() => void this.heartbeat(), beat).unref());
    // A fallback to NOTIFY: a notification sent while reconnecting is never delivered.
    this.timers.push(setInterval(() => void this.sync(), beat * 3).unref());
    void this.ensure();
  }

  /** A local event was acknowledged: ship it now when connected. */
  onLocalEvent(event: IncidentEvent): void {
    if (!this.deps.store.shared(event.incidentId)) return;
    // Offline: the outbox grew, and the UI marks the event as not yet shared.
    if (!this.client) this.state(false);
    void this.sync();
  }

  /** Who has the incident open: heartbeats from the last 30 s. */
  async presence(incidentId: string): Promise<TeamPresence[]> {
    const self = this.deps.store.responderId();
    await this.heartbeat();
    const run = async (c: TeamClient) =>
      (
        await c.client.query(
          `SELECT responder, display_name, os_user, seen_at::text FROM ${teamSchema}.presence WHERE incident_id = $1 AND seen_at > now() - interval '30 seconds' ORDER BY display_name`,
          [incidentId],
        )
      ).rows;
    const rows = this.client
      ? await this.deps.service.serial(() => run(this.client!))
      : await this.deps.service.withClient(run, 2_000);
    return rows.map((r) => ({
      responder: r.responder,
      displayName: r.display_name,
      osUser: r.os_user,
      seenAt: r.seen_at,
      self: r.responder === self,
    }));
  }

  private async ensure(): Promise<void> {
    if (this.disposed || this.client || !this.deps.service.configured) return;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    try {
      const config = this.deps.store.config()!;
      const client = await openTeamClient({
        config,
        password: this.deps.store.password(),
        pgConnections: this.deps.pgConnections,
        timeoutMs: 5_000,
      });
      assertKnownVersion(await readSchemaVersion(client.client));
      client.client.on('notification', (message) => this.onNotification(message.payload));
      const lost = () => this.lost(client);
      client.client.on('error', lost);
      client.client.on('end', lost);
      await client.client.query(`LISTEN ${teamChannel}`);
      this.client = client;
      this.backoffMs = 500;
      await this.sync();
      void this.heartbeat();
    } catch {
      this.scheduleReconnect();
    }
  }

  private lost(client: TeamClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.close();
    this.state(false);
    this.scheduleReconnect();
  }

  /** Tells the UI when reachability or the outbox size changed (not on every sync). */
  private state(reachable: boolean): void {
    const next = { reachable, outbox: this.deps.store.outboxCount() };
    if (this.lastState?.reachable === next.reachable && this.lastState.outbox === next.outbox) return;
    this.lastState = next;
    this.deps.onState(next);
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.ensure();
    }, this.backoffMs).unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
  }

  private onNotification(payload: string | undefined): void {
    let parsed;
    try {
      parsed = notificationSchema.safeParse(JSON.parse(payload ?? ''));
    } catch {
      return;
    }
    if (parsed.success && this.deps.store.shared(parsed.data.incidentId)) void this.sync(parsed.data.incidentId);
  }

  private async sync(incidentId?: string): Promise<void> {
    if (!this.client) return void this.ensure();
    const client = this.client;
    try {
      await this.deps.service.serial(() => this.deps.service.syncOn(client, incidentId));
      this.state(true);
    } catch {
      this.lost(client);
    }
  }

  private async heartbeat(): Promise<void> {
    const incidentId = this.deps.activeIncident();
    const client = this.client;
    if (!client || !incidentId || !this.deps.store.shared(incidentId)) return;
    const author = this.deps.service.author();
    await this.deps.service
      .serial(() =>
        client.client.query(
          `INSERT INTO ${teamSchema}.presence (incident_id, responder, display_name, os_user) VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, responder) DO UPDATE SET seen_at = now(), display_name = excluded.display_name`,
          [incidentId, this.deps.store.responderId(), author.displayName, author.osUser],
        ),
      )
      .catch(() => this.lost(client));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.retry);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }
}
