import type { SqlStatementClassification } from '../../../shared/risk';
import type { AppState } from './app-state';
import type { RedisPane, SqlPane } from './state/sql';

const emptyPane: SqlPane = { text: 'SELECT version();', running: false, typedName: '', params: {}, enumOptions: {} };
const emptyRedis: RedisPane = { line: '', running: false, typedName: '' };

export function paneOf(state: Pick<AppState, 'sqlPanes'>, profileId: string): SqlPane {
  return state.sqlPanes[profileId] ?? emptyPane;
}

/** The statement the cursor is in (or just after), from the live classification. */
export function statementAtCursor(pane: SqlPane): SqlStatementClassification | undefined {
  const statements = pane.classification?.statements ?? [];
  const cursor = pane.selection?.from ?? 0;
  return (
    statements.find((s) => cursor >= s.start && cursor <= s.end) ??
    statements.filter((s) => s.end <= cursor).at(-1) ??
    statements[0]
  );
}

/** What Run runs: the selection if any, else the statement under the cursor when there are several, else all of it. */
export function runnableText(pane: SqlPane): string {
  const { selection, text } = pane;
  if (selection && selection.to > selection.from && text.slice(selection.from, selection.to).trim())
    return text.slice(selection.from, selection.to);
  const statements = pane.classification?.statements ?? [];
  const at = statements.length > 1 ? statementAtCursor(pane) : undefined;
  return at ? text.slice(at.start, at.end) : text;
}

export function redisPaneOf(state: Pick<AppState, 'redisPanes'>, profileId: string): RedisPane {
  return state.redisPanes[profileId] ?? emptyRedis;
}

/** What a run, a stream or an export of a pane reads: free text, or a stored template with its values. */
export type PaneSource = { sql: string } | { template: { name: string }; params: Record<string, string> };
