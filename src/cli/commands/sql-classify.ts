import { readFile } from 'node:fs/promises';
import { sqlTextProblem } from '../../shared/sql-text';
import { OpsError } from '../../main/errors';
import { classifySqlAsync } from '../../main/sql/classifier';
import { defineCommand, type CliContextOf } from '../command';
import { formatSqlClassification } from './classify-format';

/** File bytes as UTF-8, refused (exit 2) when they are not valid UTF-8 rather than silently mended. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OpsError('invalid_input', `${what} is not valid UTF-8: save it as UTF-8 and try again.`);
  }
}

async function sqlInput(context: CliContextOf<'file'>): Promise<string> {
  const file = context.values.file;
  const inline = context.positionals.join(' ');
  if (file !== undefined && inline)
    throw new OpsError('invalid_input', 'Give the SQL either as an argument or with --file, not both.');
  if (file === '-' || (file === undefined && !inline)) return context.readStdin();
  if (file === undefined) return inline;
  try {
    return decodeUtf8(await readFile(file), `--file ${file}`);
  } catch (error) {
    if (error instanceof OpsError) throw error;
    throw new OpsError(
      'invalid_input',
      `--file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path.`,
    );
  }
}

export const sqlClassifyCommand = defineCommand({
  path: ['sql', 'classify'],
  summary: 'Split SQL into statements with the Postgres parser and classify each (read … dangerous)',
  usage: 'SQL | --file F | (SQL on stdin)  [--profile NAME] [--json]',
  options: {
    file: { type: 'string', value: 'FILE', description: 'read the SQL from FILE (- for stdin)' },
    profile: {
      type: 'string',
      value: 'NAME',
      description: "resolve functions, operators and views through this profile's catalog",
    },
  },
  light: { unlessFlags: ['profile'] },
  help: [
    'Malformed text (empty, a NUL byte, not UTF-8, over 10 MB) exits 2. Text the classifier cannot',
    'analyse (too deep, unknown functions) answers risk unknown with the reason, exit 0.',
    "With --profile NAME, user functions, operators and views are resolved through that profile's",
    'catalog (as sql run does): a view that calls pg_cancel_backend is not a read.',
  ].join('\n'),
  async run(context) {
    const sql = await sqlInput(context);
    if (!sql.trim())
      throw new OpsError('invalid_input', 'The SQL is empty: pass it as an argument, with --file F, or on stdin.');
    // The contract's rules without zod: classifying stays a light command (no zod at start-up).
    const problem = sqlTextProblem(sql);
    if (problem) throw new OpsError('invalid_input', problem);
    const result =
      context.values.profile === undefined
        ? await classifySqlAsync(sql)
        : await context
            .core()
            .invoke('sql.classify', { sql, profileId: (await (await import('./sql-run')).profileOf(context)).id });
    return { value: result, text: formatSqlClassification(sql, result) };
  },
});
