import { basename } from 'node:path';
import type { SqlRunResult, TemplateRef } from '../../shared/contract';
import type { RunbookParameter, RunbookPlan } from '../../shared/runbook';
import type { SqlClassification } from '../../shared/risk';
import {
  templateInputSchema,
  type QueryTemplateView,
  type TemplateInput,
  type TemplateParam,
} from '../../shared/template';
import { OpsError, parseInput } from '../errors';
import type { ReadOnlyQueries } from '../postgres/read-lookup';
import type { SafeExecutor } from '../postgres/safe-executor';
import { redactStrings, type Redactor } from '../redaction';
import { findBindMarkers, quoteIdentifier, spliceIdentifiers } from './bind-markers';
import { coerceParam, identifierParts, refusedValue } from './param-values';
import type { TemplateRepository } from './template-repository';

export interface TemplateServiceDeps {
  repository: TemplateRepository;
  executor: Pick<SafeExecutor, 'run'>;
  /** Enum values and identifier checks: the console's own reads, classified and read-only. */
  lookups: Pick<ReadOnlyQueries, 'queryReadOnly'>;
  /** A runbook of the library by path, or one given as text (named by its file's name). */
  openRunbook(source: { path: string } | { text: string; name: string }): Promise<RunbookPlan>;
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  /** The one redactor: secret parameter values are remembered before they are bound, so a Postgres error quoting one is masked. */
  redactor?: Pick<Redactor, 'remember' | 'text'>;
  /** The saved query files (read again on each call: the folder is the operator's, edited with git). */
  files?: () => QueryTemplateView[];
}

/** A template made ready to run: the text with identifiers quoted in, the binds, the parameters as recorded. */
export interface RenderedTemplate {
  sql: string;
  values: unknown[];
  parameters: { name: string; value: unknown; secret: boolean }[];
}

const redacted = '[redacted]';

const runbookTypes: Record<RunbookParameter['type'], TemplateParam['type']> = {
  string: 'text',
  int: 'bigint',
  number: 'numeric',
  boolean: 'bool',
  enum: 'enum',
  identifier: 'identifier',
  interval: 'interval',
  timestamp: 'timestamptz',
};

/** Query templates from the library and from runbooks: resolved, validated, bound, run safely. */
export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  /** The library's templates, then the saved query files (those with a bad header too, with their error). */
  list(): QueryTemplateView[] {
    return [...this.deps.repository.list(), ...(this.deps.files?.() ?? [])];
  }

  save(input: TemplateInput): QueryTemplateView {
    if (input.id?.startsWith('file:'))
      throw new OpsError(
        'invalid_input',
        `"${input.name}" is a saved query file (${input.id.slice(5)}): edit the file itself; the library reads it again.`,
      );
    const template = parseInput(templateInputSchema, input, 'template');
    const highest = Math.max(0, ...findBindMarkers(template.sql).map((m) => m.index));
    if (highest > template.params.length)
      throw new OpsError(
        'invalid_input',
        `template.sql uses $${highest} but only ${template.params.length} parameter(s) are declared: add them, in $n order.`,
      );
    return this.deps.repository.save(template);
  }

  remove(id: string): void {
    this.deps.repository.remove(id);
  }

  async resolve(ref: TemplateRef): Promise<QueryTemplateView> {
    if ('name' in ref) {
      const found = this.deps.repository.find(ref.name) ?? this.file(ref.name);
      if (!found)
        throw new OpsError(
          'not_found',
          `No template named "${ref.name}" in the library or the saved query files: list them with "opsconsole templates list" or in the Templates panel.`,
        );
      if (found.error)
        throw new OpsError('invalid_input', `The saved query "${found.name}" cannot run: ${found.error}`);
      return found;
    }
    const source = 'text' in ref ? { text: ref.text, name: basename(ref.runbook) } : { path: ref.runbook };
    return this.fromRunbook(await this.deps.openRunbook(source), ref.step, ref.runbook);
  }

  private file(name: string): QueryTemplateView | undefined {
    const key = name.trim().toLowerCase();
    const files = this.deps.files?.() ?? [];
    return (
      files.find((f) => f.name.toLowerCase() === key && !f.error) ?? files.find((f) => f.name.toLowerCase() === key)
    );
  }

  /** A runbook's named SQL step as a template (its placeholders become typed parameters). */
  fromRunbook(plan: RunbookPlan, stepId: string, where = plan.path ?? plan.title): QueryTemplateView {
    const step = plan.steps.find((s) => s.id === stepId);
    if (!step)
      throw new OpsError(
        'not_found',
        `Runbook ${where} has no step "${stepId}": its steps are ${plan.steps.map((s) => s.id).join(', ') || 'none'}.`,
      );
    if (step.target !== 'postgres')
      throw new OpsError(
        'invalid_input',
        `Step "${stepId}" of ${where} is not Postgres SQL (it targets ${step.target ?? 'nothing'}).`,
      );
    const params = (step.template?.parameters ?? []).map((name) =>
      fromRunbook(
        plan.parameters.find((p) => p.name === name),
        name,
      ),
    );
    let sql = step.template?.sql ?? step.text;
    params.forEach((param, i) => {
      if (param.type === 'identifier')
        sql = sql.replace(new RegExp(`\\bparam_${param.name.replace(/\W/g, '_')}\\b`, 'g'), `$${i + 1}`);
    });
    return { id: `${where}#${step.id}`, name: step.title ?? step.id, description: '', sql, params, source: 'runbook' };
  }

  async param(ref: TemplateRef, name: string): Promise<TemplateParam> {
    const template = await this.resolve(ref);
    const param = template.params.find((p) => p.name === name);
    if (!param)
      throw new OpsError(
        'not_found',
        `param "${name}" is not a parameter of template "${template.name}" (it has ${template.params.map((p) => p.name).join(', ') || 'none'}).`,
      );
    return param;
  }

  /** The values an enum parameter may take (its fixed list, or its read-only query run on the profile). */
  async enumValues(profileId: string, param: TemplateParam): Promise<string[]> {
    if (!param.enumQuery) return param.enum ?? [];
    const verdict = await this.deps.classify(param.enumQuery, profileId);
    if (verdict.risk !== 'read')
      throw new OpsError(
        'refused',
        `The values query of params.${param.name} is ${verdict.risk}, not a read: fix the template so it only reads.`,
      );
    const rows = await this.deps.lookups.queryReadOnly(profileId, param.enumQuery);
    return rows.map((row) => String(row[0]));
  }

  /** Validates every value, checks identifiers against the catalog, and binds the rest as $n. */
  async render(
    profileId: string,
    template: QueryTemplateView,
    raw: Record<string, unknown>,
  ): Promise<RenderedTemplate> {
    const known = new Set(template.params.map((p) => p.name));
    for (const name of Object.keys(raw)) {
      if (!known.has(name))
        throw new OpsError(
          'invalid_input',
          `params.${name} is not a parameter of template "${template.name}" (it has ${[...known].join(', ') || 'none'}).`,
        );
    }
    const binds: unknown[] = [];
    const identifiers = new Map<number, string>();
    const parameters: RenderedTemplate['parameters'] = [];
    for (const [i, param] of template.params.entries()) {
      // Remembered before it is checked: a refusal (or anything logged on the way) is masked too.
      if (param.secret) this.deps.redactor?.remember(givenValues(param, raw[param.name]));
      const { value, display } = coerceParam(param, raw[param.name]);
      if (param.secret) this.deps.redactor?.remember([display, ...(Array.isArray(value) ? value : [value])]);
      parameters.push({ name: param.name, value: param.secret ? redacted : display, secret: param.secret });
      if (param.type === 'enum' && value !== null)
        await this.checkEnum(profileId, param, Array.isArray(value) ? value : [value]);
      if (param.type === 'identifier') {
        if (value === null)
          throw new OpsError('invalid_input', `params.${param.name} is required: an identifier cannot be left empty.`);
        const names = Array.isArray(value) ? (value as string[]) : [value as string];
        const quoted = await Promise.all(names.map((name) => this.checkIdentifier(profileId, param, name)));
        identifiers.set(i + 1, quoted.join(', '));
      }
      binds.push(value);
    }
    const { sql, order } = spliceIdentifiers(template.sql, identifiers);
    return { sql, values: order.map((position) => binds[position - 1]), parameters };
  }

  async run(input: {
    profileId: string;
    template: TemplateRef | QueryTemplateView;
    params: Record<string, unknown>;
    incidentId?: string;
    readsOnly?: boolean;
  }): Promise<SqlRunResult> {
    const template = 'sql' in input.template ? input.template : await this.resolve(input.template);
    const rendered = await this.render(input.profileId, template, input.params);
    const run = this.deps.executor.run({
      profileId: input.profileId,
      sql: rendered.sql,
      values: rendered.values,
      parameters: rendered.parameters,
      incidentId: input.incidentId,
      readsOnly: input.readsOnly,
    });
    // The server's messages may quote a secret value (invalid input syntax for type integer: "…").
    const redact = this.deps.redactor?.text;
    if (!redact || !rendered.parameters.some((p) => p.secret)) return run;
    try {
      return redactStrings(await run, redact);
    } catch (error) {
      throw error instanceof OpsError ? new OpsError(error.code, redact(error.message), { cause: error }) : error;
    }
  }

  private async checkEnum(profileId: string, param: TemplateParam, values: unknown[]): Promise<void> {
    const allowed = await this.enumValues(profileId, param);
    for (const value of values) {
      if (!allowed.includes(String(value)))
        throw new OpsError(
          'invalid_input',
          `params.${param.name} must be one of ${allowed.slice(0, 20).join(', ')}${allowed.length > 20 ? ' …' : ''}; ${refusedValue(param, String(value), 60)} is not.`,
        );
    }
  }

  /** Finds the name in the catalog (bound as values, of course) and returns it quoted. */
  private async checkIdentifier(profileId: string, param: TemplateParam, name: string): Promise<string> {
    const parts = identifierParts(param, name);
    const kind = param.identifierKind ?? 'table';
    const [first, second] = parts;
    const lookup =
      kind === 'schema'
        ? { sql: 'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', values: [first] }
        : kind === 'table'
          ? {
              sql: `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relname = $1 AND c.relkind IN ('r','v','m','p','f')
                      AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = $2::text END`,
              values: second === undefined ? [first, null] : [second, first],
            }
          : {
              sql: `SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                    WHERE a.attname = $1 AND a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.pg_table_is_visible(c.oid)
                      AND ($2::text IS NULL OR c.relname = $2::text) LIMIT 1`,
              values: second === undefined ? [first, null] : [second, first],
            };
    const rows = await this.deps.lookups.queryReadOnly(profileId, lookup.sql, lookup.values);
    if (rows.length === 0)
      throw new OpsError(
        'invalid_input',
        `params.${param.name} names no ${kind} ${refusedValue(param, name, 130)} in the database: check the spelling (names are case-sensitive).`,
      );
    return parts.map(quoteIdentifier).join('.');
  }
}

/** What was typed for a secret parameter: whole, trimmed, and item by item for a list (comma-separated text). */
function givenValues(param: TemplateParam, raw: unknown): unknown[] {
  const given = Array.isArray(raw) ? raw : [raw];
  const texts = given.filter((item): item is string => typeof item === 'string');
  const items = param.list ? texts.flatMap((text) => text.split(',')) : texts;
  return [...given, ...items, ...items.map((item) => item.trim())];
}

function fromRunbook(param: RunbookParameter | undefined, name: string): TemplateParam {
  return {
    name,
    type: param ? runbookTypes[param.type] : 'text',
    list: false,
    required: param?.default === undefined,
    secret: param?.secret ?? false,
    ...(param?.default !== undefined ? { default: String(param.default) } : {}),
    ...(param?.enum ? { enum: param.enum } : {}),
    ...(param?.pattern ? { pattern: param.pattern } : {}),
    ...(param?.description ? { description: param.description } : {}),
  };
}
