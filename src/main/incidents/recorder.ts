import { randomUUID } from 'node:crypto';
import {
  eventPayloadSchemas,
  type EventKind,
  type EventPayloadInput,
  type IncidentEvent,
} from '../../shared/incident';
import { describeZodError, OpsError } from '../errors';
import { canonicalJson, genesisHash, hashEvent } from './canonical';
import type { IncidentRecord, IncidentRepository } from './incident-repository';
import { redactPayload, type Redactor } from './redaction';

export type Synchronous = 'normal' | 'full';
export type IncidentEventListener = (event: IncidentEvent) => void;

export interface RecorderDeps {
  repository: IncidentRepository;
  /** Scrubs every secret the vault has opened from a text. */
  redact: Redactor;
  now?: () => Date;
  /** Who events are recorded as: the operator name from Settings, else the OS user name. */
  operator: () => string;
  /** Ids of sessions opened implicitly; random UUIDs by default. */
  newId?: () => string;
}

export interface RecordOptions {
  /** Record into this incident; without it, into the active one (opening a session if none). */
  incidentId?: string;
  /** Runs inside the event's transaction, after the append (e.g. to store an attachment's blob). */
  alongside?: (event: IncidentEvent) => void;
}

/**
 * The append-only timeline. `record` returns only after the event's transaction has committed
 * (WAL; synchronous=NORMAL survives the process being killed, FULL survives power loss), and
 * only then tells listeners: an acknowledged event is never lost. Every event carries the hash
 * of the previous one, so an edited history is detected by `verify`.
 */
export class IncidentRecorder {
  private readonly listeners = new Set<IncidentEventListener>();
  private readonly now: () => Date;

  constructor(private readonly deps: RecorderDeps) {
    this.now = deps.now ?? (() => new Date());
    this.applySynchronous(this.synchronous);
  }

  /** Validates the payload against its kind's schema, redacts secrets, appends and commits. */
  record<K extends EventKind>(kind: K, payload: EventPayloadInput<K>, options: RecordOptions = {}): IncidentEvent {
    const parsed = eventPayloadSchemas[kind].safeParse(payload);
    if (!parsed.success) throw new OpsError('invalid_input', `Event ${kind}: ${describeZodError(parsed.error, 'payload')}`);
    const clean = redactPayload(kind, parsed.data as Record<string, unknown>, this.deps.redact);
    const committed: IncidentEvent[] = [];
    this.deps.repository.db
      .transaction(() => {
        const incidentId = options.incidentId ?? this.activeOrNewSession(committed);
        if (options.incidentId && !this.deps.repository.get(incidentId)) {
          throw new OpsError('not_found', `No incident with id ${incidentId}: list them with "opsconsole incident list".`);
        }
        const event = this.append(incidentId, kind, clean);
        options.alongside?.(event);
        committed.push(event);
      })
      .immediate();
    for (const event of committed) this.notify(event);
    return committed[committed.length - 1]!;
  }

  /** Creates an incident (or session) with its opening event, in one transaction; it becomes active. */
  open(record: Omit<IncidentRecord, 'createdAt' | 'updatedAt'>): IncidentEvent {
    const committed: IncidentEvent[] = [];
    this.deps.repository.db.transaction(() => committed.push(this.insertOpened(record))).immediate();
    for (const event of committed) this.notify(event);
    return committed[0]!;
  }

  /** Runs `change` and appends `kind` in one transaction (status and field edits stay consistent with their event). */
  recordWith<K extends EventKind>(incidentId: string, kind: K, payload: EventPayloadInput<K>, change: () => void): IncidentEvent {
    const clean = redactPayload(kind, eventPayloadSchemas[kind].parse(payload) as Record<string, unknown>, this.deps.redact);
    let event: IncidentEvent | undefined;
    this.deps.repository.db
      .transaction(() => {
        change();
        event = this.append(incidentId, kind, clean);
      })
      .immediate();
    this.notify(event!);
    return event!;
  }

  /** The vault's redaction, for free text kept beside the timeline (attachments). */
  redactText(text: string): string {
    return this.deps.redact(text);
  }

  onEvent(listener: IncidentEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get operator(): string {
    return this.deps.operator();
  }

  get synchronous(): Synchronous {
    return this.deps.repository.setting('synchronous') === 'full' ? 'full' : 'normal';
  }

  /** Power-loss durability (FULL: fsync on every commit) against speed (NORMAL: survives a killed process). */
  setSynchronous(mode: Synchronous): void {
    this.deps.repository.setSetting('synchronous', mode);
    this.applySynchronous(mode);
  }

  activeIncidentId(): string | undefined {
    return this.deps.repository.setting('active');
  }

  setActive(incidentId: string | undefined): void {
    this.deps.repository.setSetting('active', incidentId);
  }

  private applySynchronous(mode: Synchronous): void {
    this.deps.repository.db.pragma(`synchronous = ${mode === 'full' ? 'FULL' : 'NORMAL'}`);
  }

  /** The active incident unless it is resolved; otherwise a new unnamed session (so no action goes unrecorded). */
  private activeOrNewSession(committed: IncidentEvent[]): string {
    const activeId = this.activeIncidentId();
    const active = activeId ? this.deps.repository.get(activeId) : undefined;
    if (active && active.status !== 'resolved') return active.id;
    const at = this.now().toISOString();
    const session = {
      id: (this.deps.newId ?? randomUUID)(),
      kind: 'session' as const,
      title: `Unnamed session ${at.slice(0, 16).replace('T', ' ')} UTC`,
      severity: null,
      status: 'investigating' as const,
      commander: null,
      profiles: [],
      report: { summary: '', usersAffected: '', impact: '', rootCause: '', resolution: '', durationMs: null, actionItems: [] },
    };
    committed.push(this.insertOpened(session));
    return session.id;
  }

  private insertOpened(record: Omit<IncidentRecord, 'createdAt' | 'updatedAt'>): IncidentEvent {
    const at = this.now().toISOString();
    this.deps.repository.insert({ ...record, createdAt: at, updatedAt: at });
    this.setActive(record.id);
    const payload = { kind: record.kind, title: record.title, severity: record.severity, commander: record.commander };
    return this.append(record.id, 'incident.opened', redactPayload('incident.opened', payload, this.deps.redact));
  }

  /** Must run inside a write transaction: reads the chain's head and appends after it. */
  private append(incidentId: string, kind: EventKind, payload: Record<string, unknown>): IncidentEvent {
    const operator = this.deps.operator();
    const head = this.deps.repository.head(incidentId);
    const fields = {
      incidentId,
      seq: (head?.seq ?? 0) + 1,
      at: this.now().toISOString(),
      operator,
      kind,
      payload: JSON.parse(canonicalJson(payload)) as Record<string, unknown>,
      prevHash: head?.hash ?? genesisHash,
    };
    const hash = hashEvent(fields);
    this.deps.repository.append({ ...fields, payload: canonicalJson(fields.payload), hash });
    return { ...fields, hash };
  }

  private notify(event: IncidentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not make a committed event look unrecorded.
      }
    }
  }
}
