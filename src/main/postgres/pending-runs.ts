import type { SqlRunResult } from '../../shared/contract';
import { writePolicy } from '../../shared/profile';
import type { SafeRun } from './run-context';

/** The operator's answer to a pending run, or what answered for them. */
export type Decision =
  { kind: 'commit'; typed: boolean } | { kind: 'rollback' | 'timeout' | 'cancel' | 'refused'; message: string };

export interface PendingRun {
  /** As the operator sees it meanwhile (outcome `pending`, with the confirmation request). */
  result: SqlRunResult;
  /** The run as it was asked for: its profile, context and bound values ("Rehearse first" binds the same). */
  run: SafeRun;
  decide(decision: Decision): void;
  settled: Promise<SqlRunResult>;
}

/**
 * The break-glass runs waiting for a confirmation, each with its timer: when it fires the run is
 * decided as `timeout` (rolled back). Settling one tells `onSettled` (the UI closes its dialog).
 */
export class PendingRuns {
  readonly #runs = new Map<string, PendingRun>();

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => Date,
    private readonly onSettled?: (result: SqlRunResult) => void,
  ) {}

  /** Registers a run whose outcome `settled` resolves once `decide` is called; returns its pending view. */
  hold(
    run: SafeRun,
    view: { previewed: boolean; note?: string },
    decide: (d: Decision) => void,
    settled: Promise<SqlRunResult>,
  ): SqlRunResult {
    const { profile, result } = run;
    const { previewed, note } = view;
    const timer = setTimeout(
      () =>
        entry.decide({
          kind: 'timeout',
          message: `No confirmation within ${Math.round(this.timeoutMs / 1000)} s: rolled back, nothing was kept.`,
        }),
      this.timeoutMs,
    );
    const policy = writePolicy(profile) === 'type-profile-name' ? 'type-profile-name' : 'confirm';
    const expiresAt = new Date(this.now().getTime() + this.timeoutMs).toISOString();
    const pending: SqlRunResult = {
      ...result,
      statements: [...result.statements],
      outcome: 'pending',
      confirmation: {
        policy,
        profileName: profile.name,
        expiresAt,
        timeoutMs: this.timeoutMs,
        previewed,
        ...(note ? { note } : {}),
      },
    };
    const entry: PendingRun = {
      result: pending,
      run,
      decide: (decision) => {
        clearTimeout(timer);
        this.#runs.delete(result.runId);
        decide(decision);
      },
      settled: settled.then((final) => {
        this.onSettled?.(final);
        return final;
      }),
    };
    this.#runs.set(result.runId, entry);
    return pending;
  }

  get(runId: string): PendingRun | undefined {
    return this.#runs.get(runId);
  }

  ofProfile(profileId: string): PendingRun | undefined {
    for (const pending of this.#runs.values()) if (pending.run.profileId === profileId) return pending;
    return undefined;
  }

  all(): PendingRun[] {
    return [...this.#runs.values()];
  }
}

/**
 * What a commit request amounts to: on a production profile the typed name must be the profile's
 * (any name typed must match, whatever the level); otherwise it is a refusal that rolls back.
 */
export function commitDecision(pending: PendingRun, typedName: string | undefined): Decision {
  const name = pending.run.profile.name;
  const typed = typedName?.trim();
  const needsName = pending.result.confirmation?.policy === 'type-profile-name';
  if ((needsName || typed !== undefined) && typed !== name) {
    const message = typed
      ? `Refused: the name typed ("${typed}") is not the profile's name "${name}". Rolled back, nothing was kept.`
      : `Refused: "${name}" is a production profile; type its name to confirm. Rolled back, nothing was kept.`;
    return { kind: 'refused', message };
  }
  return { kind: 'commit', typed: needsName || typed !== undefined };
}
