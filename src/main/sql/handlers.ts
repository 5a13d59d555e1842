import type { Handlers } from '../../shared/contract';
import type { CatalogClassifier } from '../postgres/catalog-classifier';
import type { SafeExecutor } from '../postgres/safe-executor';
import type { TemplateService } from '../templates/template-service';
import { classifySqlAsync } from './classifier';

export interface SqlHandlerDeps {
  safeSql: Pick<SafeExecutor, 'run'>;
  templates: Pick<TemplateService, 'run'>;
  catalogClassifier: Pick<CatalogClassifier, 'classify'>;
  /** Refuses an incident id that does not exist (not_found) before anything is recorded under it. */
  knownIncident(id?: string): string | undefined;
}

/** sql.run (free text through the safe executor, or a template with bound parameters) and sql.classify. */
export function sqlHandlers(deps: SqlHandlerDeps): Pick<Handlers, 'sql.run' | 'sql.classify'> {
  const { safeSql, templates, knownIncident } = deps;
  return {
    'sql.run': async ({ profileId, sql, template, params, incidentId, readsOnly }) =>
      template
        ? templates.run({ profileId, template, params, incidentId: knownIncident(incidentId), readsOnly })
        : safeSql.run({ profileId, sql: sql!, incidentId: knownIncident(incidentId), readsOnly }),
    // With a profile, the server's catalog says what the views and functions a statement names do.
    'sql.classify': async ({ sql, profileId }) =>
      profileId ? deps.catalogClassifier.classify(sql, profileId) : classifySqlAsync(sql),
  };
}
