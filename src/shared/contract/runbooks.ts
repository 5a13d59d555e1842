import { z } from 'zod';
import type { RiskLevel } from '../risk';
import type { RunbookDiagnostic, RunbookPlan } from '../runbook';
import { event, operation } from './define';

/** One runbook of the library, for the library view (search, filter by service and tag). */
export interface RunbookSummary {
  path: string;
  /** The library folder it was found in. */
  folder: string;
  /** Shipped with the app, or from a folder the operator added in Settings. */
  source: 'bundled' | 'folder';
  title: string;
  service?: string;
  tags: string[];
  environments: string[];
  owners: string[];
  steps: number;
  /** The riskiest step's level. */
  risk: RiskLevel;
  errors: number;
  warnings: number;
}

export interface RunbookLintReport {
  files: { path: string; findings: RunbookDiagnostic[] }[];
  errors: number;
  warnings: number;
}

const pathSchema = z
  .string()
  .min(1, 'is empty: give a path to a markdown file')
  .max(4096, 'is longer than 4096 characters');

export const runbooksOperations = {
  /** The runbook library: the bundled runbooks plus every markdown file in the operator's runbook folders. */
  'runbooks.list': operation<RunbookSummary[]>()(z.object({}).strict(), 'List runbooks'),
  /**
   * Imports a runbook into a plan the panel shows: by path (a file of the library), or from
   * markdown text the operator pasted or dropped (name is shown as its path).
   */
  'runbooks.open': operation<RunbookPlan>()(
    z.union([
      z.object({ path: pathSchema }).strict(),
      z
        .object({
          text: z
            .string()
            .max(10 * 1024 * 1024, 'is longer than 10 MB, the most a runbook can be: split it into several runbooks'),
          name: z.string().max(255).optional(),
        })
        .strict(),
    ]),
    'Open a runbook',
  ),
  /** Lint findings (errors and warnings with their line) for files or folders; the whole library when paths is empty. */
  'runbooks.lint': operation<RunbookLintReport>()(
    z.object({ paths: z.array(pathSchema).max(100).default([]) }).strict(),
    'Lint runbooks',
  ),
};

export const runbooksEvents = {
  /** A markdown file changed in a library folder: list again (and reopen the runbook on screen). */
  onRunbooksChanged: event<{ folder: string }>('A runbook folder changed'),
};
