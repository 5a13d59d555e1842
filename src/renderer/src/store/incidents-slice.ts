import type { StateCreator } from 'zustand';
import type { ChainVerification, IncidentEvent, IncidentStatus, IncidentView, ReportFields, Severity } from '../../../shared/incident';
import type { ExportFormat } from '../../../shared/incident';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface IncidentsSlice {
  activeIncident: IncidentView | null;
  /** Every incident and session, newest first (for the palette). */
  incidents: IncidentView[];
  incidentActivated(id: string): Promise<void>;
  /** Timeline of the incident shown in the drawer, in order. */
  timeline: IncidentEvent[];
  /** Its chain, verified when the timeline was loaded: a broken or shortened one is shown in the header. */
  timelineIntegrity: ChainVerification | null;
  incidentsRequested(): Promise<void>;
  incidentStarted(input: { title: string; severity: Severity; commander?: string }): Promise<string | undefined>;
  incidentPromoted(input: { title: string; severity: Severity }): Promise<string | undefined>;
  incidentEventReceived(event: IncidentEvent): void;
  /** `happenedAt`: when it happened, if earlier than now (the recorded time stays too). */
  noteAdded(text: string, happenedAt?: string): Promise<boolean>;
  incidentStatusChosen(status: IncidentStatus): Promise<void>;
  reportFieldsSaved(fields: Partial<ReportFields>): Promise<string | undefined>;
  /** Exports the active incident; resolves to where it went (or the text, for a download). */
  incidentExported(format: ExportFormat, options?: { starred?: boolean }): Promise<{ path?: string; content?: string } | undefined>;
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => {
  const fail = (error: unknown) => {
    get().noticeShown(noticeFrom(error));
    return undefined;
  };
  const loadTimeline = async (incident: IncidentView | null) => {
    const [timeline, incidents, timelineIntegrity] = await Promise.all([
      incident ? transport().invoke('incidents.events', { id: incident.id, afterSeq: 0, limit: 10_000 }) : Promise.resolve([]),
      transport().invoke('incidents.list', {}),
      incident ? transport().invoke('incidents.verify', { id: incident.id }) : Promise.resolve(null),
    ]);
    set({ activeIncident: incident, timeline, incidents, timelineIntegrity });
  };
  return {
    activeIncident: null,
    incidents: [],
    timeline: [],
    timelineIntegrity: null,
    async incidentActivated(id) {
      try {
        await loadTimeline(await transport().invoke('incidents.activate', { id }));
      } catch (error) {
        fail(error);
      }
    },
    async incidentsRequested() {
      try {
        await loadTimeline(await transport().invoke('incidents.active', {}));
      } catch (error) {
        fail(error);
      }
    },
    async incidentStarted(input) {
      try {
        await loadTimeline(await transport().invoke('incidents.start', { ...input, profiles: get().selectedProfileId ? [get().selectedProfileId!] : [] }));
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
    incidentEventReceived(event) {
      const { activeIncident, timeline } = get();
      if (activeIncident?.id === event.incidentId) {
        if (!timeline.some((e) => e.seq === event.seq)) set({ timeline: [...timeline, event] });
      } else {
        // The first action outside an incident opened a session: show it.
        void get().incidentsRequested();
      }
    },
    async noteAdded(text, happenedAt) {
      try {
        const id = get().activeIncident?.id;
        await (happenedAt ? transport().invoke('incidents.noteAt', { id, text, happenedAt }) : transport().invoke('incidents.note', { id, text }));
        if (!get().activeIncident) await get().incidentsRequested();
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    },
    async incidentStatusChosen(status) {
      const active = get().activeIncident;
      if (!active) return;
      try {
        set({ activeIncident: await transport().invoke('incidents.status', { id: active.id, status }) });
      } catch (error) {
        fail(error);
      }
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
        const { path, saveToken } = await transport().invoke('app.chooseSavePath', { title: `Export the incident report (${format.toUpperCase()})`, defaultName: name, filters: [{ name: format.toUpperCase(), extensions: [format] }] });
        if (path === null || !saveToken) return undefined;
        const result = await transport().invoke('incidents.export', { id: active.id, format, saveToken, attachments: 'beside', foldReads: false, starred: options.starred ?? false });
        get().noticeShown({ kind: 'info', message: `Exported ${format.toUpperCase()} to ${result.path ?? path}` });
        return { path: result.path ?? path };
      } catch (error) {
        return fail(error);
      }
    },
  };
};
