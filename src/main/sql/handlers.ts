import type { Handlers } from '../../shared/contract';
import type { CatalogClassifier } from './catalog-classifier';
import { classifySqlAsync } from './classifier';

/** sql.classify: a SQL text's risk, statement by statement (sql.run is in templates/handlers.ts). */
export function sqlHandlers(catalogClassifier: Pick<CatalogClassifier, 'classify'>): Pick<Handlers, 'sql.classify'> {
  return {
    // With a profile, the server's catalog says what the views and functions a statement names do.
    'sql.classify': async ({ sql, profileId }) =>
      profileId ? catalogClassifier.classify(sql, profileId) : classifySqlAsync(sql),
  };
}
