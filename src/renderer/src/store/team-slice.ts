import type { TeamSlice } from './state/team';
import type { StateCreator } from 'zustand';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar, request } from './request';
import type { AppState } from './app-state';

export const createTeamSlice: StateCreator<AppState, [], [], TeamSlice> = (set, get) => ({
  teamStatus: null,
  teamIncidents: [],
  teamPresence: [],
  async teamRequested() {
    try {
      const teamStatus = await transport().invoke('team.status', {});
      const active = get().activeIncident;
      const [teamIncidents, teamPresence] = teamStatus.reachable
        ? await Promise.all([
            transport().invoke('team.incidents', {}),
            active ? transport().invoke('team.presence', { incidentId: active.id }) : Promise.resolve([]),
          ])
        : [[], []];
      set({ teamStatus, teamIncidents, teamPresence });
    } catch {
      // Team mode is optional: a failure here never interrupts the incident.
    }
  },
  async teamIncidentJoined(id) {
    await attempt(noticeBar(get), async () => {
      await transport().invoke('team.join', { id });
      await get().incidentsRequested();
      await get().teamRequested();
    });
  },
  async teamConnected(input) {
    try {
      set({ teamStatus: await transport().invoke('team.connect', input) });
      await get().teamRequested();
      return undefined;
    } catch (error) {
      return noticeFrom(error).message;
    }
  },
  async teamDisconnected() {
    if (await request(noticeBar(get), 'team.disconnect', {})) await get().teamRequested();
  },
  teamStateChanged() {
    void get().teamRequested();
    // Own events just shipped: reload so their "not yet shared" marks go.
    if (get().activeIncident) void get().incidentsRequested();
  },
});
