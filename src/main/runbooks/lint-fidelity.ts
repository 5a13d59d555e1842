import type { RunbookDiagnostic, RunbookPlan, RunbookStep } from '../../shared/runbook';
import { psqlOutputNote } from './fence-steps';
import { mixedOutputNote } from './prompts';

/** One lint check over a step: each returns its findings, with the line and the fix. */
export type StepCheck = (step: RunbookStep, plan: RunbookPlan) => RunbookDiagnostic[];

const finding = (line: number, code: string, message: string): RunbookDiagnostic[] => [{ line, severity: 'warning', code, message }];

/**
 * What the importer had to guess about a runbook written for people: each guess is reported
 * where it happened, with what the author can write instead so that no guess is needed.
 */
export const fidelityChecks: StepCheck[] = [
  (step) => (step.notes.includes(psqlOutputNote) ? finding(step.endLine + 1, 'sql-output-mixed', `psql output lines mixed with the statement of step ${step.id}: kept as its expected output; move them into a \`\`\`text block after "Output:"`) : []),
  (step) => (step.notes.includes(mixedOutputNote) ? finding(step.endLine + 1, 'output-mixed', `output lines mixed with the commands of step ${step.id}: add a "$ " prompt before each command, or split the output into its own block`) : []),
  (step) =>
    step.statements.some((s) => s.reasons.some((r) => r.startsWith('does not parse as shell')))
      ? finding(step.line, 'shell-parse', `step ${step.id} does not parse as shell (an unclosed quote or here-document): fix it, the console judges it unknown until then`)
      : [],
  (step, plan) => (step.sniffed && firstOfBlock(step, plan) ? finding(step.line, 'unlabelled-fence', `step ${step.id} comes from an unlabelled block read as ${step.sniffed.language} (confidence ${step.sniffed.confidence}): label the fence \`\`\`${step.sniffed.language === 'shell' ? 'bash' : step.sniffed.language}`) : []),
  (step) =>
    step.kind === 'reference' && step.risk !== 'read'
      ? finding(step.line, 'risky-reference', `the ${step.language ?? 'unlabelled'} block of step ${step.id} calls something ${step.risk} (${step.statements.find((s) => s.risk === step.risk)?.text.slice(0, 60)}): the console does not run it; if the operator must, give it as a \`\`\`sql or \`\`\`redis step`)
      : [],
  (step) => (step.runsIn && !/from the prompt/.test(step.runsIn) && step.kind === 'shell' ? finding(step.line, 'runs-inside-hop', `step ${step.id} is typed inside ${step.runsIn}: write it as one command (kubectl exec POD -- CMD, ssh HOST CMD) so it runs where it is meant`) : []),
  (step) => (step.mentioned ? finding(step.line, 'mentioned-command', `the inline command of step ${step.id} is offered as an optional step: put it in a \`\`\`bash block if the reader must run it`) : []),
];

/** One finding per block: the block's first step carries it. */
function firstOfBlock(step: RunbookStep, plan: RunbookPlan): boolean {
  for (const section of plan.sections) for (const block of section.blocks) if (block.type === 'code' && block.stepIds.includes(step.id)) return block.stepIds[0] === step.id;
  return true;
}

/** Placeholders in spellings a reader may miss: `[NAME]`, REPLACE_ME. */
export function placeholderFindings(plan: RunbookPlan): RunbookDiagnostic[] {
  return plan.parameters.flatMap((parameter) => {
    const odd = parameter.placeholders.filter((p) => /^\[.*\]$|^(REPLACE|CHANGE)/i.test(p));
    if (odd.length === 0) return [];
    const user = plan.steps.find((s) => s.parameters.some((p) => p.name === parameter.name));
    return finding(user?.line ?? 1, 'placeholder-spelling', `${odd.join(', ')} is read as the parameter ${parameter.name}: write it as {{${parameter.name}}} so every reader sees it must be replaced`);
  });
}
