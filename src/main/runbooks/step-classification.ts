import { worstRisk, type SqlClassification } from '../../shared/risk';
import type { RunbookDiagnostic, RunbookStatement, RunbookStep } from '../../shared/runbook';
import { parseErrorOf, type SqlClassifier } from './classifier';
import type { ParameterRegistry } from './parameters';
import { findPlaceholders } from './placeholders';
import type { StepDraft } from './step-draft';
import { decidedRisk } from './value-positions';

/**
 * Gives a step its statements and risk: SQL through the classifier (placeholders bound as `$n`,
 * as they will be at run time), shell, Redis and HTTP from what the draft already knows.
 */
export async function classifyStep(draft: StepDraft, step: RunbookStep, classify: SqlClassifier, registry: ParameterRegistry, diagnostics: RunbookDiagnostic[]): Promise<void> {
  if (draft.sql) {
    const bound = bindPlaceholders(draft.sql.text, step, registry);
    const result = await classifySafely(classify, bound);
    if (draft.sql.role === 'statements') {
      step.statements = [...step.statements, ...statementsOf(result.classification, draft.sql.text, bound, step)];
      if (result.classification.error && step.target === 'postgres') {
        diagnostics.push({ line: step.line, severity: 'error', code: 'sql-parse', message: `SQL in step ${step.id} does not parse: ${result.classification.error}. Fix the SQL, or mark the fence target=terminal if it is not Postgres SQL.` });
      }
      // The SQL to send (psql meta-commands left out), with `$n` markers when it has parameters.
      if (!result.classification.error && step.kind !== 'reference') {
        step.template = { sql: result.sql, parameters: bound.names };
        for (const name of result.identifiers) markIdentifier(registry, name);
      }
    } else if (!result.classification.error && step.statements[0]) {
      const shell = step.statements[0];
      const risks = result.classification.classification.statements;
      // The SQL inside a shell command is named with its reasons, as the shell commands are.
      const named = risks.filter((s) => s.risk !== 'read').flatMap((s) => s.reasons.map((r) => `psql: ${s.text.replace(/\s+/g, ' ').slice(0, 60)}: ${r}`));
      step.statements = [{ text: shell.text, risk: worstRisk([shell.risk, ...risks.map((s) => s.risk)]), reasons: [...new Set([...named, ...shell.reasons])] }];
    }
  }
  if (step.kind === 'shell' && step.statements[0]) {
    const parameters = step.parameters.map((p) => registry.get(p.name)).filter((p) => p !== undefined);
    const decided = decidedRisk(step, parameters);
    const shell = step.statements[0];
    // Judged with each reviewed value, the template's own verdict (on `git {{verb}}`) is replaced, unless SQL it embeds was judged into it too.
    const replace = decided?.replaces && !draft.sql;
    if (decided) step.statements[0] = { ...shell, risk: replace ? decided.risk : worstRisk([shell.risk, decided.risk]), reasons: replace ? decided.reasons : [...new Set([...shell.reasons, ...decided.reasons])] };
  }
  step.risk = worstRisk(step.statements.map((s) => s.risk));
  if (step.risk === 'dangerous') step.confirm = true;
}

interface Verdict {
  classification: SqlClassification;
  error?: string;
}

/**
 * Classifies the SQL with its placeholders as `$n` binds; where that does not parse (a placeholder
 * stands for a table name), identifier-like placeholders become identifiers `param_<name>`, then all.
 */
async function classifySafely(classify: SqlClassifier, bound: BoundSql): Promise<{ classification: Verdict; sql: string; identifiers: string[] }> {
  const first = await attempt(classify, bound.render(new Set()));
  if (!first.error || bound.names.length === 0) return { classification: first, sql: bound.render(new Set()), identifiers: [] };
  for (const identifiers of [bound.identifierLike, new Set(bound.names)]) {
    if (identifiers.size === 0) continue;
    const sql = bound.render(identifiers);
    const verdict = await attempt(classify, sql);
    if (!verdict.error) return { classification: verdict, sql, identifiers: [...identifiers] };
  }
  return { classification: first, sql: bound.render(new Set()), identifiers: [] };
}

async function attempt(classify: SqlClassifier, sql: string): Promise<Verdict> {
  try {
    const classification = await classify(sql);
    const error = parseErrorOf(classification);
    return error ? { classification, error } : { classification };
  } catch (error) {
    return { classification: { risk: 'unknown', statements: [] }, error: (error as Error).message };
  }
}

interface BoundSql {
  /** Parameter names in order of first use: `$n` is names[n-1]. */
  names: string[];
  /** The placeholders as written, in the same order. */
  raws: string[];
  /** Names that look like identifiers: psql's :"name", or a parameter typed identifier. */
  identifierLike: Set<string>;
  /** The SQL with each placeholder as `$n`, or as `param_<name>` for the names given. */
  render(identifiers: Set<string>): string;
}

function bindPlaceholders(sql: string, step: RunbookStep, registry: ParameterRegistry): BoundSql {
  const known = new Set(step.parameters.map((p) => p.name));
  const hits = findPlaceholders(sql, 'sql').filter((h) => known.has(h.name) || registry.get(h.name)?.placeholders.includes(h.raw));
  const names: string[] = [];
  const raws: string[] = [];
  const identifierLike = new Set<string>();
  const used: typeof hits = [];
  let at = 0;
  for (const hit of hits) {
    if (hit.index < at) continue;
    if (!names.includes(hit.name)) names.push(hit.name), raws.push(hit.raw);
    if (hit.raw.startsWith(':"') || registry.get(hit.name)?.type === 'identifier') identifierLike.add(hit.name);
    used.push(hit);
    at = hit.index + hit.raw.length;
  }
  const render = (identifiers: Set<string>) => {
    const marker = (hit: (typeof used)[number]) => (identifiers.has(hit.name) ? `param_${hit.name.replace(/\W/g, '_')}` : `$${names.indexOf(hit.name) + 1}`);
    let out = '';
    let from = 0;
    for (const span of spansOf(sql, used)) {
      out += sql.slice(from, span.start) + (span.literal ? boundLiteral(sql, span, marker) : marker(span.hits[0]!));
      from = span.end;
    }
    return out + sql.slice(from);
  };
  return { names, raws, identifierLike, render };
}

interface Span {
  start: number;
  end: number;
  hits: { name: string; raw: string; index: number }[];
  /** A string literal holding placeholders, and the type written before it (`interval '…'`). */
  literal?: { cast?: string; bodyStart: number; bodyEnd: number };
}

/** Literals that hold placeholders (`'[DAYS] days'`) and bare placeholders, in order. */
function spansOf(sql: string, hits: Span['hits']): Span[] {
  const spans: Span[] = [];
  const literals = [...sql.matchAll(/(\b(?:interval|date|timestamptz|timestamp|time|numeric|jsonb|json|uuid|inet)\s+)?(?<![:\w])'((?:[^']|'')*)'/gi)];
  for (const hit of hits) {
    const m = literals.find((l) => hit.index > l.index! && hit.index + hit.raw.length < l.index! + l[0].length);
    if (!m) {
      spans.push({ start: hit.index, end: hit.index + hit.raw.length, hits: [hit] });
      continue;
    }
    const existing = spans.find((s) => s.start === m.index);
    if (existing) existing.hits.push(hit);
    else spans.push({ start: m.index!, end: m.index! + m[0].length, hits: [hit], literal: { ...(m[1] ? { cast: m[1].trim() } : {}), bodyStart: m.index! + (m[1]?.length ?? 0) + 1, bodyEnd: m.index! + m[0].length - 1 } });
  }
  return spans;
}

/** A placeholder inside a literal is bound, never pasted: `interval '[DAYS] days'` → `($1 || ' days')::interval`. */
function boundLiteral(sql: string, span: Span, marker: (hit: Span['hits'][number]) => string): string {
  const { bodyStart, bodyEnd, cast } = span.literal!;
  const parts: string[] = [];
  let at = bodyStart;
  for (const hit of span.hits) {
    if (hit.index > at) parts.push(`'${sql.slice(at, hit.index)}'`);
    parts.push(marker(hit));
    at = hit.index + hit.raw.length;
  }
  if (bodyEnd > at) parts.push(`'${sql.slice(at, bodyEnd)}'`);
  const joined = parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
  return cast ? `${joined}::${cast}` : joined;
}

function statementsOf(classification: Verdict, original: string, { names, raws }: BoundSql, step: RunbookStep): RunbookStatement[] {
  if (classification.error) {
    const reason = step.target === 'postgres' ? `does not parse as Postgres SQL: ${classification.error}` : `${step.engine ?? 'this'} SQL is not Postgres SQL: the console cannot classify it`;
    return [{ text: original.trim(), risk: 'unknown', reasons: [reason] }];
  }
  // Statements are shown with the placeholders as the author wrote them.
  return classification.classification.statements.map((s) => ({
    risk: s.risk,
    reasons: [...s.reasons],
    text: names.length === 0 ? s.text : s.text.replace(/\$(\d+)\b|param_(\w+)/g, (whole, n: string | undefined, ident: string | undefined) => {
      const index = n ? Number(n) - 1 : names.findIndex((x) => x.replace(/\W/g, '_') === ident);
      return raws[index] ?? whole;
    }),
  }));
}

function markIdentifier(registry: ParameterRegistry, name: string): void {
  const parameter = registry.get(name);
  if (parameter && !parameter.typed) Object.assign(parameter, { type: 'identifier', typed: true });
}
