import { useMemo } from 'react';
import { useApp } from '../../store';
import { browserPaneOf } from '../../store/redis-browser-slice';
import { buildTree, formatTtl, type TreeFolder } from './key-tree';

function Folder({ profileId, folder }: { profileId: string; folder: TreeFolder }) {
  const expanded = useApp((s) => browserPaneOf(s, profileId).expanded);
  const selected = useApp((s) => browserPaneOf(s, profileId).selected);
  const { browserFolderToggled, browserKeySelected } = useApp.getState();
  const folders = [...folder.folders.values()].sort((a, b) => a.name.localeCompare(b.name));
  const keys = [...folder.keys].sort((a, b) => a.key.text.localeCompare(b.key.text));
  return (
    <ul className="key-tree-level">
      {folders.map((child) => (
        <li key={child.path}>
          <button
            type="button"
            className="key-folder"
            aria-expanded={!!expanded[child.path]}
            onClick={() => browserFolderToggled(profileId, child.path)}
            data-testid="redis-tree-folder"
            data-path={child.path}
          >
            {expanded[child.path] ? '▾' : '▸'} {child.name} <span className="count">{child.count}</span>
          </button>
          {expanded[child.path] && <Folder profileId={profileId} folder={child} />}
        </li>
      ))}
      {keys.slice(0, 1000).map((entry) => (
        <li key={entry.key.b64}>
          <button
            type="button"
            aria-pressed={selected === entry.key.b64}
            className={`key-leaf${selected === entry.key.b64 ? ' selected' : ''}`}
            onClick={() => void browserKeySelected(profileId, entry.key.b64)}
            data-testid="redis-tree-key"
            data-key={entry.key.text}
            title={entry.key.text}
          >
            <span className={`key-type key-type-${entry.type}`}>{entry.type}</span>{' '}
            {entry.key.binary && <span className="binary-mark">binary</span>}
            <span className="key-name">
              {entry.key.text.split(useApp.getState().browserPanes[profileId]?.delimiter || '\u0000').at(-1)}
            </span>
            <span className="key-ttl">{formatTtl(entry.ttlMs)}</span>
          </button>
        </li>
      ))}
      {keys.length > 1000 && <li className="hint">… {keys.length - 1000} more keys here: narrow with MATCH.</li>}
    </ul>
  );
}

/** The listed keys as a tree by the delimiter. */
export function KeyTree({ profileId }: { profileId: string }) {
  const keys = useApp((s) => browserPaneOf(s, profileId).keys);
  const delimiter = useApp((s) => browserPaneOf(s, profileId).delimiter);
  const tree = useMemo(() => buildTree(keys, delimiter), [keys, delimiter]);
  if (keys.length === 0) return <p className="empty">No keys listed yet: press Scan.</p>;
  return (
    <nav className="key-tree" aria-label="Keys" data-testid="redis-tree">
      <Folder profileId={profileId} folder={tree} />
    </nav>
  );
}
