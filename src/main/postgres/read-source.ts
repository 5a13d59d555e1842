import type { TemplateRef } from '../../shared/contract';
import type { RiskLevel, SqlClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import { leadingWords } from './statement-traits';

/** Free SQL or a template with its parameter values, as the operator gave them. */
export interface ReadSourceInput {
  profileId: string;
  sql?: string;
  template?: TemplateRef;
  params?: Record<string, unknown>;
}

/** One read statement ready to stream: bound values never spliced, parameters as recorded. */
export interface ReadSource {
  sql: string;
  values: unknown[];
  parameters?: { name: string; value: unknown; secret: boolean }[];
  risk: RiskLevel;
}

export interface ReadSourceDeps {
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  /** Renders a template (validated, identifiers checked and quoted, the rest bound as $n). */
  renderTemplate(
    profileId: string,
    template: TemplateRef,
    params: Record<string, unknown>,
  ): Promise<{ sql: string; values: unknown[]; parameters: { name: string; value: unknown; secret: boolean }[] }>;
}

/**
 * Resolves a source to one statement the classifier calls a read and a cursor can hold (SELECT,
 * WITH, VALUES, TABLE): streaming and exports run nothing else, whatever the profile allows.
 */
export async function resolveReadSource(deps: ReadSourceDeps, input: ReadSourceInput): Promise<ReadSource> {
  const rendered = input.template
    ? await deps.renderTemplate(input.profileId, input.template, input.params ?? {})
    : { sql: input.sql ?? '', values: [] as unknown[], parameters: undefined };
  const classification = await deps.classify(rendered.sql, input.profileId);
  const statements = classification.statements;
  if (statements.length !== 1) {
    throw new OpsError(
      'invalid_input',
      `sql has ${statements.length} statements: a streamed result or an export reads exactly one. Keep the one you want (run the others with Run).`,
    );
  }
  const statement = statements[0]!;
  if (statement.risk !== 'read') {
    throw new OpsError(
      'invalid_input',
      `sql is classified ${statement.risk}, not a read: only reads stream into the grid or export to a file. Run it with Run, which previews writes and asks for confirmation.`,
    );
  }
  if (!/^(select|with|values|table)\b/.test(leadingWords(statement.text, 1))) {
    throw new OpsError(
      'invalid_input',
      'sql is not a query (SELECT, WITH, VALUES or TABLE): SHOW and EXPLAIN do not stream; run them with Run.',
    );
  }
  return {
    sql: statement.text,
    values: rendered.values,
    ...(rendered.parameters?.length ? { parameters: rendered.parameters } : {}),
    risk: statement.risk,
  };
}
