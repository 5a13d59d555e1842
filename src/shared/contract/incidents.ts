import { z } from 'zod';
import { event, operation } from './define';
import {
  exportFormats,
  incidentStatuses,
  outcomes,
  reportFieldsPatchSchema,
  severities,
  type ChainVerification,
  type ExportResult,
  type IncidentEvent,
  type IncidentReport,
  type IncidentView,
  valueOriginSchema,
} from '../incident';

const incidentId = z.string().min(1, 'is empty: name an incident by its id').max(64);
const title = z.string().trim().min(1, 'is empty: give the incident a title').max(300, 'is longer than 300 characters');
const severity = z.enum(severities, { error: 'must be one of P0, P1, P2, P3' });
const profileRefs = z.array(z.string().min(1).max(200)).max(50, 'names more than 50 profiles');
const commander = z.string().trim().min(1).max(200);

export interface IncidentSettings {
  /** Who events are recorded as: Settings' operatorName, else the OS user name (read-only here). */
  operator: string;
  /** normal: an acknowledged event survives the app being killed; full: survives power loss too (slower). */
  synchronous: 'normal' | 'full';
}

export const incidentsOperations = {
  /** Open a named incident; it becomes the active one (new actions are recorded into it). */
  'incidents.start': operation<IncidentView>()(
    z.object({ title, severity, profiles: profileRefs.default([]), commander: commander.optional() }).strict(),
    'Start an incident',
  ),
  /** Every incident and session, newest first. */
  'incidents.list': operation<IncidentView[]>()(z.object({}).strict(), 'List incidents'),
  'incidents.get': operation<IncidentView>()(z.object({ id: incidentId }).strict(), 'Get an incident'),
  /** The timeline, page by page (events after `afterSeq`, in order). */
  'incidents.events': operation<IncidentEvent[]>()(
    z
      .object({
        id: incidentId,
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    'Read an incident timeline',
  ),
  /** The incident new actions go into (reopened after a restart), or null: the next action opens a session. */
  'incidents.active': operation<IncidentView | null>()(z.object({}).strict(), 'The active incident'),
  /** Make an unresolved incident the active one. */
  'incidents.activate': operation<IncidentView>()(z.object({ id: incidentId }).strict(), 'Activate an incident'),
  /** A note typed by the operator; without id, into the active incident (opening a session if none). */
  'incidents.note': operation<IncidentEvent>()(
    z
      .object({ id: incidentId.optional(), text: z.string().trim().min(1, 'is empty: type the note').max(20_000) })
      .strict(),
    'Add a note',
  ),
  /** investigating → identified → mitigated → resolved (going back reopens). */
  'incidents.status': operation<IncidentView>()(
    z
      .object({
        id: incidentId,
        status: z.enum(incidentStatuses, { error: 'must be one of investigating, identified, mitigated, resolved' }),
      })
      .strict(),
    'Change status',
  ),
  /**
   * A runbook step the panel ran (or tried to), with the parameters it was given (secret values
   * recorded as [redacted]); without id, into the active incident (opening a session if none).
   * The SQL and Redis runs themselves are recorded by sql.run and redis.run.
   */
  'incidents.recordStep': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId.optional(),
        runbook: z.string().min(1, 'is empty: name the runbook (its path or title)').max(500),
        step: z.string().min(1, 'is empty: give the step id').max(500),
        parameters: z
          .array(
            z
              .object({
                name: z.string().min(1).max(200),
                value: z.unknown(),
                secret: z.boolean().default(false),
                origin: valueOriginSchema.optional(),
              })
              .strict(),
          )
          .max(200)
          .default([]),
        outcome: z.enum(outcomes, { error: 'must be one of ok, error, refused, cancelled, timeout' }),
        durationMs: z.number().min(0).max(1e10).optional(),
        profileId: z.string().min(1).max(64).optional(),
        /** A terminal step: its exit status, an excerpt of its output (secrets masked), and the terminal it ran in. */
        exitStatus: z.number().int().min(0).max(255).optional(),
        output: z.string().max(20_000).optional(),
        terminal: z.string().max(300).optional(),
      })
      .strict(),
    'Record a runbook step',
  ),
  /** A checklist item of a runbook ticked (or unticked); without id, into the active incident. */
  'incidents.tickChecklist': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId.optional(),
        runbook: z.string().min(1, 'is empty: name the runbook (its path or title)').max(500),
        item: z.string().trim().min(1, 'is empty: give the checklist item text').max(2000),
        checked: z.boolean(),
      })
      .strict(),
    'Tick a checklist item',
  ),
  /** Title, severity, commander, profiles involved; the change is recorded. */
  'incidents.update': operation<IncidentView>()(
    z
      .object({
        id: incidentId,
        title: title.optional(),
        severity: severity.optional(),
        commander: commander.nullable().optional(),
        profiles: profileRefs.optional(),
      })
      .strict(),
    'Edit an incident',
  ),
  /** Report fields (summary, usersAffected, impact, rootCause, resolution, durationMs, actionItems); absent ones are kept. */
  'incidents.updateReport': operation<IncidentView>()(
    z.object({ id: incidentId, fields: reportFieldsPatchSchema }).strict(),
    'Edit report fields',
  ),
  /** Turn an unnamed session into an incident, keeping its timeline. */
  'incidents.promote': operation<IncidentView>()(
    z
      .object({ id: incidentId, title, severity, profiles: profileRefs.optional(), commander: commander.optional() })
      .strict(),
    'Promote a session',
  ),
  /** Keep a result with the incident as CSV (secrets redacted) and record it in the timeline. */
  'incidents.attachRows': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId.optional(),
        name: z.string().trim().min(1).max(200),
        columns: z.array(z.string().max(1000)).max(10_000),
        rows: z.array(z.array(z.unknown())).max(1_000_000),
        description: z.string().max(2000).optional(),
      })
      .strict(),
    'Attach rows as CSV',
  ),
  /** The report model (what the JSON export holds), for the report editor's preview. */
  'incidents.report': operation<IncidentReport>()(
    z.object({ id: incidentId, foldReads: z.boolean().default(false) }).strict(),
    'Build the report',
  ),
  /** Export to md/html/json (text returned without path) or pdf (path required); attachments beside, in a zip, or none. */
  'incidents.export': operation<ExportResult>()(
    z
      .object({
        id: incidentId,
        format: z.enum(exportFormats, { error: 'must be one of md, html, pdf, json' }),
        /** CLI only (--out): windows pass saveToken instead. */
        path: z.string().min(1).max(4096).optional(),
        /** From app.chooseSavePath: the file the operator chose there. */
        saveToken: z.string().min(1).max(100).optional(),
        /** Replace an existing file at `path` (refused otherwise). */
        overwrite: z.boolean().default(false),
        attachments: z.enum(['beside', 'zip', 'none']).default('beside'),
        foldReads: z.boolean().default(false),
        timeZone: z.string().max(100).optional(),
        /** Only the starred events (the curated export). */
        starred: z.boolean().default(false),
      })
      .strict(),
    'Export the report',
  ),
  /** Recompute the hash chain: ok, or the first event where an edited history shows. */
  'incidents.verify': operation<ChainVerification>()(z.object({ id: incidentId }).strict(), 'Verify the timeline'),
  'incidents.settings': operation<IncidentSettings>()(z.object({}).strict(), 'Recorder settings'),
  /** synchronous=full: every acknowledged event also survives power loss, at a cost the bench reports. The operator name is set in settings.update. */
  'incidents.setSettings': operation<IncidentSettings>()(
    z.object({ synchronous: z.enum(['normal', 'full']).optional() }).strict(),
    'Change recorder settings',
  ),
};

export const incidentsEvents = {
  /** Pushed after the event's transaction committed: the UI may show it as recorded. */
  onIncidentEvent: event<IncidentEvent>('An event was recorded in an incident timeline'),
};
