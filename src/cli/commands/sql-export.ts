import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { sqlExportFormats, type SqlExportFormat, type SqlExportResult } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions, type CliContextOf } from '../command';
import { parseParams, profileOf } from './sql-run';

function formatOf(context: CliContextOf<'format'>): SqlExportFormat {
  const format = context.values.format;
  if (!format || !(sqlExportFormats as readonly string[]).includes(format))
    throw new OpsError(
      'invalid_input',
      `--format ${format ?? '(missing)'} is not one of ${sqlExportFormats.join(', ')}: choose csv or jsonl.`,
    );
  return format as SqlExportFormat;
}

/** Free SQL (the positionals) or a template from the library or a runbook, with its --param values. */
function sourceOf(context: CliContextOf<'template' | 'runbook', 'param'>) {
  const sql = context.positionals.join(' ');
  const template = context.values.template;
  const runbook = context.values.runbook;
  if (runbook !== undefined && template === undefined)
    throw new OpsError('invalid_input', '--runbook needs --template STEP_ID: the name of the SQL step to export.');
  if ((template !== undefined) === (sql.trim() !== ''))
    throw new OpsError('invalid_input', 'Give either SQL text or --template NAME, not both (and not neither).');
  if (template === undefined) return { sql };
  const params = parseParams(context.values.param);
  return {
    template: runbook === undefined ? { name: template } : { runbook: resolve(runbook), step: template },
    params,
  };
}

const kib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const sqlExportCommand = defineCommand({
  path: ['sql', 'export'],
  summary: 'Export one read to a CSV or JSON Lines file, streamed (COPY for CSV), with progress; Ctrl+C cancels',
  usage:
    '--profile NAME --format csv|jsonl --out FILE [SQL | --template NAME [--runbook FILE] [--param k=v …]] [--overwrite] [--keep-partial] [--csv-raw] [--incident ID] [--json]',
  options: {
    profile: sharedOptions.profile,
    format: { type: 'string', value: 'csv|jsonl', description: 'CSV through COPY, or one JSON object per row' },
    out: { type: 'string', value: 'FILE', description: 'the file to write (FILE.partial until complete)' },
    template: {
      type: 'string',
      value: 'NAME',
      description: 'export a template of the library (a step id with --runbook)',
    },
    runbook: { type: 'string', value: 'FILE', description: 'take the --template step from this runbook' },
    param: sharedOptions.param,
    overwrite: { type: 'boolean', description: 'replace an existing FILE' },
    'keep-partial': { type: 'boolean', description: 'keep FILE.partial after a failure or Ctrl+C' },
    'csv-raw': { type: 'boolean', description: "write formula-like cells as stored (no leading ')" },
    incident: sharedOptions.incident,
  },
  help: [
    'The text must be one read (SELECT, WITH, VALUES, TABLE); it runs inside BEGIN READ ONLY.',
    "CSV goes through COPY (…) TO STDOUT WITH (FORMAT csv, HEADER): the same bytes psql's \\copy writes.",
    'JSON Lines: one object per row, numbers, booleans and NULL typed. The file is written as FILE.partial',
    'and renamed when complete; a failure or Ctrl+C removes it (--keep-partial keeps FILE.partial).',
    "CSV cells starting with =, +, -, @, tab or CR get a leading ' so a spreadsheet opens them as text, not formulas;",
    '--csv-raw writes them as stored (for machine consumers).',
    'An existing FILE is refused unless --overwrite. The export is recorded in the incident timeline.',
    'Output (--json): {"exportId","path","format","rows","bytes","durationMs","outcome"}',
  ].join('\n'),
  async run(context) {
    const out = context.values.out;
    if (!out) throw new OpsError('invalid_input', '--out is missing: give the file to write.');
    const format = formatOf(context);
    const source = sourceOf(context);
    const profile = await profileOf(context);
    const core = context.core();
    const exportId = randomUUID();
    const unsubscribe = core.subscribe((name, payload) => {
      if (name !== 'onSqlExportProgress') return;
      const progress = payload as { exportId: string; rows: number; bytes: number; done: boolean };
      if (progress.exportId === exportId && !progress.done)
        context.log(`exporting… ${kib(progress.bytes)}${progress.rows ? `, ${progress.rows} rows` : ''}`);
    });
    const interrupt = () => void core.invoke('sql.cancelExport', { exportId });
    process.once('SIGINT', interrupt);
    let result: SqlExportResult;
    try {
      result = await core.invoke('sql.export', {
        profileId: profile.id,
        ...source,
        format,
        path: resolve(out),
        overwrite: context.values.overwrite === true,
        keepPartial: context.values['keep-partial'] === true,
        csvRaw: context.values['csv-raw'] === true,
        exportId,
        incidentId: context.values.incident,
      });
    } finally {
      process.off('SIGINT', interrupt);
      unsubscribe();
    }
    const text =
      result.outcome === 'ok'
        ? `Exported ${result.rows} rows (${kib(result.bytes)}) to ${result.path} in ${result.durationMs} ms`
        : `Cancelled after ${result.rows} rows: ${context.values['keep-partial'] ? `kept ${result.path}` : 'nothing was written'}`;
    return { value: result, text, exitCode: result.outcome === 'ok' ? 0 : 1 };
  },
});
