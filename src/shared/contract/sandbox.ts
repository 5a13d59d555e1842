import { z } from 'zod';
import type { ProfileView } from '../profile';
import type { RiskLevel } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import { sqlTextSchema, templateRefSchema } from './sql';

/** What a sandbox holds: the demo's own database, or a profile's rehearsal copy of its shape. */
export const sandboxKinds = ['demo', 'rehearsal'] as const;
export type SandboxKind = (typeof sandboxKinds)[number];

/** One sandbox kept in the data folder. */
export interface SandboxInfo {
  profileId: string;
  profileName: string;
  kind: SandboxKind;
  engineVersion: string;
  createdAt: string;
  sizeBytes: number;
  /** Its worker is running (memory in use). */
  open: boolean;
  /** Made by the engine this build ships; an older one is rebuilt on next use. */
  current: boolean;
}

/** How the sandbox got its rows: synthetic from statistics (default) or copied and masked. */
export const rehearsalModes = ['shaped', 'sample'] as const;
export type RehearsalMode = (typeof rehearsalModes)[number];

/** A lock one rehearsed statement took, with what it blocks in plain words. */
export interface RehearsalLock {
  relation: string;
  mode: string;
  blocks: string;
}

/** One statement's rehearsal: rows hit, locks, errors, a before/after sample. */
export interface RehearsedStatement {
  sql: string;
  risk: RiskLevel;
  outcome: 'ok' | 'error';
  rowsAffected: number;
  /** Shaped mode: the count is from synthetic rows scaled to the server's size (an estimate). */
  estimated: boolean;
  locks: RehearsalLock[];
  rewritesTable: boolean;
  error: string | null;
  /** Time in the sandbox: not a forecast of the server's. */
  durationMs: number;
  sample: { columns: string[]; before: Record<string, unknown>[]; after: Record<string, unknown>[] };
}

/** The JSON `opsconsole rehearse --json` prints (the shape is a promise: extend, never rename). */
export interface RehearsalReport {
  profile: string;
  mode: RehearsalMode;
  shapeTakenAt: string | null;
  unreproduced: { object: string; reason: string }[];
  statements: RehearsedStatement[];
  /** Why the mode differs from the one asked for, the shape is stale, or nothing could run. */
  notices?: string[];
}

/** What `demo.create` made. */
export interface DemoView {
  profile: ProfileView;
  /** The bundled demo runbook to open next. */
  runbookPath: string;
  created: boolean;
}

export const rehearseInputSchema = z
  .object({
    profileId: profileIdSchema,
    sql: sqlTextSchema.optional(),
    template: templateRefSchema.optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** A runbook file: every SQL step (or only `steps`) rehearsed in order. */
    runbook: z.string().min(1).max(4096).optional(),
    /**
     * The runbook's text, read by the caller (the CLI reads the file it was given): `runbook` then
     * only names it, and it need not be in the library folders.
     */
    runbookText: z
      .string()
      .max(10 * 1024 * 1024, 'is longer than 10 MB, the most a runbook can be')
      .optional(),
    steps: z.array(z.string().min(1).max(500)).max(200).default([]),
    /** A run waiting for its confirmation ("Rehearse first"): its statement with the values bound to it. */
    runId: z.string().min(1).max(64).optional(),
    mode: z.enum(rehearsalModes, { error: 'must be shaped or sample' }).default('shaped'),
    refreshShape: z.boolean().default(false),
  })
  .strict()
  .refine(
    (input) => [input.sql, input.template, input.runbook, input.runId].filter((v) => v !== undefined).length === 1,
    'give exactly one of sql, template, runbook or runId',
  )
  .refine((input) => input.runbookText === undefined || input.runbook !== undefined, {
    message: 'runbookText needs runbook, the name of its file',
    path: ['runbookText'],
  });

export const sandboxOperations = {
  /** Every sandbox in the data folder (of one profile when profileId is given). */
  'sandbox.list': operation<SandboxInfo[]>()(
    z.object({ profileId: profileIdSchema.optional() }).strict(),
    'List sandboxes',
  ),
  /** Close and delete a profile's sandboxes (one kind when given); the profile itself stays. */
  'sandbox.drop': operation<{ dropped: SandboxInfo[] }>()(
    z
      .object({
        profileId: profileIdSchema,
        kind: z.enum(sandboxKinds, { error: 'must be demo or rehearsal' }).optional(),
      })
      .strict(),
    'Drop sandboxes',
  ),
  /**
   * Rehearse SQL, a template or runbook steps in the profile's sandbox: the shape is read from the
   * server through the read-only path only, rows are synthetic (shaped) or a masked sample, and
   * every statement runs inside a transaction that is rolled back. Nothing is sent to the server
   * but catalog and statistics reads (and, in sample mode, SELECTs classified as reads).
   */
  'sandbox.rehearse': operation<RehearsalReport>()(rehearseInputSchema, 'Rehearse in the sandbox'),
  /**
   * Create (or return) the demo environment: a profile whose Postgres is an embedded database
   * seeded with a small shop, and the bundled demo runbook. Needs no server.
   */
  'demo.create': operation<DemoView>()(z.object({}).strict(), 'Create the demo environment'),
};
