import type { Handlers } from '../../shared/contract';
import type { ExportTargets } from '../files/export-targets';
import type { CatalogCache } from './catalog';
import { describeHandlers } from './describe-table';
import type { Exporter } from './exporter';
import type { ReadOnlyQueries } from './read-lookup';
import type { ResultBuffers } from './result-buffers';
import type { SafeExecutor } from './safe-executor';

type PostgresHandlers = Pick<
  Handlers,
  | 'sql.confirm'
  | 'sql.pending'
  | 'sql.running'
  | 'sql.cancel'
  | 'sql.openResult'
  | 'sql.readWindow'
  | 'sql.closeResult'
  | 'sql.results'
  | 'sql.export'
  | 'sql.cancelExport'
  | 'sql.exports'
  | 'sql.catalog'
  | 'sql.describe'
>;

interface PostgresHandlerDeps {
  safeSql: SafeExecutor;
  lookups: ReadOnlyQueries;
  resultBuffers: ResultBuffers;
  exporter: Exporter;
  catalog: CatalogCache;
  exportTargets: Pick<ExportTargets, 'resolve'>;
  /** Refuses an incident id that does not exist (not_found) before anything is recorded under it. */
  knownIncident(id?: string): string | undefined;
}

/** The sql.* operations over a running statement, its result buffers, exports and the catalog. */
export function postgresHandlers(deps: PostgresHandlerDeps): PostgresHandlers {
  const { safeSql, resultBuffers, exporter, knownIncident } = deps;
  return {
    'sql.confirm': async ({ runId, decision, typedName }) => safeSql.confirm(runId, decision, typedName),
    'sql.pending': async () => safeSql.waiting(),
    'sql.running': async () => safeSql.running(),
    'sql.cancel': async ({ profileId }) => ({
      cancelled: (await resultBuffers.cancelProfile(profileId)) || (await safeSql.cancel(profileId)),
    }),
    'sql.openResult': async ({ incidentId, ...source }) =>
      resultBuffers.open({ ...source, incidentId: knownIncident(incidentId) }),
    'sql.readWindow': async ({ resultId, offset, limit, sort, filter }) =>
      resultBuffers.readWindow(resultId, offset, limit, { sort, filter }),
    'sql.closeResult': async ({ resultId }) => ({ closed: await resultBuffers.close(resultId) }),
    'sql.results': async () => resultBuffers.list(),
    'sql.export': async ({ incidentId, path, saveToken, overwrite, ...request }) => {
      const target = deps.exportTargets.resolve({ path, saveToken, overwrite })!;
      return exporter.export({ ...request, ...target, incidentId: knownIncident(incidentId) });
    },
    'sql.cancelExport': async ({ exportId }) => ({ cancelled: await exporter.cancel(exportId) }),
    'sql.exports': async () => exporter.running(),
    'sql.catalog': async ({ profileId, refresh }) => deps.catalog.get(profileId, refresh),
    ...describeHandlers(deps.lookups),
  };
}
