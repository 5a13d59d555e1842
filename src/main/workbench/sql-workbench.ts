import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { IncidentEvent } from '../../shared/incident';
import { CatalogBrowser } from '../postgres/catalog-browser';
import type { SqlClassification } from '../../shared/risk';
import type { ProfileRepository } from '../store/profile-repository';
import { ExplainService, type ExplainDeps } from '../sql/explain/explain-service';
import type { PgConnectionRegistry } from '../postgres/connection-registry';
import type { RecordEvent } from '../../shared/record-event';
import type { SettingsRepository } from '../settings/settings-repository';
import type { Db } from '../store/database';
import { loadQueryFolder } from '../templates/query-folder';
import { sqlHistoryHandlers } from '../sql/history/handlers';
import type { HistoryRepository } from '../sql/history/history-repository';
import { tapSqlHistory } from '../sql/history/history-tap';

export interface SqlWorkbenchDeps {
  db: Db;
  /** The query history, built before the timeline (the journal's drain at start feeds it too). */
  history: HistoryRepository;
  /** Keeps committed SQL events in `history` (see feedHistory). */
  keepHistory(events: IncidentEvent[]): void;
  dataDir: string;
  settings: Pick<SettingsRepository, 'get'>;
  connections: Pick<PgConnectionRegistry, 'run' | 'settings'>;
  profiles: Pick<ProfileRepository, 'get'>;
  /** The classifier with the profile's catalog (user functions, operators, views). */
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  attach: ExplainDeps['attach'];
  /** Checks an incident id the operator named (unknown ids are refused). */
  knownIncident(id?: string): string | undefined;
  /** The incident recorder's `record`: the timeline every SQL run is written to. */
  record: (...args: Parameters<RecordEvent>) => IncidentEvent;
  /** The saved query folder given from outside (OPSCONSOLE_QUERIES), which Settings does not override. */
  queriesDir?: string;
  now: () => Date;
}

type WorkbenchHandlers = Pick<
  Handlers,
  Extract<keyof Handlers, `sqlHistory.${string}` | `schema.${string}` | 'sql.explain' | 'sql.attachPlan'>
>;

/**
 * The workbench's services (issue #25, SQL half): the query history fed from the timeline, the
 * saved query folder, the schema browser, EXPLAIN, and the handlers of their operations. One construction
 * and one spread in the composition root.
 */
export function createSqlWorkbench(deps: SqlWorkbenchDeps) {
  const { history } = deps;
  const record = tapSqlHistory(deps.record, deps.keepHistory);
  const browser = new CatalogBrowser(deps.connections);
  const explain = new ExplainService(deps);
  /** OPSCONSOLE_QUERIES, else the folder set in Settings, else the data folder's queries/. */
  const queriesFolder = () => deps.queriesDir || deps.settings.get().queriesFolder || join(deps.dataDir, 'queries');
  const handlers: WorkbenchHandlers = {
    ...sqlHistoryHandlers(history),
    'schema.schemas': async ({ profileId }) => browser.schemas(profileId),
    'schema.relations': async ({ profileId, schema, ...page }) => browser.relations(profileId, schema, page),
    'schema.describe': async ({ profileId, schema, name }) => browser.describe(profileId, schema, name),
    'sql.explain': async ({ profileId, sql, analyze }) => explain.explain(profileId, sql, analyze),
    'sql.attachPlan': async ({ explainId, incidentId }) => explain.attach(explainId, deps.knownIncident(incidentId)),
  };
  return { history, record, queryFiles: () => loadQueryFolder(queriesFolder()), handlers };
}
