import { randomUUID } from 'node:crypto';
import { eventPayloadSchemas, type EventKind, type EventPayloadInput, type IncidentEvent } from '../../shared/incident';
import type { Transaction } from 'better-sqlite3';
import { describeZodError, OpsError } from '../errors';
import { storeFaultOf, storeUnavailable, type StoreFault } from '../store/store-faults';
import { canonicalJson, genesisHash, hashEventJson } from './canonical';
import { verifyAfter, verifyChain } from './chain';
import type { HeadAnchor } from './head-anchor';
import type { IncidentRecord, IncidentRepository } from './incident-repository';
import { markStoreSuspect, RetryTimer, type FallbackJournal, type JournalEntry } from './journal';
import { redactPayload, type RedactText as Redactor } from '../redaction';
import { GroupCommit, settle, type Settled } from './group-commit';

export type Synchronous = 'normal' | 'full';

/** This process run, so monotonic offsets are compared only between events of the same run. */
const processRun = randomUUID().slice(0, 8);
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
  /** Where events go while the store cannot take them (locked, full, damaged); without it, such failures throw. */
  journal?: FallbackJournal;
  /** The last committed head of each incident, kept outside the store. */
  anchor?: HeadAnchor;
  /**
   * The monotonic clock (ms) recorded beside each event's wall time: performance.now() by default,
   * or, when `now` is injected (tests, golden files), one that advances with it.
   */
  monotonic?: () => number;
  /**
   * Told of the events a drain of the journal appended, after their COMMIT: what is fed from the
   * timeline as it is written (the query history) takes them from here, as it skipped them when
   * they were deferred.
   */
  onJournalDrained?: (events: IncidentEvent[]) => void;
}

/** When and by whom an event was recorded (taken when the caller records it, not when it is written). */
type Stamp = { at: string; operator: string; monoMs?: number; processRun?: string };

/** An event validated, redacted and stamped, waiting for the group commit that appends it. */
interface QueuedRecord {
  kind: EventKind;
  clean: Record<string, unknown>;
  incidentId?: string;
  stamp: Stamp;
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
  private readonly transaction: Transaction<(work: () => void) => void>;
  /** Last committed {seq, hash} per incident, so an append needs no read; a stale entry (another process appended) fails on the primary key and is refreshed. */
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  /** Heads written by the transaction in progress, promoted to `heads` once it commits. */
  private pending = new Map<string, { seq: number; hash: string }>();
  /** Heads this process verified, kept when another process's append made them stale: catching up checks only the events since. */
  private readonly verified = new Map<string, { seq: number; hash: string }>();
  private readonly retry = new RetryTimer(2000);
  /** Events of recordAsync, appended in one transaction per batch (group commit). */
  private readonly group = new GroupCommit<QueuedRecord, IncidentEvent>((items) => this.writeBatch(items));

  constructor(private readonly deps: RecorderDeps) {
    this.now = deps.now ?? (() => new Date());
    this.transaction = deps.repository.db.transaction((work: () => void) => work());
    this.applySynchronous(this.synchronous);
  }

  /**
   * Validates the payload against its kind's schema, redacts secrets, appends and commits. When
   * the store cannot take it (locked past the busy timeout, disk full, damaged), the event goes to
   * the fallback journal and comes back marked `deferred`; it joins the timeline, in order, as soon
   * as the store accepts writes again. Throws store_unavailable only when the journal fails too.
   */
  record<K extends EventKind>(kind: K, payload: EventPayloadInput<K>, options: RecordOptions = {}): IncidentEvent {
    const clean = this.validated(kind, payload);
    this.group.flush(); // events queued by recordAsync before this one come first in the chain
    const journal = this.deps.journal;
    if (journal?.hasPending() && !options.alongside) {
      const fault = this.drainJournal();
      if (fault) return this.toJournal(kind, clean, options, fault);
    }
    return this.commitOrJournal(kind, clean, options);
  }

  /** One event in its own transaction; to the journal when the store refuses it (not with `alongside`: its work cannot wait). */
  private commitOrJournal(
    kind: EventKind,
    clean: Record<string, unknown>,
    options: RecordOptions,
    stamp?: Stamp,
  ): IncidentEvent {
    try {
      return this.commitRecord(kind, clean, options, stamp);
    } catch (error) {
      const fault = storeFaultOf(error);
      if (!fault || !this.deps.journal || options.alongside) throw fault ? storeUnavailable(fault, error) : error;
      return this.toJournal(kind, clean, options, fault, stamp);
    }
  }

  /**
   * `record` for callers that can wait (group commit): the event is validated, redacted and queued
   * at once; events queued in the same turn of the event loop are chained and appended in ONE
   * transaction, and the promise resolves only after that COMMIT returned (at the configured
   * synchronous level), so an acknowledged event is as durable as one from `record`. When the
   * batch cannot be committed, every event of it goes to the fallback journal (resolving
   * `deferred`), exactly as a single refused event does; none is reported recorded.
   */
  recordAsync<K extends EventKind>(
    kind: K,
    payload: EventPayloadInput<K>,
    options: { incidentId?: string } = {},
  ): Promise<IncidentEvent> {
    let clean: Record<string, unknown>;
    try {
      clean = this.validated(kind, payload);
    } catch (error) {
      return Promise.reject(error);
    }
    const stamp = { ...this.stamp(), operator: this.deps.operator(), processRun };
    return this.group.enqueue({ kind, clean, incidentId: options.incidentId, stamp });
  }

  private validated<K extends EventKind>(kind: K, payload: EventPayloadInput<K>): Record<string, unknown> {
    const parsed = eventPayloadSchemas[kind].safeParse(payload);
    if (!parsed.success)
      throw new OpsError('invalid_input', `Event ${kind}: ${describeZodError(parsed.error, 'payload')}`);
    return redactPayload(kind, parsed.data as Record<string, unknown>, this.deps.redact);
  }

  private commitRecord(
    kind: EventKind,
    clean: Record<string, unknown>,
    options: RecordOptions,
    stamp?: Stamp,
  ): IncidentEvent {
    const events = this.commit((committed) => {
      const event = this.appendTo(options.incidentId, kind, clean, committed, stamp);
      options.alongside?.(event);
    });
    return events[events.length - 1]!;
  }

  /** Inside a write transaction: appends to the named incident (not_found if none), else to the active one. */
  private appendTo(
    target: string | undefined,
    kind: EventKind,
    clean: Record<string, unknown>,
    committed: IncidentEvent[],
    stamp?: Stamp,
  ): IncidentEvent {
    const incidentId = target ?? this.activeOrNewSession(committed);
    const known = this.pending.has(incidentId) || this.heads.has(incidentId);
    if (target && !known && this.deps.repository.status(incidentId) === undefined)
      throw new OpsError('not_found', `No incident with id ${incidentId}: list them with "opsconsole incident list".`);
    const event = this.append(incidentId, kind, clean, stamp);
    committed.push(event);
    return event;
  }

  /**
   * One group commit: every queued event in one transaction, in queue order. An event naming no
   * incident fails alone; a store fault (locked past the busy timeout, disk full, damaged) sends
   * the whole batch to the journal, since its transaction rolled back as a whole.
   */
  private writeBatch(items: QueuedRecord[]): Settled<IncidentEvent>[] {
    const fault = this.deps.journal?.hasPending() ? this.drainJournal() : undefined;
    if (fault) return items.map((item) => this.journalQueued(item, fault, undefined));
    let settled: Settled<IncidentEvent>[] = [];
    try {
      this.commit((committed) => {
        settled = items.map((item) => this.appendQueued(item, committed));
      });
      return settled;
    } catch (error) {
      const storeFault = storeFaultOf(error);
      if (storeFault) return items.map((item) => this.journalQueued(item, storeFault, error));
      // Not the store (a bug, or one odd event): each is tried alone, so one cannot sink the others.
      return items.map((item) => settle(() => this.commitOrJournal(item.kind, item.clean, item, item.stamp)));
    }
  }

  private appendQueued(item: QueuedRecord, committed: IncidentEvent[]): Settled<IncidentEvent> {
    try {
      return { value: this.appendTo(item.incidentId, item.kind, item.clean, committed, item.stamp) };
    } catch (error) {
      // Only a read preceded it: the transaction is intact for the rest of the batch.
      if (error instanceof OpsError && error.code === 'not_found') return { error };
      throw error;
    }
  }

  private journalQueued(item: QueuedRecord, fault: StoreFault, cause: unknown): Settled<IncidentEvent> {
    if (!this.deps.journal) return { error: storeUnavailable(fault, cause) };
    return settle(() => this.toJournal(item.kind, item.clean, item, fault, item.stamp));
  }

  /** Keeps an event the store refused in the fallback journal (fsync'd) and schedules the retry. */
  private toJournal(
    kind: EventKind,
    payload: Record<string, unknown>,
    options: RecordOptions,
    fault: StoreFault,
    stamp: Stamp = { ...this.stamp(), operator: this.deps.operator(), processRun },
  ): IncidentEvent {
    const entry: JournalEntry = { id: randomUUID(), kind, payload, ...stamp, reason: fault };
    const incidentId = options.incidentId ?? this.activeIfReadable();
    if (incidentId) entry.incidentId = incidentId;
    this.deps.journal!.append(entry);
    if (fault === 'damaged') markStoreSuspect(this.deps.repository.db.name);
    this.scheduleRetry();
    return {
      incidentId: incidentId ?? '',
      seq: 0,
      at: entry.at,
      operator: entry.operator,
      kind,
      payload,
      prevHash: '',
      hash: '',
      deferred: true,
    };
  }

  /**
   * Appends every journal entry not yet in the timeline, in order, in one transaction that does
   * not wait for the lock (a record must not stall behind another process). Returns the fault
   * when the store still cannot take them.
   */
  drainJournal(): StoreFault | undefined {
    const journal = this.deps.journal;
    if (!journal) return undefined;
    const db = this.deps.repository.db;
    if (db.readonly) return 'io'; // a reader's store (a read-only command) never takes them
    const busy = db.pragma('busy_timeout', { simple: true }) as number;
    let appended: IncidentEvent[];
    try {
      db.pragma('busy_timeout = 0');
      appended = this.commit((committed) => {
        for (const entry of journal.claim()) {
          if (this.deps.repository.journalApplied(entry.id)) continue;
          const incidentId = entry.incidentId ?? this.activeOrNewSession(committed);
          const event = this.append(incidentId, entry.kind, entry.payload, entry);
          committed.push(event);
          this.deps.repository.markJournalApplied(entry.id, this.now().toISOString(), event);
        }
      });
      journal.drained();
    } catch (error) {
      journal.release();
      const fault = storeFaultOf(error);
      if (!fault) throw error;
      return fault;
    } finally {
      db.pragma(`busy_timeout = ${busy}`);
    }
    if (appended.length) this.deps.onJournalDrained?.(appended);
    return undefined;
  }

  private scheduleRetry(): void {
    this.retry.schedule(() => this.deps.repository.db.open && this.drainJournal() !== undefined);
  }

  /** The incident's head as anchored outside the store (what verification compares the chain with). */
  anchoredHead(incidentId: string): { seq: number; hash: string } | undefined {
    return this.deps.anchor?.get(incidentId);
  }

  /** Stops the journal's retry timer (the store is closing). */
  dispose(): void {
    this.group.flush(); // queued events are committed (or journaled) before the store closes
    this.retry.cancel();
    this.deps.anchor?.flush();
  }

  private activeIfReadable(): string | undefined {
    try {
      return this.activeIncidentId();
    } catch {
      return undefined;
    }
  }

  /** Creates an incident (or session) with its opening event, in one transaction; it becomes active. */
  open(record: Omit<IncidentRecord, 'createdAt' | 'updatedAt'>): IncidentEvent {
    return this.guarded(() => this.commit((committed) => committed.push(this.insertOpened(record)))[0]!);
  }

  /** Runs `change` and appends `kind` in one transaction (status and field edits stay consistent with their event). */
  recordWith<K extends EventKind>(
    incidentId: string,
    kind: K,
    payload: EventPayloadInput<K>,
    change: () => void,
  ): IncidentEvent {
    const clean = redactPayload(
      kind,
      eventPayloadSchemas[kind].parse(payload) as Record<string, unknown>,
      this.deps.redact,
    );
    return this.guarded(
      () =>
        this.commit((committed) => {
          change();
          committed.push(this.append(incidentId, kind, clean));
        })[0]!,
    );
  }

  /**
   * Appends an event another responder recorded (team mode), with its time and operator, after
   * this timeline's head: this chain covers it like any event. `alongside` runs in the same
   * transaction (the team map row, status changes), so it is appended once or not at all.
   */
  recordForeign<K extends EventKind>(
    incidentId: string,
    kind: K,
    payload: EventPayloadInput<K>,
    stamp: { at: string; operator: string },
    alongside: (event: IncidentEvent) => void,
  ): IncidentEvent {
    const clean = redactPayload(
      kind,
      eventPayloadSchemas[kind].parse(payload) as Record<string, unknown>,
      this.deps.redact,
    );
    return this.guarded(
      () =>
        this.commit((committed) => {
          const event = this.append(incidentId, kind, clean, stamp);
          alongside(event);
          committed.push(event);
        })[0]!,
    );
  }

  /** Changes to incident rows cannot wait in the journal: journaled events go first, and a store fault refuses the change. */
  private guarded<T>(work: () => T): T {
    this.group.flush();
    const fault = this.deps.journal?.hasPending() ? this.drainJournal() : undefined;
    if (fault) throw storeUnavailable(fault, undefined);
    try {
      return work();
    } catch (error) {
      const storeFault = storeFaultOf(error);
      throw storeFault ? storeUnavailable(storeFault, error) : error;
    }
  }

  /**
   * Runs `work` in one write transaction and tells listeners about its events only after COMMIT
   * returned. When another process appended meanwhile (stale cached head: primary-key clash),
   * the heads are re-read and the work runs once more.
   */
  private commit(work: (committed: IncidentEvent[]) => void): IncidentEvent[] {
    for (let attempt = 0; ; attempt++) {
      const committed: IncidentEvent[] = [];
      this.pending = new Map();
      try {
        this.transaction.immediate(() => work(committed));
      } catch (error) {
        for (const [id, head] of this.heads) this.verified.set(id, head);
        this.heads.clear();
        if (attempt === 0 && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') continue;
        throw error;
      }
      for (const [id, head] of this.pending) (this.heads.set(id, head), this.deps.anchor?.note(id, head));
      for (const event of committed) this.notify(event);
      return committed;
    }
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
    this.group.flush(); // queued events keep the level they were recorded under
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
    const status = activeId ? this.deps.repository.status(activeId) : undefined;
    if (activeId && status !== undefined && status !== 'resolved') return activeId;
    const at = this.now().toISOString();
    const session = {
      id: (this.deps.newId ?? randomUUID)(),
      kind: 'session' as const,
      title: `Unnamed session ${at.slice(0, 16).replace('T', ' ')} UTC`,
      severity: null,
      status: 'investigating' as const,
      commander: null,
      profiles: [],
      report: {
        summary: '',
        usersAffected: '',
        impact: '',
        rootCause: '',
        resolution: '',
        durationMs: null,
        actionItems: [],
      },
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
  private append(incidentId: string, kind: EventKind, payload: Record<string, unknown>, stamp?: Stamp): IncidentEvent {
    const operator = stamp?.operator ?? this.deps.operator();
    const head =
      this.pending.get(incidentId) ??
      this.heads.get(incidentId) ??
      this.catchUp(incidentId) ??
      this.openSegmentIfBroken(incidentId);
    const now = stamp ?? { ...this.stamp(), processRun };
    const fields = {
      incidentId,
      seq: (head?.seq ?? 0) + 1,
      at: now.at,
      operator,
      kind,
      prevHash: head?.hash ?? genesisHash,
    };
    const payloadJson = canonicalJson(payload);
    const hash = hashEventJson(fields, payloadJson);
    const clock = now.monoMs !== undefined && now.processRun ? { monoMs: now.monoMs, processRun: now.processRun } : {};
    this.deps.repository.append({ ...fields, payload: payloadJson, hash, ...clock });
    this.pending.set(incidentId, { seq: fields.seq, hash });
    return { ...fields, payload, hash, ...clock };
  }

  /** After another process appended: the events since the head this process last verified, checked alone. */
  private catchUp(incidentId: string): { seq: number; hash: string } | undefined {
    const from = this.verified.get(incidentId);
    if (!from) return undefined;
    this.verified.delete(incidentId);
    return verifyAfter(this.deps.repository, incidentId, from);
  }

  /**
   * First append to an incident in this process: verifies its chain (against the anchored head)
   * and, when it is broken or shortened and no marker says so yet, starts a new segment with a
   * `chain.segment` event naming the break, so recording never stops and never hides it.
   */
  private openSegmentIfBroken(incidentId: string): { seq: number; hash: string } | undefined {
    const head = this.deps.repository.head(incidentId);
    if (!head) return undefined;
    const check = verifyChain(this.deps.repository, incidentId, this.deps.anchor?.get(incidentId));
    if (!check.needsMarker || !check.marker) return head;
    this.pending.set(incidentId, head);
    this.append(incidentId, 'chain.segment', redactPayload('chain.segment', check.marker, this.deps.redact));
    return this.pending.get(incidentId);
  }

  /** One reading of both clocks: the wall time, and the monotonic one (derived from an injected `now` so the two agree). */
  private stamp(): { at: string; monoMs: number } {
    const date = this.now();
    const mono = this.deps.monotonic ? this.deps.monotonic() : this.deps.now ? date.getTime() : performance.now();
    return { at: date.toISOString(), monoMs: Math.round(mono * 10) / 10 };
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
