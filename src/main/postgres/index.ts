import type { ProfileView } from '../../shared/profile';
import type { EventListener } from '../lifecycle/events';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';
import { CatalogCache } from './catalog';
import { PgConnectionRegistry } from './connection-registry';
import { Exporter } from './exporter';
import { PostgresService } from './postgres-service';
import type { ReadSourceDeps } from './read-source';
import { ReadOnlyQueries } from './read-lookup';
import { ResultBuffers } from './result-buffers';
import type { RecordEvent } from '../../shared/record-event';
import type { SqlClassification } from '../../shared/risk';
import { SafeExecutor } from './safe-executor';

interface PostgresDeps {
  profiles: ProfileRepository;
  sessions: SessionManager;
  now: () => Date;
  emit: EventListener;
  /** A demo profile's embedded Postgres, reached on a Unix socket (the demo domain, above this one). */
  localSocketDir(profile: ProfileView): Promise<string | undefined>;
  /** Records a run and keeps it in the query history (the SQL workbench, above this one). */
  recordRun: RecordEvent;
  /** Records into the incident timeline only. */
  record: RecordEvent;
  /** Renders a query template (the templates domain, above this one). */
  renderTemplate: ReadSourceDeps['renderTemplate'];
  /** Builds the catalog-aware classifier (the sql domain, above this one) over these connections. */
  catalogClassifier(connections: PgConnectionRegistry): CatalogClassifier;
  confirmationTimeoutMs?: number;
}

/** What this domain needs of the catalog-aware classifier: a verdict per text, and forgetting a changed catalog. */
interface CatalogClassifier {
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  forget(profileId: string): void;
}

export interface Postgres {
  connections: PgConnectionRegistry;
  postgres: PostgresService;
  catalogClassifier: CatalogClassifier;
  /** Classifies a SQL text against the profile's catalog: what every run and read source asks first. */
  classify(sql: string, profileId: string): ReturnType<CatalogClassifier['classify']>;
  safeSql: SafeExecutor;
  /** The console's own reads (catalog checks, template enum values) through the read-only path. */
  lookups: ReadOnlyQueries;
  resultBuffers: ResultBuffers;
  exporter: Exporter;
  catalog: CatalogCache;
  /** Rolls back what is open, ends the result buffers, then closes every connection. */
  dispose(): Promise<void>;
}

/** Postgres over SSH: connections, the catalog-aware classifier, the safe executor, results and exports. */
export function createPostgres(deps: PostgresDeps): Postgres {
  const { profiles, now, emit } = deps;
  const connections = new PgConnectionRegistry(profiles, deps.sessions, (profile) => deps.localSocketDir(profile));
  const postgres = new PostgresService(connections);
  const catalogClassifier = deps.catalogClassifier(connections);
  const classify = (sql: string, profileId: string) => catalogClassifier.classify(sql, profileId);
  const safeSql = new SafeExecutor({
    profiles,
    connections,
    classify,
    record: deps.recordRun,
    onSettled: (result) => {
      // A committed change may have created or replaced a view or function: look them up again.
      if (result.outcome === 'committed') catalogClassifier.forget(result.profileId);
      emit('onSqlRunSettled', result);
    },
    onEnded: (ended) => emit('onSqlRunEnded', ended),
    confirmationTimeoutMs: deps.confirmationTimeoutMs,
    now,
  });
  const lookups = new ReadOnlyQueries({ profiles, connections, classify });
  const sources = { classify, renderTemplate: deps.renderTemplate, profiles, connections };
  const resultBuffers = new ResultBuffers({
    ...sources,
    record: deps.recordRun,
    onProgress: (status) => emit('onSqlResultProgress', status),
  });
  const exporter = new Exporter({
    ...sources,
    record: deps.record,
    onProgress: (progress) => emit('onSqlExportProgress', progress),
    onEnded: (ended) => emit('onSqlExportEnded', ended),
  });
  const catalog = new CatalogCache(connections, now);
  return {
    connections,
    postgres,
    catalogClassifier,
    classify,
    safeSql,
    lookups,
    resultBuffers,
    exporter,
    catalog,
    async dispose() {
      await safeSql.dispose();
      await resultBuffers.disposeAll();
      await postgres.dispose();
    },
  };
}
