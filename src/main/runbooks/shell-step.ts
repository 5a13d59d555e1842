import { worstRisk } from '../../shared/risk';
import type { Risk } from '../../shared/runbook';
import { readClient } from './clients';
import { redisRisk } from './redis-risk';
import { judgeShell } from './shell-judge';
import type { ShellSegment } from './shell-lexer';
import { segmentRisk } from './shell-risk';
import { ShellSyntaxError } from './shell-syntax';
import type { StepDraft } from './step-draft';

/** A shell step judged on the shell grammar, or by the lexer (never better than unknown) where the grammar refuses it. */
export function shellStep(command: string, start: number, end: number, segments: ShellSegment[]): StepDraft {
  const text = command.trim();
  const step: StepDraft = { offset: start, endOffset: end, kind: 'shell', target: 'terminal', text, placeholderText: command, notes: [], statements: [] };
  try {
    const judged = judgeShell(command);
    step.statements = [{ text, risk: judged.risk, reasons: judged.reasons }];
    if (judged.commands.length > 1) step.commands = judged.commands.map(({ text: command, risk, reasons }) => ({ text: command, risk, reasons }));
    if (judged.sql.length > 0) step.sql = { text: judged.sql.map((q) => q.trim().replace(/;$/, '')).join(';\n'), role: 'embedded' };
    if (judged.tree.features.has('substitution')) step.notes.push('contains a command substitution: check what it expands to before running');
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    // Judged by the old lexer, and never better than unknown: the shell will not read it as shown.
    const fallback = lexedRisk(segments);
    step.statements = [{ text, risk: worstRisk([fallback.risk, 'unknown']), reasons: [`does not parse as shell (${error.message}): fix the quoting before running`, ...fallback.reasons] }];
    const embedded = segments.map((s) => readClient(s)).find((c) => c?.kind === 'psql');
    if (embedded?.kind === 'psql') step.sql = { text: embedded.sql.join('\n'), role: 'embedded' };
  }
  return step;
}

/** Risk from the lexer's segments, for text the shell grammar rejects. */
function lexedRisk(segments: ShellSegment[]): { risk: Risk; reasons: string[] } {
  const reasons: string[] = [];
  const risks = segments.map((segment) => {
    const own = segmentRisk(segment);
    const client = readClient(segment);
    if (client?.kind === 'redis' && client.commands.length > 0) {
      const verdicts = client.commands.map(redisRisk);
      reasons.push(...verdicts.flatMap((v) => v.reasons));
      return worstRisk(verdicts.map((v) => v.risk));
    }
    reasons.push(...own.reasons);
    return client?.kind === 'psql' ? 'read' : own.risk;
  });
  return { risk: worstRisk(risks), reasons: [...new Set(reasons)] };
}

