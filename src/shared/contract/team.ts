import { z } from 'zod';
import { event, operation } from './define';
import type { IncidentRecord, IncidentView } from '../incident';

/** What `team status --json` answers (exactly these fields; `reason` only when unreachable). */
export interface TeamStatus {
  configured: boolean;
  reachable: boolean;
  schemaVersion: number | null;
  /** Local events of shared incidents not yet acknowledged by the team database. */
  outbox: number;
  lastShippedAt: string | null;
  reason?: string;
}

export interface TeamSyncResult {
  shipped: number;
  /** Other responders' events brought into the local timelines. */
  fetched: number;
  outbox: number;
  lastShippedAt: string | null;
}

/** An incident in the team database, shown beside the local ones. */
export interface TeamIncident extends Pick<
  IncidentRecord,
  'id' | 'kind' | 'title' | 'severity' | 'status' | 'commander' | 'createdAt'
> {
  sharedEvents: number;
  /** Whether it is in this installation's local store. */
  joined: boolean;
}

/** Who has the incident open, from heartbeats (seen in the last 30 s). */
export interface TeamPresence {
  responder: string;
  displayName: string;
  osUser: string;
  seenAt: string;
  self: boolean;
}

const incidentId = z.string().min(1, 'is empty: name an incident by its id').max(64);

export const teamConnectInputSchema = z
  .object({
    url: z.string().min(1).max(2000).optional(),
    profile: z.string().min(1).max(200).optional(),
    pgDatabase: z.string().min(1).max(63).optional(),
    sslCa: z.string().min(1).max(4096).optional(),
    displayName: z.string().trim().min(1).max(200).optional(),
    /** Sealed by the vault before it is stored; for --url only (a profile uses its own secret). */
    password: z.string().max(1000).optional(),
    /** The profile's name, typed: creating the team schema on a profile is a write. */
    confirm: z.string().max(200).optional(),
  })
  .strict()
  .refine((v) => (v.url === undefined) !== (v.profile === undefined), {
    message: 'name the team database with exactly one of --url or --profile',
  })
  .refine((v) => !v.pgDatabase || v.profile, {
    message: '--pg-database goes with --profile (a --url names its database)',
    path: ['pgDatabase'],
  })
  .refine((v) => !v.sslCa || v.url, {
    message: '--ssl-ca goes with --url (a profile has its own CA setting)',
    path: ['sslCa'],
  });
export type TeamConnectInput = z.output<typeof teamConnectInputSchema>;

export const teamOperations = {
  /** Connect to the team database: creates or migrates its schema (on a profile: a confirmed write). */
  'team.connect': operation<TeamStatus>()(teamConnectInputSchema, 'Connect to the team database'),
  /** Configured, reachable, schema version, outbox size, last shipment. */
  'team.status': operation<TeamStatus>()(z.object({}).strict(), 'Team database status'),
  /** Forget the team database (local incidents and their outbox stay). */
  'team.disconnect': operation<{ disconnected: boolean }>()(z.object({}).strict(), 'Forget the team database'),
  /** Ship the outbox, then fetch what others shared. */
  'team.sync': operation<TeamSyncResult>()(
    z.object({ incidentId: incidentId.optional() }).strict(),
    'Sync with the team database',
  ),
  /** The team's shared incidents. */
  'team.incidents': operation<TeamIncident[]>()(z.object({}).strict(), 'List the team database incidents'),
  /** Whether an incident is shared, when it last synced and how many of its events wait in the outbox (local only: never waits on the team database). */
  'team.incidentState': operation<{ shared: boolean; lastSyncedAt: string | null; unshared: number }>()(
    z.object({ id: incidentId }).strict(),
    'Team state of an incident',
  ),
  /** Who has the incident open. */
  'team.presence': operation<TeamPresence[]>()(z.object({ incidentId }).strict(), 'Who has the incident open'),
  /** Fetch a shared incident into the local store and make it active. */
  'team.join': operation<IncidentView>()(z.object({ id: incidentId }).strict(), 'Join a shared incident'),
};

export const teamEvents = {
  /** The team connection changed (reachable or not, outbox size): the UI refreshes its badge. */
  onTeamState: event<{ reachable: boolean; outbox: number }>('The team database connection changed'),
};
