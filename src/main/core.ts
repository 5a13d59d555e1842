import type { Handlers } from '../shared/contract';
import { assistantHandlers } from './assistants/assistant-handlers';
import { boundaryInvoke } from './boundary';
import type { Core, CoreDeps } from './core-api';
import { demoHandlers } from './demo/handlers';
import { flowHandlers } from './flow/handlers';
import { runbookSourceHandlers } from './git-sources/handlers';
import { StepPins } from './git-sources/step-pins';
import { healthHandlers } from './health/handlers';
import { incidentHandlers } from './incidents/handlers';
import { incidentIntegrityHandlers } from './incidents/integrity-handlers';
import { DisposableStore } from './lifecycle/disposable-store';
import { CoreEvents, type EventListener } from './lifecycle/events';
import { postgresHandlers } from './postgres/handlers';
import { connectionTestHandlers } from './connection-test/handlers';
import { profileHandlers } from './profiles/handlers';
import { redisBrowserHandlers, redisCommandHandlers } from './redis/handlers';
import { assertRunbookFolders } from './runbooks/folder-check';
import { runbookHandlers } from './runbooks/handlers';
import { runbookRunHandlers } from './runbooks/run-handlers';
import { sandboxHandlers } from './sandbox/handlers';
import { connect, openFoundation, openLibrary, type Services } from './services';
import { settingsHandlers } from './settings/handlers';
import { sqlHandlers } from './sql/handlers';
import { sshHandlers } from './ssh/handlers';
import { teamHandlers } from './team/handlers';
import { templateHandlers } from './templates/handlers';
import { terminalHandlers } from './terminals/handlers';
import { workbenchHandlers } from './workbench/handlers';

export type { Core, CoreDeps, SavePathRequest } from './core-api';

/**
 * The composition root: builds the services in dependency order (the phases of services.ts),
 * spreads each domain's handlers over them into one table, and owns their disposal. Transports
 * get `Core`: the contract and its events, never the services.
 */
export function createCore(deps: CoreDeps): Core {
  const owner = new DisposableStore();
  const events = new CoreEvents();
  let services: Services;
  try {
    services = buildInOrder(deps, owner, events.emit);
  } catch (error) {
    // A core that could not be built is never handed out: close what was opened before the failure.
    void owner.dispose().catch(() => undefined);
    throw error;
  }
  const handlers = handlerTable(deps, services);
  return {
    invoke: boundaryInvoke(handlers, services.logger),
    subscribe: (listener) => events.subscribe(listener),
    redact: services.redactor.text,
    fileWarnings: services.fileWarnings,
    resume: async () => void (await services.ssh.sessions.checkAll()),
    dispose: () => owner.dispose(),
  };
}

/** Builds the services in dependency order; each is registered with the owner as it is built, so all close in reverse. */
function buildInOrder(deps: CoreDeps, owner: DisposableStore, emit: EventListener): Services {
  const foundation = openFoundation(deps, owner, emit);
  const connections = connect(deps, foundation, owner, emit, () => library);
  const library = openLibrary(deps, { ...foundation, ...connections }, owner, emit);
  // Registered last, so closed first: no connection waits on a host-key question while the rest closes.
  owner.add(connections.ssh.prompts);
  return { ...foundation, ...connections, ...library };
}

/** One handler per contract operation, each from its domain's handlers.ts. */
function handlerTable(deps: CoreDeps, s: Services): Handlers {
  const { incidents, knownIncident, pg, redis, runbooks, ssh } = s;
  const handlers: Handlers = {
    ...settingsHandlers({
      ...s,
      about: {
        version: deps.version ?? '0.0.0',
        dataDir: deps.dataDir,
        nativeDialogs: !!deps.chooseSavePath,
        fileWarnings: [...s.fileWarnings],
      },
      chooseSavePath: async (request) => s.exportTargets.choose(request),
      checkRunbookFolders: assertRunbookFolders,
    }),
    ...profileHandlers({ ...s, afterRemove: (id) => s.sandboxes.drop(id) }),
    ...connectionTestHandlers(s.tester, s.profiles),
    ...sshHandlers(ssh),
    ...sqlHandlers(pg.catalogClassifier),
    ...postgresHandlers({ ...pg, exportTargets: s.exportTargets, knownIncident }),
    ...templateHandlers({ templates: s.templates, safeSql: pg.safeSql, knownIncident }),
    ...healthHandlers(s.health, (run) => incidents.recorder.record('health.run', run)),
    ...redisCommandHandlers({ ...redis, knownIncident }),
    ...redisBrowserHandlers((profileId) => redis.connections.acquire(profileId), redis.runner, knownIncident),
    ...workbenchHandlers(s.db, () => s.profiles.list().map((p) => p.id), s.redactor),
    ...incidentHandlers(incidents, s.exportTargets),
    ...incidentIntegrityHandlers(incidents),
    ...flowHandlers(runbooks, incidents, (id) => s.profiles.list().find((p) => p.id === id)?.name),
    ...s.workbench.handlers,
    ...runbookHandlers(runbooks),
    ...runbookSourceHandlers(
      s.gitSources,
      new StepPins({ sources: s.gitSources, importFile: (path) => runbooks.importFile(path) }),
      incidents,
    ),
    ...teamHandlers(s.team, incidents),
    ...runbookRunHandlers({ ...s, sessions: ssh.sessions, handlers: () => handlers }),
    ...assistantHandlers({
      ...s,
      classifySql: pg.classify,
      classifyRedis: (argv, profileId) => redis.classifier.classify({ argv, profileId }),
    }),
    ...terminalHandlers(s.terminals),
    // What a quit would roll back or end: runs waiting or running, exports being written, shells.
    'app.openWork': async () => [...pg.safeSql.openWork(), ...pg.exporter.openWork(), ...s.terminals.openWork()],
    ...sandboxHandlers({ ...s, closePostgres: (profileId) => pg.postgres.close(profileId) }),
    ...demoHandlers(s.demo),
  };
  return handlers;
}
