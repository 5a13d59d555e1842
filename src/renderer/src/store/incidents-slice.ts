import type { IncidentsSlice } from './state/incidents';
import type { StateCreator } from 'zustand';
import type { IncidentView } from '../../../shared/incident';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar, request } from './request';
import type { AppState } from './app-state';

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => {
  const show = noticeBar(get);
  const loadTimeline = async (incident: IncidentView | null) => {
    const [timeline, incidents, timelineIntegrity, timelinePending] = await Promise.all([
      incident
        ? transport().invoke('incidents.events', { id: incident.id, afterSeq: 0, limit: 10_000 })
        : Promise.resolve([]),
      transport().invoke('incidents.list', {}),
      incident ? transport().invoke('incidents.verify', { id: incident.id }) : Promise.resolve(null),
      incident ? transport().invoke('incidents.pending', { id: incident.id }) : Promise.resolve(null),
    ]);
    // Events pushed while this load was in flight (another responder's, live) are kept, not overwritten.
    const newer = get().timeline.filter((e) => e.incidentId === incident?.id && e.seq > (timeline.at(-1)?.seq ?? 0));
    set({ activeIncident: incident, timeline: [...timeline, ...newer], incidents, timelineIntegrity, timelinePending });
  };
  const loadPending = async (id: string) => {
    await attempt(show, async () => {
      set({ timelinePending: await transport().invoke('incidents.pending', { id }) });
    });
  };
  return {
    activeIncident: null,
    incidents: [],
    timeline: [],
    timelineIntegrity: null,
    timelinePending: null,
    async receivedReportVerified(text, expectedKey) {
      try {
        return await transport().invoke('incidents.verifyReport', {
          text,
          expectedKey: expectedKey?.trim() || undefined,
        });
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async incidentActivated(id) {
      await attempt(show, async () => {
        await loadTimeline(await transport().invoke('incidents.activate', { id }));
      });
    },
    async incidentsRequested() {
      await attempt(show, async () => {
        await loadTimeline(await transport().invoke('incidents.active', {}));
      });
    },
    async incidentStarted(input) {
      try {
        await loadTimeline(
          await transport().invoke('incidents.start', {
            ...input,
            profiles: get().selectedProfileId ? [get().selectedProfileId!] : [],
          }),
        );
        return undefined;
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async incidentPromoted(input) {
      const active = get().activeIncident;
      if (!active) return 'No session to promote.';
      try {
        set({ activeIncident: await transport().invoke('incidents.promote', { id: active.id, ...input }) });
        return undefined;
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async proposalDismissed(incidentId, proposalId) {
      await request(show, 'assistants.dismissProposal', { incidentId, proposalId });
    },
    async proposalRunStarted(incidentId, proposalId) {
      return (await request(show, 'assistants.runProposal', { incidentId, proposalId })) !== undefined;
    },
    incidentEventReceived(event) {
      const { activeIncident, timeline } = get();
      if (activeIncident?.id === event.incidentId) {
        // A deferred event (no seq yet) waits in the journal; one appended from it ends that wait.
        if (event.deferred || get().timelinePending?.total) void loadPending(event.incidentId);
        if (!event.deferred && !timeline.some((e) => e.seq === event.seq)) set({ timeline: [...timeline, event] });
      } else {
        // The first action outside an incident opened a session: show it.
        void get().incidentsRequested();
      }
    },
    async noteAdded(text, happenedAt) {
      try {
        const id = get().activeIncident?.id;
        const event = await (happenedAt
          ? transport().invoke('incidents.noteAt', { id, text, happenedAt })
          : transport().invoke('incidents.note', { id, text }));
        if (!get().activeIncident) await get().incidentsRequested();
        else if (event.deferred) await loadPending(event.incidentId);
        return true;
      } catch (error) {
        show(noticeFrom(error));
        return false;
      }
    },
    async incidentStatusChosen(status) {
      const active = get().activeIncident;
      if (!active) return;
      await attempt(show, async () => {
        set({ activeIncident: await transport().invoke('incidents.status', { id: active.id, status }) });
      });
    },
    async reportFieldsSaved(fields) {
      const active = get().activeIncident;
      if (!active) return 'No incident is open.';
      try {
        set({ activeIncident: await transport().invoke('incidents.updateReport', { id: active.id, fields }) });
        return undefined;
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async incidentExported(format, options = {}) {
      const active = get().activeIncident;
      const info = get().info;
      if (!active || !info) return undefined;
      try {
        // The main process says where: the system dialog (which confirms any replacement) in the
        // desktop app, a new file in the data folder's exports/ in the browser host.
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const name = `incident-${active.id.slice(0, 8)}${options.starred ? '-starred' : ''}-${stamp}.${format}`;
        const { path, saveToken } = await transport().invoke('app.chooseSavePath', {
          title: `Export the incident report (${format.toUpperCase()})`,
          defaultName: name,
          filters: [{ name: format.toUpperCase(), extensions: [format] }],
        });
        if (path === null || !saveToken) return undefined;
        const result = await transport().invoke('incidents.export', {
          id: active.id,
          format,
          saveToken,
          attachments: 'beside',
          foldReads: false,
          starred: options.starred ?? false,
        });
        get().noticeShown({ kind: 'info', message: `Exported ${format.toUpperCase()} to ${result.path ?? path}` });
        return { path: result.path ?? path };
      } catch (error) {
        show(noticeFrom(error));
        return undefined;
      }
    },
  };
};
