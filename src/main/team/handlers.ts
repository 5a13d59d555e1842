import type { Handlers } from '../../shared/contract';
import type { Incidents } from '../incidents/index';
import type { Team } from './index';

type TeamHandlers = Pick<Handlers, Extract<keyof Handlers, `team.${string}`> | 'incidents.events' | 'incidents.verify'>;

/** The team.* operations, and the incident reads that show the shared side (order, origin, the shared chain). */
export function teamHandlers(team: Team, { service }: Incidents): TeamHandlers {
  return {
    'team.connect': async (input) => {
      const status = await team.service.connect(input);
      await team.restartLive();
      return status;
    },
    'team.status': async () => team.service.status(),
    'team.disconnect': async () => {
      const result = team.service.disconnect();
      await team.restartLive();
      return result;
    },
    'team.sync': async ({ incidentId }) => team.service.sync(incidentId),
    'team.incidents': async () => team.service.teamIncidents(),
    'team.presence': async ({ incidentId }) => (team.live ? team.live.presence(incidentId) : []),
    'team.incidentState': async ({ id }) => {
      const shared = team.store.shared(id);
      return {
        shared: shared !== undefined,
        lastSyncedAt: shared?.lastSyncedAt ?? null,
        unshared: shared ? team.store.unsharedSeqs(id).size : 0,
      };
    },
    'team.join': async ({ id }) => team.service.join(id),
    // Replace the plain incidents handlers: a shared incident's events carry their shared order, and verify checks both chains.
    'incidents.events': async ({ id, afterSeq, limit }) =>
      team.service.decorate(id, service.events(id, afterSeq, limit)),
    'incidents.verify': async ({ id }) => {
      const local = service.verify(id);
      const shared = await team.service.verifyShared(id);
      return shared ? { ...local, ok: local.ok && (shared.ok || !shared.checked), shared } : local;
    },
  };
}
