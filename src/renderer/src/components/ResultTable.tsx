import type { SqlResult } from '../../../shared/contract';

function cell(value: unknown) {
  if (value === null || value === undefined) return <span className="null">NULL</span>;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function ResultTable({ result }: { result: SqlResult }) {
  return (
    <div className="result" data-testid="sql-result">
      <p className="result-meta">
        {result.rowCount} row{result.rowCount === 1 ? '' : 's'} · {result.durationMs} ms
        {result.truncated && ' · truncated at the row cap'}
      </p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {result.fields.map((f) => (
                <th key={f.name} scope="col">
                  {f.name} <small>{f.type}</small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, i) => (
              <tr key={i}>
                {row.map((value, j) => (
                  <td key={j}>{cell(value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
