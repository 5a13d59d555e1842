import { compareRisk } from '../../shared/risk';
import type { StepLink } from '../../shared/contract/flow';
import type { RunbookService } from './runbook-service';

/**
 * The library's steps that address health checks (fence `addresses=`): what a finding offers as
 * its next steps. Read from the library on each call (the service caches plans by mtime).
 */
export async function stepsAddressing(runbooks: RunbookService, checks: string[]): Promise<StepLink[]> {
  const wanted = new Set(checks);
  const links: StepLink[] = [];
  for (const summary of await runbooks.list()) {
    const plan = await runbooks.open({ path: summary.path }).catch(() => undefined);
    for (const step of plan?.steps ?? []) {
      const addresses = step.addresses ?? [];
      if (!addresses.some((id) => wanted.has(id))) continue;
      links.push({
        path: summary.path, runbookTitle: plan!.title, stepId: step.id, title: step.title ?? step.id, kind: step.kind, risk: step.risk,
        confirm: step.confirm, parameters: step.parameters.map((p) => p.name), addresses,
      });
    }
  }
  // Look before you act: reads first, then by risk; the library's order within a risk.
  return links.sort((a, b) => compareRisk(a.risk, b.risk));
}
