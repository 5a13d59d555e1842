import type { RedisKeyEntry } from '../../../../shared/contract';

/** A folder of the key tree: keys sharing a prefix up to the delimiter. */
export interface TreeFolder {
  path: string;
  name: string;
  folders: Map<string, TreeFolder>;
  keys: RedisKeyEntry[];
  count: number;
}

/**
 * Keys grouped by `delimiter` into folders (`user:1:name` → user › 1 › name). Built once per
 * listing; a folder's children are rendered only when it is open, so 50,000 keys stay cheap.
 */
export function buildTree(keys: RedisKeyEntry[], delimiter: string): TreeFolder {
  const root: TreeFolder = { path: '', name: '', folders: new Map(), keys: [], count: 0 };
  for (const entry of keys) {
    const parts = delimiter ? entry.key.text.split(delimiter) : [entry.key.text];
    let folder = root;
    folder.count++;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!;
      let child = folder.folders.get(name);
      if (!child) {
        child = {
          path: folder.path ? `${folder.path}${delimiter}${name}` : name,
          name,
          folders: new Map(),
          keys: [],
          count: 0,
        };
        folder.folders.set(name, child);
      }
      child.count++;
      folder = child;
    }
    folder.keys.push(entry);
  }
  return root;
}

/** A TTL as people say it: "no expiry", "42 s", "3 h 5 min". */
export function formatTtl(ttlMs: number): string {
  if (ttlMs === -1) return 'no expiry';
  if (ttlMs === -2) return 'gone';
  const s = Math.round(ttlMs / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d`;
}
