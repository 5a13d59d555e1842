import { randomUUID } from 'node:crypto';
import type { SqlRunResult } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import type { SqlClassification } from '../../shared/risk';
import type { RunContext } from './run-recording';
import { notRun } from './statement-runner';

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

interface NewRun {
  request: Pick<SafeRun, 'sql' | 'parameters' | 'incidentId' | 'values'>;
  profile: ProfileView;
  classification: SqlClassification;
  /** The Postgres users reads and writes run as on this profile. */
  roles: { read: string; write: string };
  limits: Pick<SafeRun, 'statementTimeoutMs' | 'rowCap'>;
}

/** The run context of a checked, classified request, with its result (every statement not run yet). */
export function newRun({ request, profile, classification, roles, limits }: NewRun): SafeRun {
  const { sql, parameters, incidentId, values } = request;
  const { risk } = classification;
  const result: SqlRunResult = {
    runId: randomUUID(),
    profileId: profile.id,
    profileName: profile.name,
    risk,
    outcome: 'read',
    statements: classification.statements.map(notRun),
    durationMs: 0,
    role: risk === 'read' ? roles.read : roles.write,
    ...(parameters?.length ? { parameters } : {}),
  };
  const { statementTimeoutMs, rowCap } = limits;
  const context = { profileId: profile.id, profileName: profile.name, sql, parameters, incidentId, roles, risk };
  return { ...context, profile, result, values, statementTimeoutMs, rowCap };
}
