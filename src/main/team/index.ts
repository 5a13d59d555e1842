import type { EventName, PayloadOf } from '../../shared/contract';
import type { Db } from '../store/database';
import type { Incidents } from '../incidents/index';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import type { ProfileRepository } from '../store/profile-repository';
import type { Vault } from '../vault/vault';
import { TeamLive } from './team-live';
import { TeamService } from './team-service';
import { TeamStore } from './team-store';

export interface TeamDeps {
  db: Db;
  vault: Vault;
  incidents: Incidents;
  profiles: ProfileRepository;
  pgConnections: PgConnectionRegistry;
  now: () => Date;
  /** The app: a continuous link (LISTEN, ship at once, presence). The CLI: ship after a command that appended. */
  live: boolean;
  /** The live link's presence beat; TeamLive's default when unset. */
  heartbeatMs?: number;
  emit: <E extends EventName>(name: E, payload: PayloadOf<E>) => void;
  warn: (message: string) => void;
}

export interface Team {
  store: TeamStore;
  service: TeamService;
  live: TeamLive | undefined;
  /** Whether the team database is reached through this profile. */
  isTeamProfile(profileId: string): boolean;
  /** Restarts the live link after a connect or disconnect. */
  restartLive(): Promise<void>;
  /** The CLI's last step: when this process appended to a shared incident, ships it (at most `flushMs`). */
  dispose(flushMs?: number): Promise<void>;
}

/** Wires team mode: the local team tables, the service, and (in the app) the live link. */
export function createTeam(deps: TeamDeps): Team {
  const store = new TeamStore(deps.db, deps.vault);
  const service = new TeamService({
    store,
    incidents: deps.incidents,
    profiles: deps.profiles,
    pgConnections: deps.pgConnections,
    now: deps.now,
    warn: deps.warn,
  });
  const makeLive = () =>
    new TeamLive({
      service,
      store,
      pgConnections: deps.pgConnections,
      activeIncident: () => deps.incidents.recorder.activeIncidentId(),
      onState: (state) => deps.emit('onTeamState', state),
      heartbeatMs: deps.heartbeatMs,
    });
  let live = deps.live ? makeLive() : undefined;
  live?.start();
  let appended = false;
  // The one hook after a local append is acknowledged: share new incidents, ship (the outbox is the timeline itself).
  deps.incidents.recorder.onEvent((event) => {
    if (event.deferred) return;
    service.noteLocalEvent(event);
    if (store.shared(event.incidentId)) appended = true;
    live?.onLocalEvent(event);
  });
  return {
    store,
    service,
    get live() {
      return live;
    },
    isTeamProfile(profileId) {
      if (!deps.db.open) return false;
      const config = store.config();
      return config?.via === 'profile' && config.profileId === profileId;
    },
    async restartLive() {
      if (!deps.live) return;
      await live?.dispose();
      live = makeLive();
      live.start();
    },
    async dispose(flushMs = 2_000) {
      await live?.dispose();
      if (!deps.live && appended && service.configured && store.outboxCount() > 0) {
        // Waits a couple of seconds at most: what is not shipped stays in the outbox for the next command, the app or `team sync`.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, flushMs)));
        await Promise.race([service.sync(undefined, flushMs).catch(() => undefined), late]);
        clearTimeout(timer);
      }
    },
  };
}
