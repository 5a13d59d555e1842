import { z } from 'zod';
import { operation } from './define';

/** A git remote the runbook library is pulled from, as listed (Settings → Runbooks, `runbook source list`). */
export interface RunbookSourceView {
  id: string;
  /** Short name (the repository's), used by `runbook source remove NAME` and in pinned steps. */
  name: string;
  url: string;
  branch: string;
  /** The subfolder holding the runbooks, or null for the whole repository. */
  path: string | null;
  /** The local folder runbooks are read from (inside the clone). */
  folder: string;
  addedAt: string;
  /** The last successful pull, and the commit it left checked out. */
  lastSyncAt: string | null;
  commit: string | null;
  /** "updated 3 h ago", "never updated". */
  age: string;
  /** What went wrong at the last sync (offline, rewritten history, dirty clone…); the last pull stays in use. */
  lastError: { code: string; message: string; at: string } | null;
}

export interface SourceSyncReport {
  source: string;
  ok: boolean;
  previousCommit: string | null;
  commit: string | null;
  /** Runbooks (paths relative to the source folder) changed by this pull. */
  changed: string[];
  age: string;
  error?: { code: string; message: string };
}

export interface PushBranchResult {
  source: string;
  branch: string;
  commit: string;
  url: string;
  files: string[];
  /** What to do next, in words: open a merge request from this branch. */
  message: string;
}

/** A runbook step of an incident whose runbook changed since it was run. */
export interface StepChange {
  seq: number;
  runbook: string;
  step: string;
  pinnedCommit: string;
  currentCommit: string | null;
  changed: boolean;
  /** The step (or its runbook) is gone from the library. */
  missing: boolean;
  /** Unified-style line diff from the step as run to the step as it is now ('' when unchanged). */
  diff: string;
}

const sourceRef = z.string().min(1, 'is empty: name the source (opsconsole runbook source list)').max(200);
/** git's own rules, in the subset a reviewer expects: no spaces, no "..", no leading "-". */
export const branchNameSchema = z
  .string()
  .min(1, 'is empty: name the branch')
  .max(200)
  .regex(
    /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9._/-]+(?<![./])$/,
    'is not a valid branch name: use letters, digits, ".", "_", "-" and "/" (e.g. fix/disk-full-runbook)',
  );

export const runbookSourcesOperations = {
  'runbookSources.list': operation<RunbookSourceView[]>()(z.object({}).strict(), 'List runbook sources'),
  /** Clones a git remote into the data folder with the system git; its runbooks join the library. */
  'runbookSources.add': operation<RunbookSourceView>()(
    z
      .object({
        url: z.string().min(1, 'is empty: give the remote URL (git@host:team/runbooks.git or https://…)').max(2000),
        branch: branchNameSchema.optional(),
        path: z
          .string()
          .min(1)
          .max(1000)
          .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).*$/, 'must be a folder inside the repository (relative, no "..")')
          .optional(),
      })
      .strict(),
    'Add a runbook source',
  ),
  'runbookSources.remove': operation<{ removed: true; source: string }>()(
    z.object({ source: sourceRef }).strict(),
    'Remove a runbook source',
  ),
  /** Pulls every source (or one) now: fast-forward only; a rewritten history or a dirty clone is reported, not merged. */
  'runbookSources.sync': operation<SourceSyncReport[]>()(
    z.object({ source: sourceRef.optional() }).strict(),
    'Pull runbook sources',
  ),
  /** Commits the clone's local edits to a new branch and pushes it (never the default branch, never forced). */
  'runbookSources.pushBranch': operation<PushBranchResult>()(
    z
      .object({
        source: sourceRef,
        branch: branchNameSchema,
        message: z.string().min(1, 'is empty: say what the edit changes').max(5000),
      })
      .strict(),
    'Push runbook edits to a branch',
  ),
  /** The incident's runbook steps whose runbook changed since they ran, with a diff. */
  'runbookSources.stepChanges': operation<StepChange[]>()(
    z.object({ incidentId: z.string().min(1).max(64) }).strict(),
    'Steps changed since they ran',
  ),
};
