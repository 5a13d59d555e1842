import type { RunbookStepPin } from '../../shared/incident';
import { randomUUID } from 'node:crypto';
import { neutralizeCell } from '../../shared/csv-formula';
import {
  reportFieldsSchema,
  type ChainVerification,
  type IncidentEvent,
  type IncidentStatus,
  type IncidentView,
  type ProfileMention,
  type ReportFields,
  type Severity,
} from '../../shared/incident';
import { OpsError } from '../errors';
import { verifyChain } from './chain';
import { sha256Hex } from './canonical';
import type { IncidentRecord, IncidentRepository } from './incident-repository';
import type { IncidentRecorder } from './recorder';
import { redactStrings } from '../redaction';

export interface IncidentServiceDeps {
  repository: IncidentRepository;
  recorder: IncidentRecorder;
  /** Resolves a profile named by id or by name; throws not_found otherwise. */
  resolveProfile(ref: string): ProfileMention;
  now?: () => Date;
  /** Ids of incidents and attachments; random UUIDs by default. */
  newId?: () => string;
}

export interface StartInput {
  title: string;
  severity: Severity;
  profiles?: string[];
  commander?: string | null;
}

export interface IncidentChanges {
  title?: string;
  severity?: Severity;
  commander?: string | null;
  profiles?: string[];
}

export interface RunbookStepInput {
  runbook: string;
  step: string;
  parameters: { name: string; value: unknown; secret: boolean; origin?: string }[];
  outcome: 'ok' | 'error' | 'refused' | 'cancelled' | 'timeout';
  durationMs?: number;
  profileId?: string;
  /** The source, commit and step hash the step ran from (git-sources pins it). */
  pin?: RunbookStepPin;
  exitStatus?: number;
  output?: string;
  terminal?: string;
}

const statusOrder: Record<IncidentStatus, number> = { investigating: 0, identified: 1, mitigated: 2, resolved: 3 };

/** Incidents and sessions: start, promote, status, report fields, notes, attachments, verification. */
export class IncidentService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: IncidentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  start(raw: StartInput): IncidentView {
    const input = redactStrings(raw, this.redactText.bind(this));
    const id = this.newId();
    this.deps.recorder.open({
      id,
      kind: 'incident',
      title: input.title,
      severity: input.severity,
      status: 'investigating',
      commander: input.commander ?? this.deps.recorder.operator,
      profiles: this.resolveProfiles(input.profiles ?? []),
      report: reportFieldsSchema.parse({}),
    });
    return this.get(id);
  }

  list(): IncidentView[] {
    const active = this.deps.recorder.activeIncidentId();
    return this.deps.repository.list().map((r) => this.toView(r, active));
  }

  get(id: string): IncidentView {
    return this.toView(this.record(id), this.deps.recorder.activeIncidentId());
  }

  /** The incident new actions go into, or null when the next action will open a session. */
  active(): IncidentView | null {
    const id = this.deps.recorder.activeIncidentId();
    const record = id ? this.deps.repository.get(id) : undefined;
    return record && record.status !== 'resolved' ? this.toView(record, id) : null;
  }

  activate(id: string): IncidentView {
    const record = this.record(id);
    if (record.status === 'resolved')
      throw new OpsError(
        'conflict',
        `Incident "${record.title}" is resolved: reopen it by setting its status back (e.g. to mitigated) first.`,
      );
    this.deps.recorder.setActive(id);
    return this.get(id);
  }

  events(id: string, afterSeq = 0, limit = 1000): IncidentEvent[] {
    this.record(id);
    return this.deps.repository.eventsAfter(id, afterSeq, limit);
  }

  /** A note typed by the operator; without an id it goes to the active incident (opening a session if none). */
  note(id: string | undefined, text: string): IncidentEvent {
    if (id) this.record(id);
    return this.deps.recorder.record('note', { text }, { incidentId: id });
  }

  /** A runbook step the panel ran; secret parameter values are recorded as [redacted]. */
  recordStep(id: string | undefined, step: RunbookStepInput): IncidentEvent {
    if (id) this.record(id);
    const { profileId, ...rest } = step;
    const profile = profileId ? { profileId, profileName: this.profileName(profileId) } : {};
    return this.deps.recorder.record('runbook.step', { ...rest, ...profile }, { incidentId: id });
  }

  /** A checklist item ticked or unticked in a runbook. */
  tickChecklist(id: string | undefined, tick: { runbook: string; item: string; checked: boolean }): IncidentEvent {
    if (id) this.record(id);
    return this.deps.recorder.record('checklist.tick', tick, { incidentId: id });
  }

  setStatus(id: string, status: IncidentStatus): IncidentView {
    const record = this.record(id);
    if (record.status === status) throw new OpsError('conflict', `Incident "${record.title}" is already ${status}.`);
    this.deps.recorder.recordWith(id, 'status.changed', { from: record.status, to: status }, () => {
      this.deps.repository.update({ ...record, status }, this.now().toISOString());
      // A resolved incident stops collecting implicit actions; reopening makes it active again.
      if (status === 'resolved' && this.deps.recorder.activeIncidentId() === id)
        this.deps.recorder.setActive(undefined);
      if (statusOrder[status] < statusOrder[record.status] && record.status === 'resolved')
        this.deps.recorder.setActive(id);
    });
    return this.get(id);
  }

  update(id: string, raw: IncidentChanges): IncidentView {
    const changes = redactStrings(raw, this.redactText.bind(this));
    const record = this.record(id);
    const next: IncidentRecord = {
      ...record,
      title: changes.title ?? record.title,
      severity: changes.severity ?? record.severity,
      commander: changes.commander === undefined ? record.commander : changes.commander,
      profiles: changes.profiles ? this.resolveProfiles(changes.profiles) : record.profiles,
    };
    const changed = Object.fromEntries(
      (['title', 'severity', 'commander', 'profiles'] as const)
        .filter((k) => JSON.stringify(next[k]) !== JSON.stringify(record[k]))
        .map((k) => [k, k === 'profiles' ? next.profiles.map((p) => p.name) : next[k]]),
    );
    if (Object.keys(changed).length === 0) return this.get(id);
    this.deps.recorder.recordWith(id, 'incident.updated', { changes: changed }, () =>
      this.deps.repository.update(next, this.now().toISOString()),
    );
    return this.get(id);
  }

  updateReport(id: string, fields: Partial<ReportFields>): IncidentView {
    const record = this.record(id);
    // Report text is free text: a secret pasted into it is scrubbed like any event payload.
    const report = reportFieldsSchema.parse({ ...record.report, ...redactStrings(fields, this.redactText.bind(this)) });
    const changed = Object.keys(fields).filter(
      (k) => JSON.stringify(report[k as keyof ReportFields]) !== JSON.stringify(record.report[k as keyof ReportFields]),
    );
    if (changed.length === 0) return this.get(id);
    this.deps.recorder.recordWith(id, 'report.edited', { fields: changed }, () =>
      this.deps.repository.update({ ...record, report }, this.now().toISOString()),
    );
    return this.get(id);
  }

  /** Turns an unnamed session into an incident; its timeline is kept as is. */
  promote(id: string, raw: StartInput): IncidentView {
    const input = redactStrings(raw, this.redactText.bind(this));
    const record = this.record(id);
    if (record.kind === 'incident')
      throw new OpsError('conflict', `"${record.title}" is already an incident: edit its title or severity instead.`);
    const next: IncidentRecord = {
      ...record,
      kind: 'incident',
      title: input.title,
      severity: input.severity,
      commander: input.commander ?? this.deps.recorder.operator,
      profiles: input.profiles ? this.resolveProfiles(input.profiles) : record.profiles,
    };
    this.deps.recorder.recordWith(id, 'incident.promoted', { title: input.title, severity: input.severity }, () =>
      this.deps.repository.update(next, this.now().toISOString()),
    );
    return this.get(id);
  }

  /** Keeps a file with the incident (rows as CSV, an asciicast) and records it in the timeline. */
  attach(
    id: string | undefined,
    file: { name: string; mediaType: string; content: string; description?: string },
  ): IncidentEvent {
    if (id) this.record(id);
    const content = Buffer.from(this.redactText(file.content), 'utf8');
    const attachmentId = this.newId();
    const sha256 = sha256Hex(content);
    return this.deps.recorder.record(
      'attachment',
      {
        attachmentId,
        name: file.name,
        mediaType: file.mediaType,
        bytes: content.length,
        sha256,
        description: file.description,
      },
      {
        incidentId: id,
        // The blob is stored in the event's own transaction: both are there, or neither.
        alongside: (event) =>
          this.deps.repository.attach({
            id: attachmentId,
            incidentId: event.incidentId,
            name: file.name,
            mediaType: file.mediaType,
            content,
            sha256,
            createdAt: event.at,
          }),
      },
    );
  }

  verify(id: string): ChainVerification {
    this.record(id);
    const {
      needsMarker: _needsMarker,
      marker: _marker,
      ...verification
    } = verifyChain(this.deps.repository, id, this.deps.recorder.anchoredHead(id));
    return verification;
  }

  record(id: string): IncidentRecord {
    const record = this.deps.repository.get(id);
    if (!record)
      throw new OpsError('not_found', `No incident with id ${id}: list them with "opsconsole incident list".`);
    return record;
  }

  private profileName(profileId: string): string {
    try {
      return this.deps.resolveProfile(profileId).name;
    } catch {
      throw new OpsError(
        'invalid_input',
        `profileId "${profileId}" is no profile's id: pick a profile from "opsconsole profiles list".`,
      );
    }
  }

  private redactText(text: string): string {
    return this.deps.recorder.redactText(text);
  }

  private resolveProfiles(refs: string[]): ProfileMention[] {
    const seen = new Map<string, ProfileMention>();
    for (const ref of refs) {
      const profile = this.deps.resolveProfile(ref);
      seen.set(profile.id, profile);
    }
    return [...seen.values()];
  }

  private toView(record: IncidentRecord, activeId: string | undefined): IncidentView {
    const stats = this.deps.repository.stats(record.id);
    return {
      ...record,
      eventCount: stats.count,
      firstEventAt: stats.first,
      lastEventAt: stats.last,
      active: record.id === activeId && record.status !== 'resolved',
    };
  }
}

/** Rows as RFC 4180 CSV (what "attach the result" stores), formula cells neutralised for spreadsheets. */
export function toCsv(columns: string[], rows: unknown[][]): string {
  const cell = (v: unknown) => {
    const s = neutralizeCell(
      v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
    );
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
