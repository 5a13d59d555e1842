import { z } from 'zod';
import type { Recorded, ServerOutcome } from '../incident';
import type { RiskLevel } from '../risk';
import type { StepKind } from '../runbook';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import type { SqlField } from './sql';

/**
 * How a step of a headless run ended: `ok` ran (a read, a confirmed write, a shell command that
 * exited 0); `failed` refused, an error, or a non-zero exit; `skipped` not run on purpose
 * (--all-reads passing a non-read step, a checklist); `not_run` after the step that stopped the
 * run; `unknown` a write whose outcome on the server is unknown (check before retrying).
 */
export const headlessStepOutcomes = ['ok', 'failed', 'skipped', 'not_run', 'unknown'] as const;
export type HeadlessStepOutcome = (typeof headlessStepOutcomes)[number];

/** One step of a headless run; fields that do not apply to the step's kind are null. */
export interface HeadlessStepResult {
  id: string;
  kind: StepKind;
  risk: RiskLevel;
  outcome: HeadlessStepOutcome;
  /** For a write: what the server did with it (committed, rolled_back, not_sent, unknown). */
  serverOutcome: ServerOutcome | null;
  /** Whether the step reached the incident timeline (true), waits in the fallback journal, or was not recorded. */
  recorded: Recorded | null;
  /** SQL: the columns as `sql run` names them; Redis: null. */
  fields: SqlField[] | null;
  /** SQL rows (arrays in field order); Redis: one row per command with its reply. */
  rows: unknown[][] | null;
  rowCount: number | null;
  /** Shell steps: the command's exit status (null when killed by a signal or not started). */
  exitStatus: number | null;
  /** Shell steps: stdout and stderr as they came, cut at 256 kB. */
  output: string | null;
  error: string | null;
  durationMs: number;
}

export interface HeadlessRunResult {
  runbook: string;
  profile: string;
  incidentId: string | null;
  steps: HeadlessStepResult[];
}

const stepId = z
  .string()
  .min(1, 'has an empty step id: give the ids "opsconsole runbook inspect FILE" prints')
  .max(500);
const value = z.string().max(100_000, 'is longer than 100000 characters');

export const runbookRunInputSchema = z
  .object({
    /** A file of the runbook library (path), or markdown text with the name it is recorded under (the CLI reads FILE). */
    runbook: z.union([
      z.object({ path: z.string().min(1, 'is empty: give a runbook path').max(4096) }).strict(),
      z
        .object({
          text: z.string().max(10 * 1024 * 1024, 'is longer than 10 MB, the most a runbook can be'),
          name: z.string().min(1).max(4096),
        })
        .strict(),
    ]),
    profileId: profileIdSchema,
    /** Step ids in the order to run them (repeatable); or `allReads`. */
    steps: z.array(stepId).max(500, 'names more than 500 steps').default([]),
    /** Every read step in document order; each non-read step is skipped (with its risk) and the run goes on. */
    allReads: z.boolean().default(false),
    /** Parameter values by name: bound for SQL, argv elements for Redis, quoted for the shell. */
    params: z.record(z.string().min(1).max(200), z.union([value, z.array(value).max(1000)])).default({}),
    /** The profile's name, typed: writes (and non-read shell commands) run only with it. */
    confirm: z.string().max(200).optional(),
    incidentId: z.string().min(1).max(64).optional(),
    /** Reads only, whatever the steps say (assistants): never a write, never a shell command. */
    readsOnly: z.boolean().default(false),
  })
  .strict()
  .refine(
    (input) => input.steps.length > 0 !== input.allReads,
    'give step ids (--step ID…) or allReads (--all-reads), not both and not neither',
  )
  .refine(
    (input) => !(input.readsOnly && input.confirm !== undefined),
    'confirm cannot be given with readsOnly: a reads-only run never writes',
  );

export const runbookRunsOperations = {
  /**
   * Run a runbook's steps headless (CI, chat-ops, assistants) through the same gates as the app:
   * SQL through the safe executor, Redis through the gate, shell steps (only when named) on the
   * profile's host over an SSH exec channel, or a local process for a profile without SSH. Each
   * step is recorded in the incident; the run stops at the first failed step (the rest `not_run`).
   */
  'runbooks.run': operation<HeadlessRunResult>()(runbookRunInputSchema, 'Run runbook steps headless'),
};
