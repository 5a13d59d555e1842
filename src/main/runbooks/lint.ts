import type { RunbookBlock, RunbookDiagnostic, RunbookPlan, RunbookStep } from '../../shared/runbook';
import { fidelityChecks, placeholderFindings, type StepCheck } from './lint-fidelity';

const warningWords = /warn|caution|danger|careful|destructive|irreversible|cannot be undone|can't be undone|data loss|backup|back up|make sure|be sure|double.check|⚠|❗|🚨|only if|last resort|use with/i;

/**
 * Lint findings of an imported runbook: the importer's errors (bad frontmatter, unknown fence
 * attributes, SQL for Postgres that does not parse) and warnings a reviewer would raise
 * (a dangerous step with no warning near it, an untyped parameter).
 */
export function lintPlan(plan: RunbookPlan): RunbookDiagnostic[] {
  const findings = [...plan.diagnostics];
  for (const step of plan.steps) for (const check of stepChecks) findings.push(...check(step, plan));
  for (const check of planChecks) findings.push(...check(plan));
  return findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

/** A new lint check is one function in one of these lists. */
const stepChecks: StepCheck[] = [dangerousWithoutWarning, ...fidelityChecks];
const planChecks: ((plan: RunbookPlan) => RunbookDiagnostic[])[] = [untypedParameters, placeholderFindings];

function dangerousWithoutWarning(step: RunbookStep, plan: RunbookPlan): RunbookDiagnostic[] {
  if (step.risk !== 'dangerous' || step.attributes.confirm === 'true' || step.kind === 'reference' || warnedAbout(plan, step)) return [];
  return [{
    line: step.line,
    severity: 'warning',
    code: 'dangerous-without-warning',
    message: `step ${step.id} is dangerous (${firstReason(step)}) and nothing near it warns the reader: add a warning callout or a comment, or mark the fence confirm=true`,
  }];
}

function untypedParameters(plan: RunbookPlan): RunbookDiagnostic[] {
  const findings: RunbookDiagnostic[] = [];
  for (const parameter of plan.parameters) {
    if (parameter.typed) continue;
    const user = plan.steps.find((s) => s.parameters.some((p) => p.name === parameter.name));
    findings.push({
      line: user?.line ?? 1,
      severity: 'warning',
      code: 'untyped-parameter',
      message: `parameter ${parameter.name} (${parameter.placeholders.join(', ')}) has no type: declare it in the frontmatter parameters with a type`,
    });
  }
  return findings;
}

function firstReason(step: RunbookStep): string {
  return step.statements.find((s) => s.risk === 'dangerous')?.reasons[0] ?? 'dangerous';
}

/** A warning word in the step's own comment, its section heading, or the prose and callouts just before its block. */
function warnedAbout(plan: RunbookPlan, step: RunbookStep): boolean {
  if (step.title && warningWords.test(step.title)) return true;
  const section = plan.sections.find((s) => s.blocks.some((b) => (b.type === 'code' || b.type === 'checklist') && b.stepIds.includes(step.id)));
  if (!section) return false;
  if (warningWords.test(section.heading)) return true;
  const index = section.blocks.findIndex((b) => (b.type === 'code' || b.type === 'checklist') && b.stepIds.includes(step.id));
  const block = section.blocks[index]!;
  if (block.type === 'code') {
    const before = block.text.split('\n').slice(0, Math.max(0, step.line - block.line - 1));
    if (before.some((line) => /^\s*(#|--)/.test(line) && warningWords.test(line))) return true;
  }
  return section.blocks.slice(Math.max(0, index - 2), index).some((b: RunbookBlock) => (b.type === 'callout' && (b.kind === 'warning' || b.kind === 'caution' || b.kind === 'important')) || (b.type === 'prose' && warningWords.test(b.markdown)) || (b.type === 'callout' && warningWords.test(b.markdown)));
}

/** `path:line: error|warning: code: message`, one per finding. */
export function formatFinding(path: string, finding: RunbookDiagnostic): string {
  return `${path}:${finding.line}: ${finding.severity}: ${finding.code}: ${finding.message}`;
}
