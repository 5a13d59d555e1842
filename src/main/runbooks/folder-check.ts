import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, parse, resolve, sep } from 'node:path';
import { OpsError } from '../errors';

/** The system's own folders: neither they nor anything inside them holds runbooks. */
const systemTrees = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/snap', '/sys', '/usr', '/var', '/System', '/Library', '/private', '/cores', 'C:\\Windows', 'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\ProgramData'];
/** Folders that hold other folders (homes, mounts): one inside them may hold runbooks, they themselves do not. */
const containers = ['/home', '/Users', '/root', '/tmp', '/mnt', '/media', '/Volumes', '/srv', '/opt', 'C:\\Users'];

const advice = 'choose the folder that holds your runbooks (e.g. ~/runbooks)';

/**
 * Why `folder` cannot be a runbook folder, or null when it can: every `.md` below a runbook
 * folder is read, watched and offered as a runbook, so a disk's root, the home folder itself (or
 * a folder above it) and the system's folders are refused. Links are resolved first, so a link to
 * / is refused like / itself.
 */
export function runbookFolderProblem(folder: string, home: string = homedir()): string | null {
  const expanded = folder === '~' || folder.startsWith('~/') ? home + folder.slice(1) : folder;
  if (!isAbsolute(expanded)) return `is not an absolute path: ${advice}`;
  const real = realOrResolved(expanded);
  const homeReal = realOrResolved(home);
  const same = (a: string, b: string) => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const inside = (path: string, parent: string) => same(path.slice(0, parent.length + 1), parent + sep);
  if (parse(real).root === real) return `is the root of the disk (${real}): every .md file on it would become a runbook; ${advice}`;
  if (same(real, homeReal)) return `is your home folder itself: every .md file in it would become a runbook; ${advice}`;
  if (inside(homeReal, real)) return `holds your home folder (${homeReal}); ${advice}`;
  if (inside(real, homeReal)) return null;
  const tree = systemTrees.find((s) => same(real, s) || inside(real, s));
  if (tree) return `is ${same(real, tree) ? '' : 'inside '}${tree}, a system folder; ${advice}`;
  const container = containers.find((c) => same(real, c));
  if (container) return `is ${container}, which holds other folders, not runbooks; ${advice}`;
  return null;
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Refuses a settings change naming a folder that cannot hold runbooks, naming the line and the fix. */
export function assertRunbookFolders(folders: string[] | undefined): void {
  folders?.forEach((folder, i) => {
    const problem = runbookFolderProblem(folder);
    if (problem) throw new OpsError('invalid_input', `runbookFolders.${i} "${folder}" ${problem}.`);
  });
}
