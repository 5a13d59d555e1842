import type { RunVariable } from '../runbook-values';
import type { RedisRunResult, RunbookSummary, SqlRunResult } from '../../../../shared/contract';
import type { RunbookPlan } from '../../../../shared/runbook';
import type { Notice } from './notice';

/** Where a step stands in this run of the runbook. */
export type StepStatus = 'idle' | 'running' | 'ok' | 'failed' | 'pending' | 'refused' | 'cancelled' | 'sent';

export interface StepRun {
  status: StepStatus;
  sql?: SqlRunResult;
  redis?: RedisRunResult[];
  /** A Redis command waiting for confirmation (nothing was sent yet), with what runs after it. */
  redisPending?: { result: RedisRunResult; rest: string[][]; typedName: string };
  message?: string;
  error?: Notice;
  durationMs?: number;
  /** A terminal step run with its end mark: exit status and output excerpt. */
  terminal?: TerminalStepRun;
}

export interface RunAllProgress {
  section: string;
  stepIds: string[];
  done: number;
  /** Set when it stopped: the step that failed, or the operator. */
  stoppedAt?: string;
  stopRequested: boolean;
  finished: boolean;
}

export interface RunbooksSlice {
  runbookLibrary: RunbookSummary[];
  runbookLibraryLoaded: boolean;
  runbookLibraryError?: Notice;
  runbookQuery: string;
  runbookServiceFilter: string;
  runbookTagFilter: string;
  recentRunbooks: string[];
  /** The runbook on screen. */
  runbookPlan?: RunbookPlan;
  runbookOpening: boolean;
  /** The plan came from a library file (SQL steps run as templates by path), not from pasted text. */
  runbookFromLibrary: boolean;
  runbookError?: Notice;
  /** Parameter values as typed, filled once per run of the open runbook. */
  runbookParams: Record<string, string>;
  /** Runbook variables set in this run (captured from a result, or chosen from a cell): later steps' values. */
  runbookVariables: Record<string, RunVariable>;
  runbookSteps: Record<string, StepRun>;
  runbookTicks: Record<string, boolean>;
  /** A break-glass SQL step waiting for the operator's decision (shown in the confirmation dialog). */
  runbookSqlPending?: { stepId: string; result: SqlRunResult; typedName: string; busy: boolean };
  runbookRunAll?: RunAllProgress;
  runbookFocusStepId?: string;
  runbooksRequested(): Promise<void>;
  runbookQueryChanged(query: string): void;
  runbookFiltersChanged(filters: { service?: string; tag?: string }): void;
  runbookOpened(path: string): Promise<void>;
  runbookTextOpened(text: string, name?: string): Promise<void>;
  runbookClosed(): void;
  runbookParamEdited(name: string, value: string): void;
  /** A value chosen for a variable ("use as pid" on a result cell); it fills later steps' {{pid}}. */
  runbookVariableChosen(name: string, value: string, origin: string): void;
  runbookStepRunRequested(stepId: string): Promise<StepStatus>;
  runbookStepSendRequested(stepId: string, run: boolean): Promise<void>;
  runbookSqlNameTyped(name: string): void;
  runbookSqlDecided(decision: 'commit' | 'rollback'): Promise<void>;
  runbookRedisNameTyped(stepId: string, name: string): void;
  runbookRedisConfirmed(stepId: string): Promise<void>;
  runbookRedisDismissed(stepId: string): void;
  runbookChecklistTicked(stepId: string, checked: boolean): Promise<void>;
  runbookRunAllRequested(sectionSlug: string): Promise<void>;
  runbookRunAllStopped(): void;
  runbookStepFocused(stepId: string | undefined): void;
  /** onRunbooksChanged: list again, and reopen the runbook on screen (values and results kept). */
  runbooksChanged(event: { folder: string }): Promise<void>;
  /** onSqlRunSettled: a pending step settled by itself (its confirmation timed out). */
  runbookSqlRunSettled(result: SqlRunResult): void;
}

/** What a terminal step's card shows once its end mark arrived. */
export interface TerminalStepRun {
  exitStatus: number;
  output: string;
  via: 'osc133' | 'sentinel';
  terminalId: string;
  terminalTitle: string;
}
