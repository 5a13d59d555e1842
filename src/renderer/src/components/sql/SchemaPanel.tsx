import { useEffect, useState } from 'react';
import type { RelationSummary } from '../../../../shared/contract';
import { useApp } from '../../store';
import { quoteName } from '../../store/schema-slice';
import { RelationDetailView } from './RelationDetailView';
import { bytes, rows } from './relation-size';

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
      {tree?.detail && <RelationDetailView detail={tree.detail} />}
    </section>
  );
}
