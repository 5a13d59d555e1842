import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import type { QueryTemplateView } from '../../shared/template';
import { parseQueryFile } from './query-file';

/** Limits that keep a wrong folder (a home directory, a disk root) from stalling the library. */
const maxFiles = 2000;
const maxDepth = 6;
const maxFileBytes = 1024 * 1024;

/**
 * The saved query files of a folder (and its subfolders), sorted by path. A folder that does not
 * exist yet is an empty library; a file too large to be a query, or whose name another file has
 * taken, is listed with its error.
 */
export function loadQueryFolder(dir: string): QueryTemplateView[] {
  const paths: string[] = [];
  walk(dir, 0, paths);
  const seen = new Map<string, string>();
  return paths.sort().map((path) => {
    const rel = relative(dir, path);
    const size = lstatSync(path).size;
    const view =
      size > maxFileBytes
        ? {
            ...parseQueryFile(path, rel, ''),
            error: `${rel} is ${(size / 1024 / 1024).toFixed(1)} MB: a saved query is at most 1 MB. Move data out of the queries folder.`,
          }
        : parseQueryFile(path, rel, readFileSync(path, 'utf8'));
    const key = view.name.toLowerCase();
    const other = seen.get(key);
    if (other && !view.error)
      return {
        ...view,
        error: `${rel}: the name "${view.name}" is already used by ${other}: give this file another "-- name:".`,
      };
    seen.set(key, rel);
    return view;
  });
}

function walk(dir: string, depth: number, into: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // not there (yet), or not readable: nothing to list
  }
  for (const entry of entries) {
    if (into.length >= maxFiles || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth < maxDepth) walk(path, depth + 1, into);
    else if (entry.isFile() && /\.sql$/i.test(entry.name)) into.push(path);
  }
}
