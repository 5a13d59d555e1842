import { useEffect, useState } from 'react';
import type { StepLink } from '../../../../shared/contract';
import type { HealthCheckResult } from '../../../../shared/health';
import { useApp } from '../../store';
import { noticeFrom } from '../../store/notice-slice';
import { transport } from '../../store/transport-ref';
import { linksFor } from '../../store/step-links';

/** The finding as text for a chat or a ticket: what, where, when, and the rows behind it. */
export function evidenceText(result: HealthCheckResult, profileName: string): string {
  const lines = [
    `${result.title} (${result.id}) on ${profileName}: ${result.status.toUpperCase()}`,
    result.message,
    `Threshold: ${result.threshold}`,
    `Checked at ${result.checkedAt}`,
  ];
  if (result.details && result.details.rows.length > 0) {
    lines.push(
      '',
      result.details.columns.join('\t'),
      ...result.details.rows.map((row) => row.map((c) => (c === null ? '' : String(c))).join('\t')),
    );
  }
  return lines.join('\n');
}

/**
 * Opens the runbook step with the finding's values as run variables: its parameters of the same
 * name are filled. The runbook view is shown only once they are: before, it would show the run
 * that was open, with its values (another pid), while the runbook loads.
 */
async function openStep(link: StepLink, result: HealthCheckResult): Promise<void> {
  await useApp.getState().runbookOpened(link.path);
  const state = useApp.getState();
  if (state.runbookPlan?.path === link.path) {
    for (const [name, value] of Object.entries(result.values ?? {})) {
      if (link.parameters.includes(name))
        state.runbookVariableChosen(name, value, `health finding ${result.id} (${result.checkedAt})`);
    }
  }
  state.centreViewChosen('runbook'); // where a runbook that failed to open says why
  if (state.runbookPlan?.path === link.path) state.runbookStepFocused(link.stepId);
}

/** A finding's next steps: the runbook steps that address it, copy the evidence, add it to the incident. */
export function FindingActions({
  profileId,
  profileName,
  result,
}: {
  profileId: string;
  profileName: string;
  result: HealthCheckResult;
}) {
  const [links, setLinks] = useState<StepLink[]>([]);
  const [done, setDone] = useState<'copied' | 'added' | undefined>();
  useEffect(() => {
    let live = true;
    linksFor(result.id).then(
      (found) => live && setLinks(found),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [result.id]);
  const copy = async () => {
    await navigator.clipboard.writeText(evidenceText(result, profileName)).catch(() => undefined);
    setDone('copied');
  };
  const add = async () => {
    try {
      await transport().invoke('incidents.recordFinding', {
        profileId,
        check: result.id,
        status: result.status,
        message: result.message,
        values: result.values ?? {},
        evidence: evidenceText(result, profileName),
      });
      setDone('added');
    } catch (error) {
      useApp.getState().noticeShown(noticeFrom(error));
    }
  };
  const filled = (link: StepLink) =>
    link.parameters.filter((p) => result.values?.[p] !== undefined).map((p) => `${p}=${result.values![p]}`);
  return (
    <div
      className="health-next"
      role="group"
      aria-label={`Next steps for ${result.title}`}
      data-testid={`health-next-${result.id}`}
    >
      {links.map((link) => (
        <button
          key={`${link.path}#${link.stepId}`}
          type="button"
          className={link.risk === 'read' ? '' : 'danger'}
          onClick={() => void openStep(link, result)}
          data-testid={`health-next-step-${link.stepId}`}
          title={`${link.runbookTitle}: step ${link.stepId} (${link.risk})`}
        >
          {link.title}
          {filled(link).length > 0 ? ` (${filled(link).join(', ')})` : ''}
        </button>
      ))}
      <button type="button" onClick={() => void copy()} data-testid={`health-copy-${result.id}`}>
        {done === 'copied' ? 'Copied' : 'Copy evidence'}
      </button>
      <button type="button" onClick={() => void add()} data-testid={`health-add-${result.id}`}>
        {done === 'added' ? 'Added to the incident' : 'Add to incident'}
      </button>
    </div>
  );
}
