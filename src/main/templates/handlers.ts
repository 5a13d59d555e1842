import type { Handlers } from '../../shared/contract';
import type { SafeExecutor } from '../postgres/safe-executor';
import type { TemplateService } from './template-service';

type TemplateHandlers = Pick<Handlers, Extract<keyof Handlers, `templates.${string}`> | 'sql.run'>;

interface TemplateHandlerDeps {
  templates: TemplateService;
  safeSql: Pick<SafeExecutor, 'run'>;
  /** Refuses an incident id that does not exist (not_found) before anything is recorded under it. */
  knownIncident(id?: string): string | undefined;
}

/**
 * templates.*: the library of query templates and the values an enum parameter may take; and
 * sql.run, which runs free text through the safe executor or a template with bound parameters.
 */
export function templateHandlers({ templates, safeSql, knownIncident }: TemplateHandlerDeps): TemplateHandlers {
  return {
    'sql.run': async ({ profileId, sql, template, params, incidentId, readsOnly }) =>
      template
        ? templates.run({ profileId, template, params, incidentId: knownIncident(incidentId), readsOnly })
        : safeSql.run({ profileId, sql: sql!, incidentId: knownIncident(incidentId), readsOnly }),
    'templates.list': async () => templates.list(),
    'templates.get': async (ref) => templates.resolve(ref),
    'templates.save': async ({ template }) => templates.save(template),
    'templates.remove': async ({ id }) => (templates.remove(id), { removed: true as const }),
    'templates.enumValues': async ({ profileId, template, param }) =>
      templates.enumValues(profileId, await templates.param(template, param)),
  };
}
