import { z } from 'zod';
import type { IncidentEvent } from '../incident';
import { outcomes } from '../incident';
import type { RiskLevel } from '../risk';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import { sqlTextSchema } from './sql';

const incidentId = z.string().min(1).max(64);
/** The assistant's name as its MCP client introduced itself (clientInfo.name). */
const agent = z.string().trim().min(1, 'is empty: name the assistant').max(200);

/** A change an assistant proposed, as the incident holds it. */
export interface AssistantProposal {
  proposalId: string;
  incidentId: string;
  seq: number;
  at: string;
  agent: string;
  profileId?: string;
  profileName?: string;
  target: 'sql' | 'redis';
  text: string;
  argv?: string[];
  risk: RiskLevel;
  reasons: string[];
  why: string;
  /** `open` until a person dismisses it or takes it to break-glass (`run`: its outcome follows in the timeline). */
  state?: 'open' | 'dismissed' | 'run';
}

export const assistantsOperations = {
  /**
   * Record one tool call of an assistant on the incident timeline (the active one, or `incidentId`),
   * authored {osUser, displayName, agent}; the arguments are redacted before they are stored.
   */
  'assistants.recordCall': operation<IncidentEvent>()(
    z
      .object({
        incidentId: incidentId.optional(),
        agent,
        tool: z.string().min(1).max(100),
        arguments: z.record(z.string(), z.unknown()),
        outcome: z.enum(outcomes),
        bytes: z.number().int().min(0),
        rows: z.number().int().min(0).optional(),
        error: z.string().max(5000).optional(),
        profileId: profileIdSchema.optional(),
      })
      .strict(),
    'Record an assistant tool call',
  ),
  /**
   * Classify a change an assistant proposes (SQL, or a Redis argv) with the profile's catalog or
   * command table and record it as a proposal event. Nothing is sent to the server: a person runs
   * it from the app with the normal confirmation, or dismisses it.
   */
  'assistants.propose': operation<AssistantProposal>()(
    z
      .object({
        incidentId: incidentId.optional(),
        agent,
        profileId: profileIdSchema,
        sql: z.string().min(1, 'is empty: give the statement').pipe(sqlTextSchema).optional(),
        argv: z
          .array(z.string().max(100_000))
          .min(1, 'is empty: give the command and its arguments')
          .max(10_000)
          .optional(),
        why: z.string().trim().min(1, 'is empty: say why the change is needed').max(5000),
      })
      .strict()
      .refine((input) => (input.sql === undefined) !== (input.argv === undefined), 'give exactly one of sql or argv'),
    'Record a proposed change',
  ),
  /** A person dismisses a proposal (it will not be run): recorded as its own event, which the assistant reads. */
  'assistants.dismissProposal': operation<IncidentEvent>()(
    z
      .object({ incidentId, proposalId: z.string().min(1).max(64), reason: z.string().trim().max(2000).optional() })
      .strict(),
    'Dismiss a proposal',
  ),
  /**
   * A person takes a proposal to break-glass: recorded before the run starts, so the run that follows
   * (preview, confirmation, outcome) is linked to the proposal in the timeline and the report.
   */
  'assistants.runProposal': operation<IncidentEvent>()(
    z.object({ incidentId, proposalId: z.string().min(1).max(64) }).strict(),
    'Run a proposal with break-glass',
  ),
  /** The proposals recorded in an incident, oldest first, each with what became of it. */
  'assistants.proposals': operation<AssistantProposal[]>()(
    z.object({ id: incidentId }).strict(),
    'List proposals of an incident',
  ),
};
