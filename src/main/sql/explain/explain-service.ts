import { randomUUID } from 'node:crypto';
import type { ExplainResult } from '../../../shared/contract';
import type { IncidentEvent } from '../../../shared/incident';
import { reasonCode, type SqlClassification } from '../../../shared/risk';
import { OpsError } from '../../errors';
import type { PgConnectionRegistry } from '../../postgres/connection-registry';
import { extended, withReadOnlyTransaction } from '../../postgres/read-only-transaction';
import { explainable } from '../../postgres/statement-traits';
import { callsUnvetted } from '../../postgres/unpreviewed-plans';
import type { ProfileRepository } from '../../store/profile-repository';
import { planText, planTree } from './plan-tree';

export interface ExplainDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: Pick<PgConnectionRegistry, 'run' | 'settings'>;
  classify(sql: string, profileId: string): Promise<SqlClassification>;
  /** Keeps a text with the incident (the incident service's `attach`). */
  attach(
    incidentId: string | undefined,
    file: { name: string; mediaType: string; content: string; description?: string },
  ): IncidentEvent;
}

/** Plans kept for "attach to the timeline": the last few, so a request names one by id. */
const keptPlans = 20;

export const analyzeNote =
  'EXPLAIN ANALYZE executed the query to time it (inside a read-only transaction, rolled back): its rows were read but not shown.';

/**
 * EXPLAIN for the workbench. One statement only; plain EXPLAIN only when planning it runs nothing
 * unvetted (the planner evaluates immutable and stable functions); ANALYZE only for reads. Both
 * inside `withReadOnlyTransaction`, as the read role, by the extended protocol.
 */
export class ExplainService {
  readonly #plans = new Map<string, ExplainResult>();

  constructor(private readonly deps: ExplainDeps) {}

  async explain(profileId: string, sql: string, analyze: boolean): Promise<ExplainResult> {
    const classification = await this.deps.classify(sql, profileId);
    const [statement, ...more] = classification.statements;
    if (!statement || more.length > 0)
      throw new OpsError(
        'invalid_input',
        `sql has ${classification.statements.length} statements: EXPLAIN takes one. Select the one to explain.`,
      );
    if (!explainable(statement.text))
      throw new OpsError(
        'invalid_input',
        'EXPLAIN applies to SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES and TABLE: this statement has no plan.',
      );
    const reasons = statement.reasons.length ? ` (${statement.reasons.join(', ')})` : '';
    if (analyze && statement.risk !== 'read') {
      throw new OpsError(
        'refused',
        `EXPLAIN ANALYZE executes the statement, and this one is ${statement.risk}${reasons}: nothing was sent. Use EXPLAIN without ANALYZE, which plans it without running it, or rehearse it.`,
      );
    }
    const unvetted = statement.reasons.filter((r) => callsUnvetted.has(reasonCode(r) ?? r));
    if (unvetted.length > 0) {
      throw new OpsError(
        'refused',
        `Planning this statement may run a function that is not known harmless (${unvetted.join(', ')}): the planner evaluates immutable and stable functions, so no plan was asked for. Nothing was sent.`,
      );
    }
    const options = analyze ? 'FORMAT JSON, ANALYZE, BUFFERS' : 'FORMAT JSON';
    const settings = this.deps.connections.settings(this.deps.profiles.get(profileId));
    const json = await this.deps.connections.run(
      profileId,
      async (client) => {
        try {
          return await withReadOnlyTransaction(
            client,
            { statementTimeoutMs: settings.statementTimeoutMs },
            async () => {
              const result = await client.query(
                extended({ text: `EXPLAIN (${options}) ${statement.text}`, rowMode: 'array' }),
              );
              return JSON.parse(String((result.rows[0] as unknown[])[0])) as unknown;
            },
          );
        } catch (error) {
          throw new OpsError('pg_error', `Postgres could not explain it: ${(error as Error).message}`, {
            cause: error,
          });
        }
      },
      'read',
    );
    const tree = planTree(json, analyze);
    const result: ExplainResult = {
      explainId: randomUUID(),
      profileId,
      sql: statement.text,
      risk: statement.risk,
      analyzed: analyze,
      ...tree,
      text: planText(tree.root, tree),
      ...(analyze ? { note: analyzeNote } : {}),
    };
    this.keep(result);
    return result;
  }

  /** Attaches a plan this process showed to the incident's timeline (as plan.txt, redacted like any attachment). */
  attach(explainId: string, incidentId?: string): IncidentEvent {
    const plan = this.#plans.get(explainId);
    if (!plan)
      throw new OpsError(
        'not_found',
        'That plan is no longer kept (only the last 20 are): explain the statement again, then attach it.',
      );
    const profile = this.deps.profiles.get(plan.profileId);
    const content = `-- ${plan.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${profile.name}\n${plan.sql}\n\n${plan.text}\n`;
    return this.deps.attach(incidentId, {
      name: plan.analyzed ? 'explain-analyze.txt' : 'explain.txt',
      mediaType: 'text/plain',
      content,
      description: `Plan of ${plan.sql.slice(0, 1500)}`,
    });
  }

  private keep(result: ExplainResult): void {
    this.#plans.set(result.explainId, result);
    for (const id of this.#plans.keys()) {
      if (this.#plans.size <= keptPlans) break;
      this.#plans.delete(id);
    }
  }
}
