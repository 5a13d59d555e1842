import { explainOperations } from './explain';
import { schemaBrowserOperations } from './schema-browser';
import { sqlHistoryOperations } from './sql-history';

export * from './explain';
export * from './schema-browser';
export * from './sql-history';

/** The SQL workbench (issue #25): query history, schema browser, EXPLAIN. */
export const sqlWorkbenchOperations = {
  ...sqlHistoryOperations,
  ...schemaBrowserOperations,
  ...explainOperations,
};
