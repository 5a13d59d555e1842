import { join } from 'node:path';
import { importRunbook } from '../runbooks/importer';
import { lintPlan } from '../runbooks/lint';
import type { SqlClassifier } from '../runbooks/classifier';
import { GitSources } from './git-sources';

export interface RunbookSourcesDeps {
  dataDir: string;
  now: () => Date;
  classify: SqlClassifier;
  /** Background pulls (the app); none when unset. */
  syncIntervalMs?: number;
  onSynced: () => void;
}

/** The git runbook sources of the composition root: clones under the data folder, pulled in the background when asked. */
export function createRunbookSources(deps: RunbookSourcesDeps): { sources: GitSources; dispose(): void } {
  const sources = new GitSources({
    root: join(deps.dataDir, 'runbook-sources'),
    now: deps.now,
    // A pull is refused when a runbook it changes no longer imports (the parser's first error).
    checkRunbook: async (text, name) => {
      const error = lintPlan(await importRunbook(text, { path: name, classify: deps.classify })).find(
        (f) => f.severity === 'error',
      );
      return error ? `line ${error.line}: ${error.message}` : null;
    },
  });
  const background = deps.syncIntervalMs ? sources.startBackgroundSync(deps.syncIntervalMs, deps.onSynced) : undefined;
  return { sources, dispose: () => background?.dispose() };
}
