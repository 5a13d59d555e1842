import { dirname } from 'node:path';
import type { IncidentEvent, ProfileMention } from '../../shared/incident';
import type { ReportSigner } from './report-signature';
import { OpsError } from '../errors';
import type { Db } from '../store/database';
import { IncidentExporter } from './incident-exporter';
import { IncidentRepository } from './incident-repository';
import { IncidentService } from './incident-service';
import { ChromiumPdfRenderer, type PdfRenderer } from './pdf-renderer';
import { IncidentRecorder } from './recorder';
import { HeadAnchor } from './head-anchor';
import { FallbackJournal } from './journal';
import { operatorTimeZone } from './time-format';

export interface IncidentsDeps {
  db: Db;
  redact: (text: string) => string;
  /** Finds a profile by id or name (for "profiles involved" and event labels). */
  findProfile(ref: string): ProfileMention | undefined;
  /** Who events are recorded as (Settings' operator name, else the OS user name); read on every event. */
  operator: string | (() => string);
  now?: () => Date;
  /** The monotonic clock beside `now` (see RecorderDeps.monotonic). */
  monotonic?: () => number;
  timeZone?: string;
  /** Prints the HTML report for the PDFs the writer of its own cannot draw: Electron plugs printToPDF here; headless Chromium otherwise. */
  pdfRenderer?: PdfRenderer;
  onEvent?: (event: IncidentEvent) => void;
  /** See RecorderDeps.onJournalDrained: in place before the drain at start. */
  onJournalDrained?: (events: IncidentEvent[]) => void;
  /** Signs JSON exports (the installation's sealed Ed25519 key); exports are unsigned without it. */
  signer?: ReportSigner;
  /** Ids of incidents, sessions and attachments (fixed in golden tests); random UUIDs by default. */
  newId?: () => string;
}

export interface Incidents {
  repository: IncidentRepository;
  recorder: IncidentRecorder;
  /** The fallback journal beside an on-disk store (none for an in-memory one). */
  journal?: FallbackJournal;
  service: IncidentService;
  exporter: IncidentExporter;
  /** Records a connection state change (reconnects included) of a profile's session. */
  recordConnectionState(profileId: string, state: string, reason?: string): void;
  dispose(): Promise<void>;
}

/** Wires the incident recorder, service and exporter over the app's SQLite store. */
export function createIncidents(deps: IncidentsDeps): Incidents {
  const repository = new IncidentRepository(deps.db);
  // Beside the store: the journal takes what the store cannot, the anchor remembers each chain's head.
  const onDisk = deps.db.name !== ':memory:' && deps.db.name !== '';
  const journal = onDisk ? new FallbackJournal(dirname(deps.db.name)) : undefined;
  const anchor = onDisk ? new HeadAnchor(`${deps.db.name}.heads.json`) : undefined;
  const operator = typeof deps.operator === 'function' ? deps.operator : () => deps.operator as string;
  const recorder = new IncidentRecorder({
    repository,
    redact: deps.redact,
    now: deps.now,
    monotonic: deps.monotonic,
    operator,
    newId: deps.newId,
    journal,
    anchor,
    onJournalDrained: deps.onJournalDrained,
  });
  journal?.ensureReserve();
  // What an earlier process left in the journal joins the timeline now, if the store takes writes.
  if (journal?.hasPending()) recorder.drainJournal();
  if (deps.onEvent) recorder.onEvent(deps.onEvent);
  const service = new IncidentService({
    repository,
    recorder,
    now: deps.now,
    newId: deps.newId,
    resolveProfile(ref) {
      const found = deps.findProfile(ref);
      if (!found)
        throw new OpsError(
          'invalid_input',
          `profiles names "${ref}", which is no profile's id or name: check the name (opsconsole profiles list).`,
        );
      return found;
    },
  });
  let pdf: PdfRenderer | undefined = deps.pdfRenderer;
  const exporter = new IncidentExporter({
    service,
    repository,
    recorder,
    timeZone: deps.timeZone ?? operatorTimeZone(),
    now: deps.now,
    pdfRenderer: () => (pdf ??= new ChromiumPdfRenderer()),
    signer: deps.signer,
  });
  const profileName = (profileId: string) => deps.findProfile(profileId)?.name;

  return {
    repository,
    recorder,
    journal,
    service,
    exporter,
    recordConnectionState(profileId, state, reason) {
      if (!deps.db.open) return; // the core is shutting down: sessions closing after the store
      // Group-committed: a bastion dropping takes every session behind it through reconnecting at
      // once, and their events share one commit. The state is shown live whatever becomes of the
      // record; it fails only when the store and the journal both refuse, which the next action
      // recorded in the foreground reports.
      recorder
        .recordAsync('connection.state', {
          profileId,
          profileName: profileName(profileId),
          state,
          reason: reason?.slice(0, 2000),
        })
        .catch(() => undefined);
    },
    async dispose() {
      recorder.dispose();
      await pdf?.dispose?.();
    },
  };
}

export { IncidentRecorder, IncidentService, IncidentExporter, IncidentRepository };
export type { PdfRenderer };
