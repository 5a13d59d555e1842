import { z } from 'zod';
import type { IncidentEvent } from '../incident';
import type { RiskLevel } from '../risk';
import type { StepKind } from '../runbook';
import { operation } from './define';
import { profileIdSchema } from './profiles';

/** A runbook step of the library that remedies a health check (its fence says `addresses=`). */
export interface StepLink {
  /** The runbook's path in the library (open it with runbooks.open). */
  path: string;
  runbookTitle: string;
  stepId: string;
  title: string;
  kind: StepKind;
  risk: RiskLevel;
  confirm: boolean;
  /** The step's parameter names: a finding's values fill those of the same name. */
  parameters: string[];
  /** The checks it addresses. */
  addresses: string[];
}

const incidentId = z.string().min(1, 'is empty: name an incident by its id').max(64);
const checkId = z.string().regex(/^[a-z][\w-]*(\.[\w-]+)+$/, 'is not a health check id (like pg.blocking_locks)');
const seq = z
  .number({ error: 'must be an event number' })
  .int('must be a whole event number')
  .min(1, 'must be 1 or more (event numbers start at 1)');
const tag = z
  .string()
  .trim()
  .min(1, 'is empty: type a tag')
  .max(60, 'is longer than 60 characters')
  .regex(/^[^\s,]+$/, 'must be one word (no spaces or commas): use - between words');

/** Operations of the finding-to-fix flow: the steps that address a check, findings and curation in the incident. */
export const flowOperations = {
  /** Library steps that address any of the given checks (fence `addresses=`), read-only steps first. */
  'runbooks.stepsAddressing': operation<StepLink[]>()(
    z.object({ checks: z.array(checkId).min(1, 'is empty: name at least one check').max(100) }).strict(),
    'Steps that address a check',
  ),
  /** A health finding kept with the incident: check, status, message, its values and the evidence shown. */
  'incidents.recordFinding': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId.optional(),
        profileId: profileIdSchema,
        check: checkId,
        status: z.enum(['ok', 'warn', 'critical', 'error'], { error: 'must be one of ok, warn, critical, error' }),
        message: z.string().max(5000),
        values: z.record(z.string().max(100), z.string().max(1000)).default({}),
        evidence: z.string().max(20_000).optional(),
      })
      .strict(),
    'Add a health finding to the incident',
  ),
  /**
   * Star, unstar, hide or show an earlier event: recorded as a new event that points at it, so
   * the chain stays append-only; a hidden event stays in the full export, marked hidden.
   */
  'incidents.mark': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId,
        seq,
        mark: z.enum(['star', 'unstar', 'hide', 'unhide'], { error: 'must be one of star, unstar, hide, unhide' }),
        reason: z.string().trim().max(2000).optional(),
      })
      .strict(),
    'Star or hide an event',
  ),
  /** A note with an explicit "happened at" time (the recorded time stays too). */
  'incidents.noteAt': operation<IncidentEvent>()(
    z
      .object({
        id: incidentId.optional(),
        text: z.string().trim().min(1, 'is empty: type the note').max(20_000),
        happenedAt: z
          .string()
          .datetime({ offset: true, error: 'must be a date and time such as 2026-01-31T03:12:00Z' }),
      })
      .strict(),
    'Add a back-dated note',
  ),
  /** Add or remove tags of the incident (each change is an event). */
  'incidents.tag': operation<IncidentEvent>()(
    z
      .object({ id: incidentId, add: z.array(tag).max(50).default([]), remove: z.array(tag).max(50).default([]) })
      .strict(),
    'Tag an incident',
  ),
  /** A short summary for a chat or a status page: title, severity, status, impact, starred steps, next actions. */
  'incidents.summary': operation<{ text: string; format: 'summary' | 'summary-text' }>()(
    z
      .object({
        id: incidentId,
        format: z
          .enum(['summary', 'summary-text'], { error: 'must be summary (Markdown) or summary-text (plain)' })
          .default('summary'),
      })
      .strict(),
    'Chat summary of an incident',
  ),
};
