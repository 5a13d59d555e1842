import type { SqlStatementResult } from '../../../../shared/contract';
import { BinaryCell } from './BinaryCell';
import { ReasonList, RiskBadge } from './RiskBadge';

function cell(value: unknown, type?: string) {
  if (value === null || value === undefined) return <span className="null">NULL</span>;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const shown = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  // bytea arrives as Postgres's own hex literal (\x…): shown as such, marked, and copied exactly.
  return type === 'bytea' ? <BinaryCell text={shown} /> : shown;
}

function countLabel(statement: SqlStatementResult, preview: boolean, showDuration: boolean): string {
  if (!statement.ran) return 'not run';
  const rows = `${statement.rowCount} row${statement.rowCount === 1 ? '' : 's'}`;
  const verb =
    statement.command && statement.command !== 'SELECT'
      ? `${statement.command} · ${rows} ${preview ? 'would be ' : ''}affected`
      : rows;
  return `${verb}${showDuration ? ` · ${statement.durationMs} ms` : ''}${statement.truncated ? ' · truncated at the row cap' : ''}`;
}

/**
 * One statement: its text, risk, reasons, what it returned or affected, and its plan. With
 * `onCellPicked` (a runbook step's result) each cell is a button that offers its value to later steps.
 * A runbook step shows one duration for the whole step, so it passes `showDuration={false}`.
 */
export function StatementResult({
  statement,
  index,
  preview = false,
  showDuration = true,
  onCellPicked,
}: {
  statement: SqlStatementResult;
  index: number;
  preview?: boolean;
  showDuration?: boolean;
  onCellPicked?: (value: unknown, column: string) => void;
}) {
  return (
    <section className="statement" aria-label={`Statement ${index + 1}`} data-testid="sql-statement">
      <header className="statement-header">
        <RiskBadge risk={statement.risk} />
        <code className="statement-text">
          {statement.text.length > 300 ? `${statement.text.slice(0, 300)}…` : statement.text}
        </code>
      </header>
      <p className="result-meta" data-testid="sql-statement-count">
        {countLabel(statement, preview, showDuration)}
      </p>
      <ReasonList reasons={statement.reasons.filter((r) => r !== 'explain_only')} />
      {statement.plan && (
        <details open={preview}>
          <summary>EXPLAIN</summary>
          <pre className="plan" data-testid="sql-plan">
            {statement.plan}
          </pre>
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
                    <td key={j}>
                      {onCellPicked && value !== null && value !== undefined ? (
                        <button
                          type="button"
                          className="cell-pick"
                          onClick={() => onCellPicked(value, statement.fields[j]?.name ?? '')}
                          title={`Use this ${statement.fields[j]?.name ?? ''} value (row ${i + 1}) in a later step`}
                          data-testid="result-cell-pick"
                        >
                          {cell(value, statement.fields[j]?.type)}
                        </button>
                      ) : (
                        cell(value, statement.fields[j]?.type)
                      )}
                    </td>
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
