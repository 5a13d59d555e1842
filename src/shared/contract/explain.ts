import { z } from 'zod';
import type { IncidentEvent } from '../incident';
import type { RiskLevel } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import { sqlTextSchema } from './sql';

/** One node of a plan, as EXPLAIN (FORMAT JSON) gives it, with what the view needs computed. */
export interface PlanNode {
  nodeType: string;
  /** "on orders o", "using orders_pkey", "Hash Join (inner)" …: what the node works on. */
  target?: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  /** With ANALYZE: rows per loop, loops, and time of the whole node (all loops) in ms. */
  actualRows?: number;
  actualLoops?: number;
  actualMs?: number;
  /** The node's own share: its cost (or time, with ANALYZE) minus its children's. */
  selfCost: number;
  selfMs?: number;
  /** Among the costliest nodes of the plan (by own time with ANALYZE, else own cost). */
  costly: boolean;
  /** Conditions, keys and filters ("Index Cond: (id = 7)", "Rows Removed by Filter: 120"). */
  details: string[];
  children: PlanNode[];
}

export interface ExplainResult {
  explainId: string;
  profileId: string;
  sql: string;
  risk: RiskLevel;
  analyzed: boolean;
  root: PlanNode;
  planningMs?: number;
  executionMs?: number;
  /** The plan as indented text (the plain-text view, and what is attached to the timeline). */
  text: string;
  /** Said with ANALYZE: the statement was executed (inside a read-only transaction) to time it. */
  note?: string;
}

export const explainOperations = {
  /**
   * EXPLAIN (FORMAT JSON) of one statement, as a tree. Plain EXPLAIN only when every function and
   * operator it calls is known harmless (the planner evaluates immutable and stable functions);
   * `analyze` (which executes the statement) only for statements the classifier calls reads, inside
   * the read-only transaction. Nothing else is sent.
   */
  'sql.explain': operation<ExplainResult>()(
    z
      .object({
        profileId: profileIdSchema,
        sql: z.string().min(1, 'is empty: type a statement').pipe(sqlTextSchema),
        analyze: z.boolean().default(false),
      })
      .strict(),
    'Explain a statement',
  ),
  /** Keeps a plan shown by sql.explain with the incident (the active one, or `incidentId`) as a text attachment. */
  'sql.attachPlan': operation<IncidentEvent>()(
    z.object({ explainId: z.string().min(1).max(64), incidentId: z.string().min(1).max(64).optional() }).strict(),
    'Attach a plan to the timeline',
  ),
};
