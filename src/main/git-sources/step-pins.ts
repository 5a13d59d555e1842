import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { StepChange } from '../../shared/contract';
import type { IncidentEvent, RunbookStepPin } from '../../shared/incident';
import type { RunbookPlan } from '../../shared/runbook';
import { lineDiff, uncommitted } from '../../shared/runbook-pin';
import { git } from './git';
import { head, type GitSources } from './git-sources';

export interface StepPinsDeps {
  sources: GitSources;
  importFile: (path: string) => Promise<RunbookPlan>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Pins a recorded runbook step to the exact text that ran: the source and commit it came from
 * (or "local, uncommitted" with the file's hash), and the step's own hash and text, so a later
 * reader can tell whether the runbook changed since and see how.
 */
export class StepPins {
  constructor(private readonly deps: StepPinsDeps) {}

  /** The pin of a step of a runbook file; undefined for pasted text or a step the file lacks. */
  async pin(runbook: string, stepId: string): Promise<RunbookStepPin | undefined> {
    if (!isAbsolute(runbook) || !(await stat(runbook).catch(() => undefined))?.isFile()) return undefined;
    const plan = await this.deps.importFile(runbook);
    const step = plan.steps.find((s) => s.id === stepId);
    if (!step) return undefined;
    const fileSha256 = sha256(await readFile(runbook, 'utf8'));
    const stepPart = { fileSha256, stepSha256: sha256(step.text), stepText: step.text.slice(0, 100_000) };
    const found = this.deps.sources.locate(runbook);
    if (!found) return { source: 'local folder', path: runbook, commit: uncommitted, ...stepPart };
    const { source, dir, rel } = found;
    const edited = (await git(['status', '--porcelain', '--', rel], { cwd: dir })).stdout.trim() !== '';
    return {
      source: source.name,
      sourceUrl: source.url,
      branch: source.branch,
      path: rel,
      commit: edited ? uncommitted : await head(dir),
      ...(source.lastSyncAt ? { syncedAt: source.lastSyncAt } : {}),
      ...stepPart,
    };
  }

  /** Every pinned runbook step of a timeline, compared with the runbook as it is now. */
  async changes(events: IncidentEvent[]): Promise<StepChange[]> {
    const changes: StepChange[] = [];
    for (const event of events) {
      if (event.kind !== 'runbook.step' || !event.payload.pin) continue;
      const pinned = event.payload.pin as RunbookStepPin;
      const runbook = String(event.payload.runbook);
      const step = String(event.payload.step);
      const current = await this.pin(runbook, step).catch(() => undefined);
      const changed = !current || current.stepSha256 !== pinned.stepSha256;
      changes.push({
        seq: event.seq,
        runbook,
        step,
        pinnedCommit: pinned.commit,
        currentCommit: current?.commit ?? null,
        changed,
        missing: !current,
        diff: changed ? lineDiff(pinned.stepText, current?.stepText ?? '') : '',
      });
    }
    return changes;
  }
}
