import { z } from 'zod';
import { sqlExportFormats } from './sql-export-formats';

/**
 * Incidents, their append-only timeline and the report handed over afterwards: the types and
 * zod schemas shared by the core, the CLI and the renderer.
 */

export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

/** What each severity means, shown beside the picker so the commander chooses consistently. */
export const severityDefinitions: Record<Severity, { label: string; definition: string }> = {
  P0: {
    label: 'Critical',
    definition: 'Full outage or data loss/corruption for many users; security breach. All hands, now.',
  },
  P1: {
    label: 'Major',
    definition: 'A core feature is down or badly degraded for a large share of users; no workaround.',
  },
  P2: { label: 'Minor', definition: 'Partial degradation or a feature down for some users; a workaround exists.' },
  P3: { label: 'Low', definition: 'Little or no user impact: a risk, a cosmetic fault, or follow-up work.' },
};

export const incidentStatuses = ['investigating', 'identified', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** A session is opened implicitly by the first action outside an incident; it can be promoted. */
export const incidentKinds = ['session', 'incident'] as const;
export type IncidentKind = (typeof incidentKinds)[number];

export const risks = ['read', 'admin', 'write', 'ddl', 'unknown', 'dangerous'] as const;
export const outcomes = ['ok', 'error', 'refused', 'cancelled', 'timeout'] as const;
/** A server action's outcomes: `unknown` when the connection was lost before the server's answer to a write. */
export const runOutcomes = [...outcomes, 'unknown'] as const;
/**
 * What the server did with a write, apart from whether the console could record it: `unknown`
 * when the connection was lost during COMMIT and pg_xact_status could not settle it.
 */
export const serverOutcomes = ['committed', 'rolled_back', 'not_sent', 'unknown'] as const;
export type ServerOutcome = (typeof serverOutcomes)[number];
/** Whether the console recorded an action: in the timeline (true), in the fallback journal for now ('deferred'), or not at all (false). */
export type Recorded = true | false | 'deferred';

/** What the CLI and the app say when an action was not (yet) recorded in the timeline; undefined when it was. */
export function recordedNotice(recorded: Recorded | undefined): string | undefined {
  if (recorded === undefined || recorded === true) return undefined;
  return recorded === 'deferred'
    ? 'The incident store could not take this record now (locked, full or damaged): it is kept in the fallback journal and joins the timeline as soon as the store accepts it.'
    : 'This action could not be recorded: neither the incident store nor its fallback journal could be written. Note it by hand.';
}

const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);
const profileRef = { profileId: z.string().max(64).optional(), profileName: text(200).optional() };
const duration = z.number().min(0).max(1e10);
/** Parameters as bound (runbook steps, templates); secret values are recorded as [redacted]. */
const boundParameters = z
  .array(
    z
      .object({ name: text(200), value: z.unknown(), secret: z.boolean().default(false), origin: text(300).optional() })
      .strict(),
  )
  .max(200);
/** Where a runbook step's value came from ("typed", "default", "captured from step find-blocker (blocker_pid)"…). */
export const valueOriginSchema = text(300);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256');
/**
 * Where a runbook step's text came from when it ran: the git source and commit (or "local,
 * uncommitted" with the file's hash for a plain folder or an edited clone) and the step's own
 * hash and text, so a reader can tell later whether the runbook changed since (issue #30).
 */
export const runbookStepPinSchema = z
  .object({
    source: text(500),
    sourceUrl: text(2000).optional(),
    branch: text(200).optional(),
    path: text(4096),
    commit: z.union([
      z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a git commit SHA'),
      z.literal('local, uncommitted'),
    ]),
    /** The last pull before the step ran. */
    syncedAt: z.string().max(40).optional(),
    fileSha256: hex64,
    stepSha256: hex64,
    stepText: text(100_000),
  })
  .strict();
export type RunbookStepPin = z.output<typeof runbookStepPinSchema>;
/** Who did something: the person at the keyboard, and the AI assistant acting for them if any. */
export const eventAuthorSchema = z
  .object({ osUser: text(200), displayName: text(200), agent: text(200).optional() })
  .strict();
export type EventAuthor = z.infer<typeof eventAuthorSchema>;

/** One payload schema per event kind: what `IncidentRecorder.record(kind, payload)` accepts. */
export const eventPayloadSchemas = {
  /** The first event of every incident or session. */
  'incident.opened': z
    .object({
      kind: z.enum(incidentKinds),
      title: text(300),
      severity: z.enum(severities).nullable(),
      commander: text(200).nullable(),
    })
    .strict(),
  /** A session became a named incident. */
  'incident.promoted': z.object({ title: text(300), severity: z.enum(severities) }).strict(),
  /** Title, severity, commander or profiles changed. */
  'incident.updated': z.object({ changes: z.record(z.string(), z.unknown()) }).strict(),
  /** Report fields edited (names only: the text lives in the report). */
  'report.edited': z.object({ fields: z.array(z.string()).max(20) }).strict(),
  'status.changed': z.object({ from: z.enum(incidentStatuses), to: z.enum(incidentStatuses) }).strict(),
  /** `happenedAt`: when it happened, as the operator says (back-dated); the event's own time stays when it was written. */
  note: z
    .object({
      text: text(20_000).min(1, 'is empty: type the note'),
      happenedAt: z
        .string()
        .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/, 'must be an ISO 8601 UTC time')
        .optional(),
    })
    .strict(),
  'runbook.step': z
    .object({
      runbook: text(500),
      step: text(500),
      parameters: boundParameters.default([]),
      outcome: z.enum(outcomes),
      durationMs: duration.optional(),
      ...profileRef,
      pin: runbookStepPinSchema.optional(),
      /** A terminal step: the shell's exit status (from OSC 133 marks or the console's sentinel), an excerpt of its output, and the terminal it ran in. */
      exitStatus: z.number().int().min(0).max(255).optional(),
      output: text(20_000).optional(),
      terminal: text(300).optional(),
    })
    .strict(),
  'sql.run': z
    .object({
      ...profileRef,
      sql: text(1_000_000),
      risk: z.enum(risks),
      readOnly: z.boolean().default(true),
      rowCount: z.number().int().min(0).nullable().default(null),
      rowsAffected: z.number().int().min(0).nullable().default(null),
      truncated: z.boolean().default(false),
      durationMs: duration,
      outcome: z.enum(runOutcomes),
      error: text(5000).optional(),
      /** Template parameters as bound; secret values are recorded as [redacted]. */
      parameters: boundParameters.optional(),
      /** The Postgres user it ran as (the profile's read user for reads, when it has one). */
      role: text(63).optional(),
      /** For a write: what the server did with it (committed, rolled back, never sent, unknown). */
      serverOutcome: z.enum(serverOutcomes).optional(),
      /** The transaction id noted before COMMIT, to settle an unknown outcome with pg_xact_status. */
      xid: text(40).optional(),
    })
    .strict(),
  /** A read streamed to a file (CSV or JSON Lines) on the operator's computer. */
  'sql.export': z
    .object({
      ...profileRef,
      sql: text(1_000_000),
      risk: z.enum(risks),
      format: z.enum(sqlExportFormats),
      path: text(4096),
      rows: z.number().int().min(0),
      bytes: z.number().int().min(0),
      durationMs: duration,
      outcome: z.enum(outcomes),
      error: text(5000).optional(),
      /** A cancelled or failed export whose partial file was kept (at `path`.partial). */
      keptPartial: z.boolean().default(false),
      parameters: boundParameters.optional(),
      /** The Postgres user it ran as (the profile's read user for reads, when it has one). */
      role: text(63).optional(),
    })
    .strict(),
  'redis.run': z
    .object({
      ...profileRef,
      command: z.array(text(100_000)).min(1).max(10_000),
      risk: z.enum(risks),
      durationMs: duration,
      outcome: z.enum(runOutcomes),
      reply: text(5000).optional(),
      error: text(5000).optional(),
    })
    .strict(),
  /** A write previewed inside a transaction that was rolled back. */
  preview: z
    .object({
      ...profileRef,
      target: z.enum(['sql', 'redis']),
      text: text(1_000_000),
      risk: z.enum(risks),
      affectedRows: z.number().int().min(0).nullable().default(null),
      plan: text(100_000).optional(),
      parameters: boundParameters.optional(),
      role: text(63).optional(),
    })
    .strict(),
  confirmation: z
    .object({
      ...profileRef,
      action: text(1_000_000),
      risk: z.enum(risks),
      method: z.enum(['click', 'typed-name']).default('click'),
    })
    .strict(),
  refusal: z
    .object({
      ...profileRef,
      action: text(1_000_000),
      reason: text(5000),
      risk: z.enum(risks).optional(),
      /** What was refused: set by the SQL path (the query history keeps only those); absent on older events. */
      target: z.enum(['sql', 'redis', 'shell']).optional(),
    })
    .strict(),
  cancel: z
    .object({ ...profileRef, action: text(1_000_000), reason: text(5000).optional(), risk: z.enum(risks).optional() })
    .strict(),
  /** A terminal session recorded as asciicast; the cast itself is an attachment. */
  'terminal.recording': z
    .object({ ...profileRef, terminal: text(300), attachmentId: z.string().max(64), durationMs: duration })
    .strict(),
  'checklist.tick': z.object({ runbook: text(500), item: text(2000), checked: z.boolean() }).strict(),
  'connection.state': z.object({ ...profileRef, state: text(40), reason: text(2000).optional() }).strict(),
  /** A result or file kept with the incident (rows as CSV, casts). */
  attachment: z
    .object({
      attachmentId: z.string().max(64),
      name: text(255),
      mediaType: text(100),
      bytes: z.number().int().min(0),
      sha256: z.string().length(64),
      description: text(2000).optional(),
    })
    .strict(),
  export: z.object({ format: z.enum(['md', 'html', 'pdf', 'json']), path: text(4096).optional() }).strict(),
  /**
   * Recording goes on after a broken or shortened chain: the first event of the new segment names
   * the break and the last event that still verified (the chain stays reported broken).
   */
  'chain.segment': z
    .object({
      brokenAt: z.number().int().min(1),
      reason: text(2000),
      lastVerifiedSeq: z.number().int().min(1).nullable(),
      lastVerifiedHash: z.string().max(64).nullable(),
      missingFrom: z.number().int().min(1).optional(),
      missingTo: z.number().int().min(1).optional(),
    })
    .strict(),
  /**
   * A rehearsal in the embedded sandbox: nothing ran on the server. Kept apart from sql.run so a
   * report never mixes what was tried in the sandbox with what ran on the environment.
   */
  rehearsal: z
    .object({
      ...profileRef,
      mode: z.enum(['shaped', 'sample']),
      sql: text(1_000_000),
      statements: z.number().int().min(0),
      failed: z.number().int().min(0),
      rowsAffected: z.number().int().min(0),
      locks: z.array(text(500)).max(50).default([]),
      unreproduced: z.number().int().min(0).default(0),
      shapeTakenAt: z.string().max(40).nullable(),
    })
    .strict(),
  /** A health-check run whose statuses differ from the last one recorded for the profile. */
  'health.run': z
    .object({
      ...profileRef,
      checks: z
        .array(
          z
            .object({ id: text(100), status: z.enum(['ok', 'warn', 'critical', 'error']), message: text(5000) })
            .strict(),
        )
        .max(200),
      durationMs: duration,
    })
    .strict(),
  /**
   * Curation: a mark on an earlier event (`seq`). Each star, unstar or hide is an event of its own,
   * so the chain stays append-only; a hidden event stays in the full export, marked as hidden.
   */
  'event.starred': z.object({ seq: z.number().int().min(1), reason: text(2000).optional() }).strict(),
  'event.unstarred': z.object({ seq: z.number().int().min(1) }).strict(),
  'event.hidden': z.object({ seq: z.number().int().min(1), reason: text(2000).optional() }).strict(),
  'event.unhidden': z.object({ seq: z.number().int().min(1) }).strict(),
  /** Tags added to or removed from the incident. */
  'incident.tagged': z
    .object({ added: z.array(text(60)).max(50).default([]), removed: z.array(text(60)).max(50).default([]) })
    .strict(),
  /** A health finding kept with the incident: the check, what it found, its values and its evidence. */
  'health.finding': z
    .object({
      ...profileRef,
      check: text(100),
      status: z.enum(['ok', 'warn', 'critical', 'error']),
      message: text(5000),
      values: z.record(z.string(), text(1000)).default({}),
      evidence: text(20_000).optional(),
    })
    .strict(),
  /** One tool call of an AI assistant through `opsconsole mcp` (arguments redacted). */
  'assistant.call': z
    .object({
      ...profileRef,
      author: eventAuthorSchema,
      tool: text(100),
      arguments: z.record(z.string(), z.unknown()),
      outcome: z.enum(outcomes),
      /** Size of the reply the assistant received, in bytes. */
      bytes: z.number().int().min(0),
      rows: z.number().int().min(0).optional(),
      error: text(5000).optional(),
    })
    .strict(),
  /** A change an assistant proposed: classified, recorded, never sent; a person runs or dismisses it. */
  proposal: z
    .object({
      ...profileRef,
      author: eventAuthorSchema,
      proposalId: z.string().max(64),
      target: z.enum(['sql', 'redis']),
      /** The SQL text, or the Redis argv as one line. */
      text: text(1_000_000),
      argv: z.array(text(100_000)).max(10_000).optional(),
      risk: z.enum(risks),
      reasons: z.array(text(200)).max(200).default([]),
      why: text(5000),
    })
    .strict(),
  /** A person dismissed an assistant's proposal: it will not be run (the assistant reads this with incident_show). */
  'proposal.dismissed': z
    .object({ ...profileRef, proposalId: z.string().max(64), agent: text(200), reason: text(2000).optional() })
    .strict(),
  /**
   * A person took an assistant's proposal to break-glass: the run that follows (preview, the typed
   * confirmation or a refusal, and what the server did) is that proposal's, linked by proposalId.
   */
  'proposal.run': z
    .object({
      ...profileRef,
      proposalId: z.string().max(64),
      agent: text(200),
      target: z.enum(['sql', 'redis']),
      text: text(1_000_000),
      risk: z.enum(risks),
    })
    .strict(),
  /** A shell step run headless (`runbook run --step`): on the profile's host over SSH exec, or locally. */
  'shell.exec': z
    .object({
      ...profileRef,
      /** The command as it ran, secret values masked. */
      command: text(1_000_000),
      risk: z.enum(risks),
      exitStatus: z.number().int().nullable(),
      signal: text(40).optional(),
      /** The last 4000 characters of its output, redacted. */
      output: text(4000),
      outputChars: z.number().int().min(0),
      durationMs: duration,
      outcome: z.enum(outcomes),
    })
    .strict(),
} as const;

export type EventKind = keyof typeof eventPayloadSchemas;
export const eventKinds = Object.keys(eventPayloadSchemas) as EventKind[];
export type EventPayloadInput<K extends EventKind> = z.input<(typeof eventPayloadSchemas)[K]>;

/** One committed timeline event; `hash` chains it to the previous one (`prevHash`). */
export interface IncidentEvent {
  incidentId: string;
  seq: number;
  at: string;
  operator: string;
  kind: EventKind;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** Set when the store could not take it yet: kept in the fallback journal, appended later (seq and hash unknown until then). */
  deferred?: true;
  /** Milliseconds on the recording process's monotonic clock, and which process run that was (not hashed: a clock diagnostic). */
  monoMs?: number;
  processRun?: string;
  /**
   * Team mode (issue #29), never hashed: `team` for an event another responder recorded (joined
   * from the team database), `local` for one recorded here; absent outside team mode.
   */
  origin?: 'local' | 'team';
  /** Its place in the shared timeline (the team database's order); absent while not yet shared. */
  sharedSeq?: number;
  /** False while a local event of a shared incident waits in the outbox (not yet in the team database). */
  shared?: boolean;
}

/** The shared timeline's own chain (team mode), checked over the team database's order. */
export interface SharedChainVerification {
  /** False when the team database could not be reached: nothing was checked. */
  checked: boolean;
  ok: boolean;
  events: number;
  headHash: string | null;
  brokenAt?: { sharedSeq: number; reason: string };
  /** Why it was not checked. */
  reason?: string;
}

export interface ProfileMention {
  id: string;
  name: string;
  environment: string;
}

export const actionItemSchema = z
  .object({
    text: text(2000).min(1, 'is empty: say what should be done'),
    owner: text(200).default(''),
    /** YYYY-MM-DD */
    due: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
      .nullable()
      .default(null),
    done: z.boolean().default(false),
  })
  .strict();
export type ActionItem = z.output<typeof actionItemSchema>;

const reportFieldShapes = {
  summary: text(50_000),
  usersAffected: text(2000),
  impact: text(50_000),
  rootCause: text(50_000),
  resolution: text(50_000),
  /** Overrides the duration computed from the first and last events; null to compute it. */
  durationMs: z.number().int().min(0).nullable(),
  actionItems: z.array(actionItemSchema).max(500),
};

/** The report fields the commander writes; everything else is computed from the timeline. */
export const reportFieldsSchema = z
  .object({
    summary: reportFieldShapes.summary.default(''),
    usersAffected: reportFieldShapes.usersAffected.default(''),
    impact: reportFieldShapes.impact.default(''),
    rootCause: reportFieldShapes.rootCause.default(''),
    resolution: reportFieldShapes.resolution.default(''),
    durationMs: reportFieldShapes.durationMs.default(null),
    actionItems: reportFieldShapes.actionItems.default([]),
  })
  .strict();
/** An edit of some report fields: absent fields are kept. */
export const reportFieldsPatchSchema = z.object(reportFieldShapes).partial().strict();
export type ReportFields = z.output<typeof reportFieldsSchema>;

/** An incident as stored: what was declared and written about it. */
export interface IncidentRecord {
  id: string;
  kind: IncidentKind;
  title: string;
  severity: Severity | null;
  status: IncidentStatus;
  commander: string | null;
  profiles: ProfileMention[];
  report: ReportFields;
  createdAt: string;
  updatedAt: string;
}

/** An incident as shown: the stored record plus what its timeline says. */
export interface IncidentView extends IncidentRecord {
  eventCount: number;
  firstEventAt: string | null;
  lastEventAt: string | null;
  /** True while it is the incident new actions are recorded into. */
  active: boolean;
}

export const exportFormats = ['md', 'html', 'pdf', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Identifies the JSON export's layout; bumped on any incompatible change. */
export const incidentReportSchemaId = 'https://opsconsole.dev/schemas/incident-report/v1';

const isoTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'must be an ISO 8601 UTC time');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256');

/** One line of the report's timeline; folded repeated reads carry `count` > 1 and `lastAt`. */
export const timelineEntrySchema = z
  .object({
    seq: z.number().int().min(1),
    at: isoTime,
    /** The same instant in the report's time zone, as shown. */
    atLocal: z.string(),
    operator: z.string(),
    kind: z.enum(eventKinds as [EventKind, ...EventKind[]]),
    summary: z.string(),
    count: z.number().int().min(1),
    lastAt: isoTime.optional(),
    payload: z.record(z.string(), z.unknown()),
    /** Set when the wall clock ran backwards before this event (its time is earlier than the previous event's): times around it are not to be trusted. */
    clockNote: z.string().optional(),
    /** Curation marks (event.starred / event.hidden events point at it): present only when true. */
    starred: z.literal(true).optional(),
    hidden: z.literal(true).optional(),
  })
  .strict();
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

/**
 * The whole report as exported to JSON (versioned by `$schema` and `schemaVersion`); Markdown,
 * HTML and PDF are rendered from it. Consumers validate with this schema, or with
 * `z.toJSONSchema(incidentReportSchema)` outside TypeScript.
 */
export const incidentReportSchema = z
  .object({
    $schema: z.literal(incidentReportSchemaId),
    schemaVersion: z.literal(1),
    generatedAt: isoTime,
    timeZone: z.string(),
    incident: z
      .object({
        id: z.string(),
        kind: z.enum(incidentKinds),
        title: z.string(),
        severity: z.enum(severities).nullable(),
        status: z.enum(incidentStatuses),
        commander: z.string().nullable(),
        profiles: z.array(z.object({ id: z.string(), name: z.string(), environment: z.string() }).strict()),
        createdAt: isoTime,
        updatedAt: isoTime,
        eventCount: z.number().int().min(0),
        firstEventAt: isoTime.nullable(),
        lastEventAt: isoTime.nullable(),
      })
      .strict(),
    severityDefinition: z.string().nullable(),
    /** The commander's value when set, else the computed one. */
    durationMs: z.number().min(0).nullable(),
    /** From the first to the last event. */
    durationComputedMs: z.number().min(0).nullable(),
    fields: reportFieldsSchema,
    timeline: z.array(timelineEntrySchema),
    foldedReads: z.boolean(),
    /** Only the starred events (hidden ones and the marks themselves left out): the curated export. */
    starredOnly: z.literal(true).optional(),
    attachments: z.array(
      z
        .object({ id: z.string(), name: z.string(), mediaType: z.string(), bytes: z.number().int().min(0), sha256 })
        .strict(),
    ),
    /** Write the head hash down elsewhere: `incident verify` then also proves nothing was cut from the end. */
    chain: z.object({ events: z.number().int().min(0), headHash: sha256.nullable() }).strict(),
    /** The chain as verified at export time (against the head anchored outside the store): a broken or shortened timeline is said, never hidden. */
    integrity: z
      .object({
        ok: z.boolean(),
        brokenAt: z
          .object({ seq: z.number().int().min(1), reason: z.string() })
          .strict()
          .nullable(),
        missingFrom: z.number().int().min(1).nullable(),
      })
      .strict(),
    /**
     * Signed exports (JSON): every event as hashed, the installation's Ed25519 public key, its
     * fingerprint, and a signature over the whole document; `opsconsole incident verify --file` checks them.
     */
    signed: z
      .object({
        algorithm: z.literal('ed25519'),
        events: z.array(
          z
            .object({
              seq: z.number().int().min(1),
              at: isoTime,
              operator: z.string(),
              kind: z.string(),
              payload: z.unknown(),
              prevHash: sha256,
              hash: sha256,
            })
            .strict(),
        ),
        headHash: sha256.nullable(),
        publicKey: z.string(),
        fingerprint: z.string(),
        signature: z.string(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type IncidentReport = z.output<typeof incidentReportSchema>;

export type AttachmentMode = 'beside' | 'zip' | 'none';

export interface ExportResult {
  format: ExportFormat;
  path?: string;
  /** The rendered text, when no path was given. */
  content?: string;
  bytes: number;
  /** Files written beside the report (or zip members). */
  attachments: string[];
  /** Set when the export was made but neither the store nor the journal could record it (a read-only data folder): why. */
  notRecorded?: string;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  headHash: string | null;
  /** First sequence number where the chain breaks, and why. */
  brokenAt?: { seq: number; reason: string };
  /** The first event that was recorded (per the head anchored outside the store) but is no longer in it. */
  missingFrom?: number;
  /** Team mode: the shared timeline's chain, for an incident shared with the team. */
  shared?: SharedChainVerification;
}
