import type { RelationDetail } from '../../../../shared/contract';
import { bytes, rows } from './relation-size';

/** One table or view described: columns, keys, indexes, constraints, size. */
export function RelationDetailView({ detail }: { detail: RelationDetail }) {
  return (
    <section className="schema-detail" aria-label={`${detail.schema}.${detail.name}`} data-testid="schema-detail">
      <h4>
        {detail.schema}.{detail.name}{' '}
        <span className="sql-hint">
          {detail.kind} · {rows(detail.estimatedRows)} · {bytes(detail.estimatedBytes)}
        </span>
      </h4>
      {detail.comment && <p>{detail.comment}</p>}
      <table className="schema-columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Null</th>
            <th>Default</th>
          </tr>
        </thead>
        <tbody>
          {detail.columns.map((c) => (
            <tr key={c.name} data-testid="schema-column">
              <td>{c.name}</td>
              <td>{c.type}</td>
              <td>{c.nullable ? 'yes' : 'not null'}</td>
              <td>{c.default ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.indexes.length > 0 && (
        <>
          <h5>Indexes</h5>
          <ul>
            {detail.indexes.map((i) => (
              <li key={i.name} data-testid="schema-index">
                <code>{i.definition}</code> <span className="sql-hint">{bytes(i.estimatedBytes)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.constraints.length > 0 && (
        <>
          <h5>Constraints</h5>
          <ul>
            {detail.constraints.map((c) => (
              <li key={c.name}>
                {c.name}: <code>{c.definition}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.foreignKeys.length > 0 && (
        <>
          <h5>Foreign keys</h5>
          <ul>
            {detail.foreignKeys.map((f) => (
              <li key={`${f.direction}${f.name}`} data-testid="schema-fk">
                {f.direction === 'outgoing' ? `→ ${f.to}` : `← ${f.from}`}: <code>{f.definition}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.viewDefinition && (
        <>
          <h5>Definition</h5>
          <pre className="plan">{detail.viewDefinition}</pre>
        </>
      )}
    </section>
  );
}

/**
 * The schema browser: schemas, then (lazily, 100 at a time, searchable) their tables and views
 * with estimated rows and size; each one opens as a SELECT in the editor, is described, or its
 * quoted name copied.
 */
