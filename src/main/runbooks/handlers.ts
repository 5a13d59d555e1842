import type { Handlers } from '../../shared/contract';
import type { RunbookService } from './runbook-service';

/** runbooks.list, open and lint: the runbook library (runs are in run-handlers.ts). */
export function runbookHandlers(runbooks: RunbookService): Pick<Handlers, 'runbooks.list' | 'runbooks.open' | 'runbooks.lint'> {
  return {
    'runbooks.list': async () => runbooks.list(),
    'runbooks.open': async (input) => runbooks.open(input),
    'runbooks.lint': async ({ paths }) => runbooks.lint(paths, { libraryOnly: true }),
  };
}
