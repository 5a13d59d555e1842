import { useEffect, useState } from 'react';
import type { StepChange } from '../../../../shared/contract';
import { shortCommit } from '../../../../shared/runbook-pin';
import { transport } from '../../store/transport-ref';

/** Runbook steps of the incident whose runbook changed since they ran, each with its diff. */
export function StepChanges({ incidentId, eventCount }: { incidentId: string; eventCount: number }) {
  const [changes, setChanges] = useState<StepChange[]>([]);
  useEffect(() => {
    let live = true;
    transport()
      .invoke('runbookSources.stepChanges', { incidentId })
      .then(
        (found) => live && setChanges(found.filter((c) => c.changed)),
        () => live && setChanges([]),
      );
    return () => void (live = false);
  }, [incidentId, eventCount]);
  if (changes.length === 0) return null;
  return (
    <section className="step-changes" aria-label="Steps changed since they ran" data-testid="step-changes">
      {changes.map((c) => (
        <details key={c.seq} data-testid="step-change">
          <summary>
            This step has changed since it was run: “{c.step}” (event {c.seq}), ran at{' '}
            <code>{shortCommit(c.pinnedCommit)}</code>
            {c.missing ? (
              ', no longer in the library'
            ) : (
              <>
                , now <code>{shortCommit(c.currentCommit ?? '')}</code>
              </>
            )}
          </summary>
          <pre className="diff" data-testid="step-change-diff">
            {c.diff}
          </pre>
        </details>
      ))}
    </section>
  );
}
