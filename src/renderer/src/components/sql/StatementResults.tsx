import type { SqlStatementResult } from '../../../../shared/contract';
import { ReasonList, RiskBadge } from './RiskBadge';

function cell(value: unknown) {
  if (value === null || value === undefined) return <span className="null">NULL</span>;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function countLabel(statement: SqlStatementResult, preview: boolean): string {
  if (!statement.ran) return 'not run';
  const rows = `${statement.rowCount} row${statement.rowCount === 1 ? '' : 's'}`;
  const verb = statement.command && statement.command !== 'SELECT' ? `${statement.command} · ${rows} ${preview ? 'would be ' : ''}affected` : rows;
  return `${verb} · ${statement.durationMs} ms${statement.truncated ? ' · truncated at the row cap' : ''}`;
}

/** One statement: its text, risk, reasons, what it returned or affected, and its plan. */
export function StatementResult({ statement, index, preview = false }: { statement: SqlStatementResult; index: number; preview?: boolean }) {
  return (
    <section className="statement" aria-label={`Statement ${index + 1}`} data-testid="sql-statement">
      <header className="statement-header">
        <RiskBadge risk={statement.risk} />
        <code className="statement-text">{statement.text.length > 300 ? `${statement.text.slice(0, 300)}…` : statement.text}</code>
      </header>
      <p className="result-meta" data-testid="sql-statement-count">{countLabel(statement, preview)}</p>
      <ReasonList reasons={statement.reasons.filter((r) => r !== 'explain_only')} />
      {statement.plan && (
        <details open={preview}>
          <summary>EXPLAIN</summary>
          <pre className="plan" data-testid="sql-plan">{statement.plan}</pre>
        </details>
      )}
      {statement.fields.length > 0 && (
        // Focusable so a keyboard can scroll a result taller than its box (axe: scrollable-region-focusable).
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`Rows of statement ${index + 1}`}>
          <table>
            <thead>
              <tr>
                {statement.fields.map((f, i) => (
                  <th key={`${f.name}-${i}`} scope="col">
                    {f.name} <small>{f.type}</small>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {statement.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((value, j) => (
                    <td key={j}>{cell(value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
