import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder shared by the app and the CLI: OPSCONSOLE_HOME when set, else the platform's
 * per-user config folder. Electron's userData is not used so both open the same store.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPSCONSOLE_HOME) return env.OPSCONSOLE_HOME;
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'ops-console');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'ops-console');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'ops-console');
  }
}
