import type { SqlRunResult } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import type { RunContext } from './run-recording';

/**
 * One safe run as it travels from its classification to its outcome, built once per request:
 * what the timeline records of it (the `RunContext` fields), the profile it runs on, the result
 * its statements fill, the values bound as $1…$n and the profile's limits. The read path, the
 * break-glass path and the pending registry all take this one object instead of loose values.
 */
export interface SafeRun extends RunContext {
  profile: ProfileView;
  risk: SqlRunResult['risk'];
  /** Filled in as the statements run; a step the operator sees gets a copy. */
  result: SqlRunResult;
  /** Bound as $1…$n; never spliced into the text. */
  values?: unknown[];
  statementTimeoutMs: number;
  rowCap: number;
}
