import { z } from 'zod';
import { patternProblem } from './template-pattern';

/**
 * Query templates: a SQL text with `$1…$n` markers, where `$n` is the n-th parameter. Values are
 * validated by type and bound through the extended protocol, never spliced into the text; the one
 * exception is `identifier`, which is checked against the catalog and then quoted into the text.
 */
export const templateParamTypes = [
  'text',
  'int',
  'bigint',
  'numeric',
  'bool',
  'date',
  'timestamptz',
  'interval',
  'uuid',
  'enum',
  'identifier',
] as const;

/** What an identifier parameter must name in the catalog. */
export const identifierKinds = ['table', 'column', 'schema'] as const;

const paramName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a name made of letters, digits and _ (at most 63)');

export const templateParamSchema = z
  .object({
    name: paramName,
    type: z.enum(templateParamTypes, { error: `must be one of ${templateParamTypes.join(', ')}` }),
    /** A list of values of the type (bound as an array: use `= ANY($n)`; identifiers are joined with commas). */
    list: z.boolean().default(false),
    label: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    /** Used when no value is given (as the operator would type it; lists comma-separated). */
    default: z.string().max(10_000).optional(),
    required: z.boolean().default(true),
    /** A regular expression (RE2 syntax: no lookaround or backreferences) the whole value (each item of a list) must match. */
    pattern: z.string().max(1000).optional(),
    /** Masked in the form, in results and in the incident timeline. */
    secret: z.boolean().default(false),
    /** enum: the allowed values; or `enumQuery`, a read-only query whose first column lists them. */
    enum: z.array(z.string().max(1000)).max(1000).optional(),
    enumQuery: z.string().max(10_000).optional(),
    /** identifier: what it must name (a table or view by default). */
    identifierKind: z.enum(identifierKinds).optional(),
  })
  .strict()
  .superRefine((param, ctx) => {
    if (param.type === 'enum' && !param.enum?.length && !param.enumQuery)
      ctx.addIssue({
        code: 'custom',
        path: ['enum'],
        message: 'is missing: an enum needs a list of values or an enumQuery',
      });
    const problem = param.pattern === undefined ? null : patternProblem(param.pattern);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });
export type TemplateParam = z.output<typeof templateParamSchema>;
export type TemplateParamInput = z.input<typeof templateParamSchema>;

export const templateInputSchema = z
  .object({
    /** Present when editing a stored template. */
    id: z.string().max(64).optional(),
    name: z.string().trim().min(1, 'is empty: name the template').max(200),
    description: z.string().max(5000).default(''),
    sql: z.string().min(1, 'is empty: write the SQL').max(1_000_000),
    params: z.array(templateParamSchema).max(100).default([]),
  })
  .strict()
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.params.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: 'custom', path: ['params', i, 'name'], message: `"${p.name}" is used twice` });
      seen.add(p.name);
    });
  });
export type TemplateInput = z.input<typeof templateInputSchema>;

export interface QueryTemplateView {
  id: string;
  name: string;
  description: string;
  sql: string;
  params: TemplateParam[];
  /** `library` (editable in the app), `runbook` (read from a runbook's named SQL block) or `file` (a saved query file). */
  source: 'library' | 'runbook' | 'file';
  /** A saved query file's path. */
  path?: string;
  /** Why a saved query file cannot run (its header's line and the fix); listed, never skipped. */
  error?: string;
  createdAt?: string;
  updatedAt?: string;
}
