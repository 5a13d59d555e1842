import { z } from 'zod';
import { templateInputSchema, type QueryTemplateView } from '../template';

export type { QueryTemplateView, TemplateParam } from '../template';
export { templateParamTypes } from '../template';
import { operation } from './define';
import { profileIdSchema } from './profiles';
import { templateRefSchema } from './sql';

export const templatesOperations = {
  /** The templates library (SQL with $n markers and typed parameters), by name. */
  'templates.list': operation<QueryTemplateView[]>()(z.object({}).strict(), 'List query templates'),
  /** One template: from the library by name or id, or a runbook's named SQL step (`runbook` path + `step` id). */
  'templates.get': operation<QueryTemplateView>()(templateRefSchema, 'Get a query template'),
  /** Create (no id) or replace a library template; `$n` markers must not exceed the declared parameters. */
  'templates.save': operation<QueryTemplateView>()(
    z.object({ template: templateInputSchema }).strict(),
    'Save a query template',
  ),
  'templates.remove': operation<{ removed: true }>()(
    z.object({ id: z.string().min(1).max(64) }).strict(),
    'Remove a query template',
  ),
  /** The values an enum parameter offers: its fixed list, or its read-only values query run on the profile. */
  'templates.enumValues': operation<string[]>()(
    z.object({ profileId: profileIdSchema, template: templateRefSchema, param: z.string().min(1).max(63) }).strict(),
    'List the values of an enum parameter',
  ),
};
