import type { Handlers } from '../../shared/contract';
import type { TemplateService } from './template-service';

/** templates.*: the library of query templates and the values an enum parameter may take. */
export function templateHandlers(
  templates: TemplateService,
): Pick<Handlers, Extract<keyof Handlers, `templates.${string}`>> {
  return {
    'templates.list': async () => templates.list(),
    'templates.get': async (ref) => templates.resolve(ref),
    'templates.save': async ({ template }) => templates.save(template),
    'templates.remove': async ({ id }) => (templates.remove(id), { removed: true as const }),
    'templates.enumValues': async ({ profileId, template, param }) =>
      templates.enumValues(profileId, await templates.param(template, param)),
  };
}
