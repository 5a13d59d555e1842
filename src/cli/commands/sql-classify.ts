import { readFile } from 'node:fs/promises';
import { OpsError } from '../../main/errors';
import { classifySqlAsync } from '../../main/sql/classifier';
import type { CliCommand, CliContext } from '../command';
import { formatSqlClassification } from './classify-format';

async function sqlInput(context: CliContext): Promise<string> {
  const file = context.values.file as string | undefined;
  const inline = context.positionals.join(' ');
  if (file !== undefined && inline) throw new OpsError('invalid_input', 'Give the SQL either as an argument or with --file, not both.');
  if (file === '-' || (file === undefined && !inline)) return context.readStdin();
  if (file === undefined) return inline;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new OpsError('invalid_input', `--file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path.`);
  }
}

export const sqlClassifyCommand: CliCommand = {
  path: ['sql', 'classify'],
  summary: 'Split SQL into statements with the Postgres parser and classify each (read … dangerous)',
  usage: "SQL | --file F | (SQL on stdin)  [--json]",
  options: { file: { type: 'string' } },
  async run(context) {
    const sql = await sqlInput(context);
    if (!sql.trim()) throw new OpsError('invalid_input', 'The SQL is empty: pass it as an argument, with --file F, or on stdin.');
    const result = await classifySqlAsync(sql);
    return { value: result, text: formatSqlClassification(sql, result) };
  },
};
