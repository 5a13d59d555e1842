import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OpsError } from '../../main/errors';
import { formatFinding } from '../../main/runbooks/lint';
import { RunbookService } from '../../main/runbooks/runbook-service';
import type { RunbookPlan } from '../../shared/runbook';
import { defineCommand } from '../command';

/**
 * The runbook commands need no data folder (no store, no keychain): they read markdown and
 * classify it, so they run as well in a runbooks repository's CI as on the operator's laptop.
 */
function service(): RunbookService {
  return new RunbookService({
    bundledDir: fileURLToPath(new URL('../../../runbooks', import.meta.url)),
    folders: () => [],
  });
}

async function requireExisting(path: string): Promise<void> {
  if (!(await stat(path).catch(() => undefined)))
    throw new OpsError('invalid_input', `path ${path} does not exist: give a markdown file or a folder.`);
}

export const runbookInspectCommand = defineCommand({
  path: ['runbook', 'inspect'],
  summary: 'Import a markdown runbook and print its steps (kind, target, risk, statements, parameters)',
  usage: 'FILE [--json]',
  options: {},
  light: {},
  async run({ positionals }) {
    if (positionals.length !== 1)
      throw new OpsError('invalid_input', 'Give exactly one FILE: opsconsole runbook inspect FILE [--json].');
    const file = positionals[0]!;
    await requireExisting(file);
    const plan = await service().importFile(file);
    return { value: inspectDocument(plan), text: inspectText(plan) };
  },
});

export const runbookLintCommand = defineCommand({
  path: ['runbook', 'lint'],
  summary: 'Lint markdown runbooks (folders are walked for *.md); exit 1 when there are errors',
  usage: 'PATH… [--json]',
  options: {},
  light: {},
  async run({ positionals }) {
    if (positionals.length === 0)
      throw new OpsError(
        'invalid_input',
        'Give at least one PATH (a markdown file or a folder): opsconsole runbook lint PATH… [--json].',
      );
    for (const path of positionals) await requireExisting(path);
    const report = await service().lint(positionals);
    const lines = report.files.flatMap((file) => file.findings.map((finding) => formatFinding(file.path, finding)));
    lines.push(`${report.files.length} file(s): ${report.errors} error(s), ${report.warnings} warning(s)`);
    return { value: report, text: lines.join('\n'), exitCode: report.errors > 0 ? 1 : 0 };
  },
});

/** The document `runbook inspect --json` promises (issue #9), plus the plan's other fields. */
function inspectDocument(plan: RunbookPlan) {
  return {
    title: plan.title,
    path: plan.path,
    metadata: plan.metadata,
    parameters: plan.parameters,
    steps: plan.steps.map((step) => ({
      id: step.id,
      line: step.line,
      section: step.section,
      kind: step.kind,
      target: step.target,
      text: step.text,
      statements: step.statements,
      risk: step.risk,
      parameters: step.parameters,
      ...(step.title ? { title: step.title } : {}),
      language: step.language,
      confirm: step.confirm,
      notes: step.notes,
      ...(step.connection ? { connection: step.connection } : {}),
      ...(step.engine ? { engine: step.engine } : {}),
      ...(step.http ? { http: step.http } : {}),
      ...(step.redis ? { redis: step.redis } : {}),
      ...(step.template ? { template: step.template } : {}),
      ...(step.checked !== undefined ? { checked: step.checked } : {}),
      ...(Object.keys(step.attributes).length > 0 ? { attributes: step.attributes } : {}),
      ...pick(step, ['expectedOutput', 'runsIn', 'script', 'commands', 'mentioned', 'sniffed']),
    })),
    diagnostics: plan.diagnostics,
  };
}

/** The optional fields the step has, as they are. */
function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Partial<
    Pick<T, K>
  >;
}

function inspectText(plan: RunbookPlan): string {
  const lines = [plan.title, ''];
  for (const step of plan.steps) {
    const first = step.text.split('\n')[0]!;
    const target = step.target ? `→${step.target}` : '';
    lines.push(
      `${String(step.line).padStart(5)}  ${step.risk.padEnd(9)} ${(step.kind + target).padEnd(18)} ${step.id}`,
    );
    lines.push(`       ${first.length > 100 ? `${first.slice(0, 97)}…` : first}`);
    if (step.runsIn) lines.push(`       runs in: ${step.runsIn}`);
    if (step.parameters.length > 0)
      lines.push(
        `       parameters: ${step.parameters.map((p) => `${p.name}:${p.type}${p.secret ? ' (secret)' : ''}`).join(', ')}`,
      );
  }
  if (plan.parameters.length > 0) lines.push('', `parameters: ${plan.parameters.map((p) => p.name).join(', ')}`);
  for (const d of plan.diagnostics) lines.push(`${plan.path ?? ''}:${d.line}: ${d.severity}: ${d.code}: ${d.message}`);
  return lines.join('\n');
}
