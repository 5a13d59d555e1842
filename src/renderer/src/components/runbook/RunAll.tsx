import type { RunbookSection } from '../../../../shared/runbook';
import { useApp } from '../../store';
import { runAllSteps } from '../../store/runbook-steps';

/** "Run all read-only" for a section: its read-only steps in order, stopping at the first that does not succeed. */
export function RunAll({ section }: { section: RunbookSection }) {
  const plan = useApp((s) => s.runbookPlan!);
  const progress = useApp((s) => (s.runbookRunAll?.section === section.slug ? s.runbookRunAll : undefined));
  const anyActive = useApp((s) => !!s.runbookRunAll && !s.runbookRunAll.finished);
  const { runbookRunAllRequested, runbookRunAllStopped } = useApp.getState();
  const steps = runAllSteps(plan, section.slug);
  if (steps.length < 2) return null;
  const active = progress && !progress.finished;
  return (
    <div className="runbook-runall" data-testid="runbook-runall">
      {active ? (
        <button type="button" onClick={runbookRunAllStopped} data-testid="runbook-runall-stop">
          Stop after this step
        </button>
      ) : (
        <button
          type="button"
          disabled={anyActive}
          onClick={() => void runbookRunAllRequested(section.slug)}
          data-testid="runbook-runall-start"
          title={`Runs the ${steps.length} read-only steps of this section in order and stops at the first failure`}
        >
          Run all read-only ({steps.length})
        </button>
      )}
      {progress && (
        <>
          <progress
            max={progress.stepIds.length}
            value={progress.done}
            aria-label={`Run all progress in ${section.heading || plan.title}`}
          />
          <span role="status" data-testid="runbook-runall-status">
            {progress.done}/{progress.stepIds.length}
            {progress.finished && !progress.stoppedAt && ' · all done'}
            {progress.stoppedAt &&
              ` · stopped at ${progress.stoppedAt}${progress.stopRequested ? ' (you stopped it)' : ' (it did not succeed)'}`}
          </span>
        </>
      )}
    </div>
  );
}
