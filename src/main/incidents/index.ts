import type { IncidentEvent, ProfileMention } from '../../shared/incident';
import type { ReportSigner } from './report-signature';
import { OpsError } from '../errors';
import type { Db } from '../store/database';
import { IncidentExporter } from './incident-exporter';
import { IncidentRepository } from './incident-repository';
import { IncidentService } from './incident-service';
import { ChromiumPdfRenderer, type PdfRenderer } from './pdf-renderer';
import { IncidentRecorder, type Synchronous } from './recorder';
import { operatorTimeZone } from './time-format';

export interface IncidentsDeps {
  db: Db;
  redact: (text: string) => string;
  /** Finds a profile by id or name (for "profiles involved" and event labels). */
  findProfile(ref: string): ProfileMention | undefined;
  /** Who events are recorded as (Settings' operator name, else the OS user name); read on every event. */
  operator: string | (() => string);
  now?: () => Date;
  timeZone?: string;
  /** Electron plugs printToPDF here; headless Chromium otherwise. */
  pdfRenderer?: PdfRenderer;
  /** Overrides the stored synchronous setting (OPSCONSOLE_SYNCHRONOUS=full). */
  synchronous?: Synchronous;
  onEvent?: (event: IncidentEvent) => void;
  /** Signs JSON exports (the installation's sealed Ed25519 key); exports are unsigned without it. */
  signer?: ReportSigner;
  /** Ids of incidents, sessions and attachments (fixed in golden tests); random UUIDs by default. */
  newId?: () => string;
}

export interface Incidents {
  repository: IncidentRepository;
  recorder: IncidentRecorder;
  service: IncidentService;
  exporter: IncidentExporter;
  /** Runs a read-only SQL text and records the run (outcome, rows, duration) whatever happens. */
  trackSqlRead<T extends { rowCount: number; truncated: boolean }>(profileId: string, sql: string, run: () => Promise<T>): Promise<T>;
  /** Records a connection state change (reconnects included) of a profile's session. */
  recordConnectionState(profileId: string, state: string, reason?: string): void;
  dispose(): Promise<void>;
}

/** Wires the incident recorder, service and exporter over the app's SQLite store. */
export function createIncidents(deps: IncidentsDeps): Incidents {
  const repository = new IncidentRepository(deps.db);
  const recorder = new IncidentRecorder({ repository, redact: deps.redact, now: deps.now, operator: typeof deps.operator === 'function' ? deps.operator : () => deps.operator as string, newId: deps.newId });
  if (deps.synchronous) recorder.setSynchronous(deps.synchronous);
  if (deps.onEvent) recorder.onEvent(deps.onEvent);
  const service = new IncidentService({
    repository,
    recorder,
    now: deps.now,
    newId: deps.newId,
    resolveProfile(ref) {
      const found = deps.findProfile(ref);
      if (!found) throw new OpsError('invalid_input', `profiles names "${ref}", which is no profile's id or name: check the name (opsconsole profiles list).`);
      return found;
    },
  });
  let pdf: PdfRenderer | undefined = deps.pdfRenderer;
  const exporter = new IncidentExporter({ service, repository, recorder, timeZone: deps.timeZone ?? operatorTimeZone(), now: deps.now, pdfRenderer: () => (pdf ??= new ChromiumPdfRenderer()), signer: deps.signer });
  const profileName = (profileId: string) => deps.findProfile(profileId)?.name;

  return {
    repository,
    recorder,
    service,
    exporter,
    async trackSqlRead(profileId, sql, run) {
      const started = performance.now();
      const base = { profileId, profileName: profileName(profileId), sql, risk: 'read' as const, readOnly: true };
      try {
        const result = await run();
        recorder.record('sql.run', { ...base, rowCount: result.rowCount, truncated: result.truncated, durationMs: performance.now() - started, outcome: 'ok' });
        return result;
      } catch (error) {
        const code = (error as { code?: string }).code;
        const outcome = code === 'timeout' ? 'timeout' : code === 'cancelled' ? 'cancelled' : code === 'refused' ? 'refused' : 'error';
        recorder.record('sql.run', { ...base, durationMs: performance.now() - started, outcome, error: String((error as Error).message ?? error).slice(0, 5000) });
        throw error;
      }
    },
    recordConnectionState(profileId, state, reason) {
      if (!deps.db.open) return; // the core is shutting down: sessions closing after the store
      recorder.record('connection.state', { profileId, profileName: profileName(profileId), state, reason: reason?.slice(0, 2000) });
    },
    async dispose() {
      await pdf?.dispose?.();
    },
  };
}

export { IncidentRecorder, IncidentService, IncidentExporter, IncidentRepository };
export type { PdfRenderer };
