import type { HistoryEntry } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { defineCommand } from '../command';
import { profileOf } from './sql-run';

/** The issue's JSON shape, exactly: these ten keys per entry. */
function documentEntry(e: HistoryEntry) {
  return {
    id: e.id,
    at: e.at,
    profile: e.profile,
    sql: e.sql,
    params: e.params,
    risk: e.risk,
    outcome: e.outcome,
    rowCount: e.rowCount,
    durationMs: e.durationMs,
    incidentId: e.incidentId,
  };
}

function readable(entries: HistoryEntry[]): string {
  if (entries.length === 0) return 'No history entries match.';
  return entries
    .map((e) => {
      const rows = e.rowCount === null ? '' : ` · ${e.rowCount} row(s)`;
      const ms = e.durationMs === null ? '' : ` · ${e.durationMs} ms`;
      const params = e.params.length
        ? `\n  params: ${e.params.map((p) => `${p.name}=${JSON.stringify(p.value)}`).join(', ')}`
        : '';
      return `#${e.id} ${e.at} · ${e.profile} · ${e.operator} · ${e.outcome} · ${e.risk}${rows}${ms}\n  ${e.sql.replace(/\n/g, '\n  ')}${params}`;
    })
    .join('\n');
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new OpsError('invalid_input', `--limit ${raw} is not a whole number from 1 to 10000: give e.g. --limit 20.`);
  return limit;
}

export const sqlHistoryCommand = defineCommand({
  path: ['sql', 'history'],
  summary: 'Show (or clear) the query history: every SQL run of the app and the CLI, newest first',
  usage: '[--profile P] [--grep TEXT] [--since ISO] [--limit N] [--json] | --clear [--profile P]',
  options: {
    profile: { type: 'string', value: 'NAME', description: 'only the runs on this profile' },
    grep: { type: 'string', value: 'TEXT', description: 'only runs whose SQL contains TEXT (any case)' },
    since: { type: 'string', value: 'ISO', description: 'only runs at or after this date or time' },
    limit: { type: 'string', value: 'N', description: 'at most N entries (default 50)' },
    clear: { type: 'boolean', description: 'remove the history (of --profile only, when given)' },
  },
  help: [
    '--grep matches a piece of the SQL text (any case); --since keeps runs at or after an ISO date or time',
    '(2026-01-31 or 2026-01-31T09:00:00Z); --limit caps the entries (50 by default). Parameters marked secret',
    'and passwords in SQL are shown as [redacted]. Entries older than the retention period (Settings,',
    '90 days by default) are removed. --clear removes the history (of --profile only, when given).',
    'Output (--json): {"entries":[{"id","at","profile","sql","params","risk","outcome","rowCount","durationMs","incidentId"}]}.',
  ].join('\n'),
  async run(context) {
    const profile = context.values.profile === undefined ? undefined : await profileOf(context);
    const core = context.core();
    if (context.values.clear) {
      const { cleared } = await core.invoke('sqlHistory.clear', { ...(profile ? { profileId: profile.id } : {}) });
      return {
        value: { cleared },
        text: `Cleared ${cleared} history entr${cleared === 1 ? 'y' : 'ies'}${profile ? ` of ${profile.name}` : ''}.`,
      };
    }
    const grep = context.values.grep;
    const since = context.values.since;
    const { entries } = await core.invoke('sqlHistory.search', {
      ...(profile ? { profileId: profile.id } : {}),
      ...(grep ? { grep } : {}),
      ...(since ? { since } : {}),
      limit: limitOf(context.values.limit),
    });
    return { value: { entries: entries.map(documentEntry) }, text: readable(entries) };
  },
});
