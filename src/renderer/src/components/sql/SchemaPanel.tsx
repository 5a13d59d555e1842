import { useEffect, useState } from 'react';
import type { RelationDetail, RelationSummary } from '../../../../shared/contract';
import { useApp } from '../../store';
import { quoteName } from '../../store/schema-slice';

const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(0)} kB`
      : n < 1024 ** 3
        ? `${(n / 1024 ** 2).toFixed(1)} MB`
        : `${(n / 1024 ** 3).toFixed(1)} GB`;
const rows = (n: number | null) => (n === null ? 'not analysed' : `~${n.toLocaleString()} rows`);

function RelationRow({
  profileId,
  schema,
  relation,
}: {
  profileId: string;
  schema: string;
  relation: RelationSummary;
}) {
  const { relationSelectRequested, relationDescribed } = useApp.getState();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(`${quoteName(schema)}.${quoteName(relation.name)}`);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <li className="schema-relation" data-testid="schema-relation" data-name={relation.name}>
      <span className="schema-relation-name" title={relation.comment}>
        {relation.name}
      </span>
      <span className="sql-hint">
        {relation.kind} · {rows(relation.estimatedRows)} · {bytes(relation.estimatedBytes)}
      </span>
      <span className="schema-actions">
        <button
          type="button"
          onClick={() => relationSelectRequested(profileId, schema, relation.name)}
          data-testid="schema-select"
        >
          SELECT … LIMIT 100
        </button>
        <button
          type="button"
          onClick={() => void relationDescribed(profileId, schema, relation.name)}
          data-testid="schema-describe"
        >
          Describe
        </button>
        <button type="button" onClick={() => void copy()} data-testid="schema-copy">
          {copied ? 'Copied' : 'Copy name'}
        </button>
      </span>
    </li>
  );
}

function SchemaNode({ profileId, name, count }: { profileId: string; name: string; count: number }) {
  const open = useApp((s) => s.schemaTrees[profileId]?.open[name]);
  const { schemaToggled, schemaSearchEdited, schemaMoreRequested } = useApp.getState();
  return (
    <li className="schema-node" data-testid="schema-node" data-schema={name}>
      <button
        type="button"
        aria-expanded={!!open}
        onClick={() => void schemaToggled(profileId, name)}
        data-testid="schema-toggle"
      >
        {open ? '▾' : '▸'} {name} <span className="sql-hint">({count.toLocaleString()})</span>
      </button>
      {open && (
        <div className="schema-children">
          <input
            type="search"
            placeholder={`Search ${name}`}
            aria-label={`Search tables and views of ${name}`}
            value={open.search}
            onChange={(e) => schemaSearchEdited(profileId, name, e.target.value)}
            data-testid="schema-search"
          />
          <ul className="schema-relations">
            {open.relations.map((relation) => (
              <RelationRow key={relation.name} profileId={profileId} schema={name} relation={relation} />
            ))}
          </ul>
          <p className="sql-hint" data-testid="schema-shown">
            {open.loading ? 'Loading…' : `${open.relations.length.toLocaleString()} of ${open.total.toLocaleString()}`}
            {!open.loading && open.relations.length < open.total && (
              <button type="button" onClick={() => void schemaMoreRequested(profileId, name)} data-testid="schema-more">
                Show 100 more
              </button>
            )}
          </p>
        </div>
      )}
    </li>
  );
}

function Detail({ detail }: { detail: RelationDetail }) {
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
export function SchemaPanel({ profileId }: { profileId: string }) {
  const tree = useApp((s) => s.schemaTrees[profileId]);
  const { schemaTreeRequested } = useApp.getState();
  useEffect(() => {
    if (!tree?.schemas) void schemaTreeRequested(profileId);
  }, [profileId]);
  return (
    <section className="schema-panel" aria-label="Schema browser" data-testid="schema-panel">
      <div className="history-filter">
        <button type="button" onClick={() => void schemaTreeRequested(profileId)} data-testid="schema-refresh">
          Refresh
        </button>
        <span className="sql-hint">
          Rows and sizes are the statistics' estimates (as of the last ANALYZE): no table is counted or locked.
        </span>
      </div>
      {tree?.error && (
        <p className="form-error" role="alert" data-testid="schema-error">
          {tree.error}
        </p>
      )}
      {tree?.loading && !tree.schemas && <p className="sql-hint">Loading…</p>}
      <ul className="schema-tree">
        {tree?.schemas?.map((s) => (
          <SchemaNode key={s.name} profileId={profileId} name={s.name} count={s.tables + s.views} />
        ))}
      </ul>
      {tree?.detail && <Detail detail={tree.detail} />}
    </section>
  );
}
