import type { RunbookDiagnostic, RunbookFrontmatter, RunbookParameter, RunbookStep } from '../../shared/runbook';
import { findPlaceholders, inferParameterType, isConnectionVariable, isEnvironmentVariable, type PlaceholderHit } from './placeholders';
import type { StepDraft } from './step-draft';

/** Characters that mean something to a shell; in a default they are suspect even though quoted. */
const shellMetacharacters = /[$`;&|<>()'"\\\n\r]/;

/**
 * A secret parameter cannot have a default: the operator would run a value nobody sees (the
 * field shows dots, the timeline "[redacted]"), chosen by whoever wrote the file. The default is
 * dropped (true returned) and reported as an error. A default with shell metacharacters is a
 * warning: it is quoted as data when sent, but a reviewer should see it.
 */
function defaultFindings(name: string, secret: boolean, value: string | number | boolean, diagnostics: RunbookDiagnostic[]): boolean {
  if (secret) {
    diagnostics.push({ line: 1, severity: 'error', code: 'secret-default', message: `parameter ${name} is secret and has a default: remove the default from the frontmatter (the console asks the operator for it; the default was ignored)` });
    return true;
  }
  if (typeof value === 'string' && shellMetacharacters.test(value)) {
    diagnostics.push({ line: 1, severity: 'warning', code: 'default-metacharacters', message: `parameter ${name} has a default with shell metacharacters (${JSON.stringify(value)}): it is sent quoted, as data, but check it is what you mean` });
  }
  return false;
}

/** The runbook's parameters, shared by its steps: each is filled once per run. */
export class ParameterRegistry {
  private readonly byName = new Map<string, RunbookParameter>();

  /**
   * `unusable`: the parameters whose declaration the frontmatter's errors made unreadable, by name
   * (`*`: any parameter not declared validly), as splitFrontmatter reports them.
   */
  constructor(
    frontmatter: RunbookFrontmatter,
    diagnostics: RunbookDiagnostic[] = [],
    private readonly unusable: Record<string, string> = {},
  ) {
    for (const declared of frontmatter.parameters ?? []) {
      const secret = declared.secret || inferParameterType(declared.name).secret;
      const keepDefault = declared.default !== undefined && !defaultFindings(declared.name, secret, declared.default, diagnostics);
      this.byName.set(declared.name, {
        name: declared.name,
        type: declared.type,
        secret,
        source: 'frontmatter',
        typed: true,
        placeholders: [],
        ...(keepDefault ? { default: declared.default } : {}),
        ...(declared.enum ? { enum: declared.enum } : {}),
        ...(declared.pattern ? { pattern: declared.pattern } : {}),
        ...(declared.description ? { description: declared.description } : {}),
      });
    }
  }

  /** Records a placeholder as written; returns the parameter it belongs to. */
  use(hit: PlaceholderHit, overrides: { secret?: boolean; default?: string } = {}): RunbookParameter {
    let parameter = this.byName.get(hit.name);
    if (!parameter) {
      const unusable = this.unusable[hit.name] ?? this.unusable['*'];
      parameter = { name: hit.name, ...inferParameterType(hit.name), source: 'placeholder', placeholders: [], ...(unusable ? { unusable } : {}) };
      this.byName.set(hit.name, parameter);
    }
    if (!parameter.placeholders.includes(hit.raw)) parameter.placeholders.push(hit.raw);
    if (overrides.secret && !parameter.secret) Object.assign(parameter, { secret: true, typed: true, type: 'string' });
    if (overrides.default !== undefined && parameter.default === undefined && !parameter.secret) parameter.default = overrides.default;
    return parameter;
  }

  get(name: string): RunbookParameter | undefined {
    return this.byName.get(name);
  }

  list(): RunbookParameter[] {
    return [...this.byName.values()];
  }
}

/** Variables the block sets itself (`FOO=…`, `export FOO=…`, `for x in`, `read x`): not parameters. */
export function assignedVariables(blockText: string): Set<string> {
  const names = new Set<string>();
  for (const m of blockText.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=/g)) names.add(m[1]!);
  for (const m of blockText.matchAll(/\b(?:for|read(?:\s+-\w+)*|select)\s+([A-Za-z_]\w*)/g)) names.add(m[1]!);
  return names;
}

const secretHeaders = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|private-token|x-auth-token|x-access-token|job-token|x-gitlab-token|cookie)$/i;

/**
 * Finds a step's parameters: placeholders in its text, and for HTTP steps the credential a header
 * carries (a literal token becomes a secret parameter so it is never stored in the plan).
 */
/** A credential found in a step: the literal and what replaced it (also to mask in the block shown). */
export type Redaction = [literal: string, replacement: string];

export function collectStepParameters(draft: StepDraft, step: RunbookStep, registry: ParameterRegistry, assigned: Set<string>, diagnostics: RunbookDiagnostic[]): Redaction[] {
  const redactions: Redaction[] = [];
  const used = new Map<string, RunbookParameter>();
  const secretNames = new Set<string>();
  for (const header of draft.http?.headers ?? []) {
    if (!secretHeaders.test(header.name)) continue;
    const hits = findPlaceholders(header.value, 'http');
    if (hits.length > 0) hits.forEach((h) => secretNames.add(h.name));
    else {
      const scheme = /^(Bearer|Basic|Token)\s+/i.exec(header.value);
      const name = scheme ? `${scheme[1]!.toLowerCase()}_token` : header.name.toLowerCase().replace(/^x-/, '').replace(/-/g, '_');
      const raw = header.value.slice(scheme?.[0].length ?? 0);
      used.set(name, registry.use({ name, raw: `{{${name}}}`, index: 0 }, { secret: true }));
      step.text = step.text.split(raw).join(`{{${name}}}`);
      step.statements = step.statements.map((s) => ({ ...s, text: s.text.split(raw).join(`{{${name}}}`) }));
      header.value = `${scheme?.[0] ?? ''}{{${name}}}`;
      redactions.push([raw, `{{${name}}}`]);
      if (!fillerValue.test(raw)) diagnostics.push({ line: step.line, severity: 'warning', code: 'literal-credential', message: `step ${step.id} has a credential written in the runbook (${header.name} header): remove it from the file and rotate it; the console asks for it as the secret parameter ${name}` });
    }
  }
  const mode = step.kind === 'sql' ? 'sql' : step.kind === 'redis' ? 'redis' : step.kind === 'http' ? 'http' : 'shell';
  // SQL is searched as SQL (psql :variables, literals skipped); the command around it as shell.
  const found = draft.sql
    ? [...findPlaceholders(draft.sql.text, 'sql').filter((h) => mode === 'sql' || h.raw.startsWith(':')), ...findPlaceholders(draft.placeholderText, mode === 'sql' ? 'shell' : mode)]
    : findPlaceholders(draft.placeholderText, mode);
  const hits = found.filter((hit, i) => found.findIndex((other) => other.name === hit.name && other.raw === hit.raw) === i);
  for (const hit of hits) {
    const isVariable = hit.raw.startsWith('$');
    if (isVariable && isConnectionVariable(hit.name)) {
      if (step.connection && !step.connection.profileVariables.includes(hit.name)) step.connection.profileVariables.push(hit.name);
      continue;
    }
    if (isVariable && (isEnvironmentVariable(hit.name) || assigned.has(hit.name))) continue;
    if (hit.raw.startsWith(':') && draft.variables && hit.name in draft.variables) {
      used.set(hit.name, registry.use(hit, { default: draft.variables[hit.name] }));
      continue;
    }
    used.set(hit.name, registry.use(hit, { secret: secretNames.has(hit.name) || inSecretPosition(draft.placeholderText, hit.raw) }));
  }
  for (const parameter of scrubCredentials(draft, step, registry, diagnostics, redactions)) used.set(parameter.name, parameter);
  step.parameters = [...used.values()].map((p) => ({ name: p.name, type: p.type, secret: p.secret }));
  return redactions;
}

/** Where a value is a credential whatever its name: `Authorization: Bearer <x>`, `password=<x>`, `--token <x>`, `postgres://u:<x>@`. */
const secretPosition = /(?:authorization:\s*(?:bearer|basic|token)?\s*|(?:password|passwd|pwd|token|secret|api[_-]?key|access[_-]?key|auth)[=:]\s*['"]?|--(?:password|token|secret|api-key|auth)[=\s]+['"]?|-a\s+['"]?|:\/\/[^\s:@/]+:)$/i;

function inSecretPosition(text: string, raw: string): boolean {
  for (let at = text.indexOf(raw); at >= 0; at = text.indexOf(raw, at + 1)) if (secretPosition.test(text.slice(Math.max(0, at - 60), at))) return true;
  return false;
}

/** Values authors write where a credential goes (CHANGEME, xxx:yyy): replaced, but nothing to rotate. */
const fillerValue = /^(change-?me|x+(:y+)?|secret|password|pass|token|secure-token|redacted|example|your[\w-]*|\*+|\.{3}|<[^>]*>)$/i;

/** `PGPASSWORD=…`, `API_TOKEN=…`, `redis-cli -a …`, `postgres://user:…@`: literal credentials as written. */
const credentialPatterns: { pattern: RegExp; name: (m: RegExpMatchArray) => string; hint: RegExp }[] = [
  { pattern: /\b([A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|AUTH))=(['"]?)([^\s'"$<{][^\s'"]*)\2/g, name: (m) => m[1]!.toLowerCase(), hint: /(PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|AUTH)=/ },
  { pattern: /(?<=(?:^|[\s/])redis-cli\b[^\n|;]*?\s(?:-a|--pass)\s+)(['"]?)([^\s'"$<{-][^\s'"]*)\1/gm, name: () => 'redis_password', hint: /redis-cli[^\n]*\s(-a|--pass)\s/ },
  { pattern: /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)()([^\s@/$<{]+)(?=@)/g, name: () => 'url_password', hint: /:\/\/[^\s:@/]+:[^\s@/]*@/ },
];

/**
 * Replaces literal credentials everywhere in a step (text, statements, reasons, notes, flags)
 * with a secret parameter, so a password pasted into a runbook never reaches the renderer, the
 * incident report or a log.
 */
function scrubCredentials(draft: StepDraft, step: RunbookStep, registry: ParameterRegistry, diagnostics: RunbookDiagnostic[], redactions: Redaction[]): RunbookParameter[] {
  const found: RunbookParameter[] = [];
  const profileAnswers = step.target === 'postgres' || step.target === 'redis';
  const source = `${draft.placeholderText}\n${step.text}`;
  const seen = new Set<string>();
  for (const { pattern, name, hint } of credentialPatterns) {
    // The lookbehinds are costly on every position: look only where a cheap hint says to.
    if (!hint.test(source)) continue;
    for (const m of source.matchAll(pattern)) {
      const literal = m[3] ?? m[2]!;
      if (!literal || seen.has(literal) || /^(X+|\*+|\.{3})$/.test(literal)) continue;
      seen.add(literal);
      const parameterName = name(m);
      // The profile holds the database's password: the step needs no parameter, only the literal gone.
      const connectionSecret = profileAnswers && /^(pgpassword|rediscli_auth|redis_password|url_password)$/.test(parameterName);
      if (!connectionSecret) found.push(registry.use({ name: parameterName, raw: `{{${parameterName}}}`, index: 0 }, { secret: true }));
      const replacement = connectionSecret ? '********' : `{{${parameterName}}}`;
      const escaped = JSON.stringify(literal).slice(1, -1);
      Object.assign(step, JSON.parse(JSON.stringify(step).split(escaped).join(replacement)));
      redactions.push([literal, replacement]);
      if (!fillerValue.test(literal)) {
        diagnostics.push({ line: step.line, severity: 'warning', code: 'literal-credential', message: `step ${step.id} has a credential written in the runbook (${parameterName}): remove it from the file and rotate it; the console ${connectionSecret ? "uses the profile's password" : `asks for it as the secret parameter ${parameterName}`}` });
      }
    }
  }
  return found;
}
