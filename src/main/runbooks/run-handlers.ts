import type { Handlers } from '../../shared/contract';
import type { Incidents } from '../incidents/index';
import type { Redactor } from '../redaction';
import type { SessionManager } from '../ssh/session-manager';
import type { ProfileRepository } from '../store/profile-repository';
import type { TemplateService } from '../templates/template-service';
import { HeadlessRunner } from './headless-run';
import type { RunbookService } from './runbook-service';

export interface RunbookRunHandlerDeps {
  runbooks: Pick<RunbookService, 'open'>;
  profiles: Pick<ProfileRepository, 'get'>;
  templates: Pick<TemplateService, 'fromRunbook' | 'run'>;
  sessions: Pick<SessionManager, 'connect'>;
  incidents: Incidents;
  redactor: Pick<Redactor, 'remember' | 'text'>;
  /**
   * The composed handler map, read at call time: confirmations, Redis commands and step records go
   * through the very handlers the app's buttons call (the gate, the pins), not a copy of them.
   */
  handlers(): Handlers;
  knownIncident(id?: string): string | undefined;
}

/** runbooks.run: a headless run of a runbook's steps. */
export function runbookRunHandlers(deps: RunbookRunHandlerDeps): Pick<Handlers, 'runbooks.run'> {
  const { incidents } = deps;
  const runner = new HeadlessRunner({
    // A path must be a file of the library (as runbooks.open); the CLI passes FILE's text instead.
    openRunbook: (runbook) => deps.runbooks.open(runbook),
    profile: (id) => deps.profiles.get(id),
    templates: deps.templates,
    confirmSql: (runId, typedName) => deps.handlers()['sql.confirm']({ runId, decision: 'commit', typedName }),
    runRedis: (input) => deps.handlers()['redis.run'](input),
    connect: (profileId) => deps.sessions.connect(profileId),
    record: (kind, payload, options) => incidents.recorder.record(kind, payload, options),
    redact: deps.redactor.text,
    remember: (values) => deps.redactor.remember(values),
    recordStep: (input) => deps.handlers()['incidents.recordStep'](input),
    activeIncident: () => incidents.service.active()?.id ?? null,
  });
  return {
    'runbooks.run': async (input) => runner.run({ ...input, incidentId: deps.knownIncident(input.incidentId) }),
  };
}
