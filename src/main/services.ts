import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreDeps } from './core-api';
import { DemoService } from './demo/demo-service';
import { ExportTargets } from './files/export-targets';
import { createRunbookSources } from './git-sources/index';
import { HealthService } from './health/health-service';
import { createIncidents, type Incidents } from './incidents/index';
import { incidentCheck } from './incidents/known-incident';
import { ReportSigner } from './incidents/report-signature';
import type { DisposableStore } from './lifecycle/disposable-store';
import type { EventListener } from './lifecycle/events';
import { Logger } from './logging/logger';
import { createPostgres, type Postgres } from './postgres/index';
import { makeDataFolderPrivate } from './private-files';
import { ProfileService } from './profiles/profile-service';
import { Redactor } from './redaction';
import { createRedis, type RedisDomain } from './redis/index';
import { RunbookService } from './runbooks/runbook-service';
import { RehearsalService } from './sandbox/rehearsal-service';
import { SandboxRegistry } from './sandbox/sandbox-registry';
import { SettingsRepository } from './settings/settings-repository';
import { classifySqlAsync } from './sql/classifier';
import { createSqlWorkbench } from './workbench/sql-workbench';
import { ConnectionTester } from './connection-test/connection-test';
import { createSsh } from './ssh/index';
import type { RecordEvent } from '../shared/record-event';
import { CatalogClassifier } from './sql/catalog-classifier';
import type { SessionManager } from './ssh/session-manager';
import type { Db } from './store/database';
import { openStore } from './store/index';
import { HistoryRepository } from './sql/history/history-repository';
import { feedHistory } from './sql/history/history-tap';
import type { IncidentEvent } from '../shared/incident';
import type { ProfileRepository } from './store/profile-repository';
import type { Vault } from './vault/vault';
import { createTeam } from './team/index';
import { TemplateRepository } from './templates/template-repository';
import { TemplateService } from './templates/template-service';
import { recordCastInIncident } from './terminals/incident-casts';
import { createTerminals } from './terminals/index';
import { unjudgedDialect } from './terminals/terminal-registry';
import type { ShellDialect } from '../shared/shell-quote';
import { judgeShell } from './runbooks/shell-judge';

type Foundation = ReturnType<typeof openFoundation>;
type Connections = ReturnType<typeof connect>;
/** Every service the core is built from: the composition root's alone (transports, tests and benchmarks get the contract). */
export type Services = Foundation & Connections & ReturnType<typeof openLibrary>;

/** What the connections use of the library, which is built after them (reached once running). */
interface Later {
  workbench: { record: RecordEvent };
  templates: Pick<TemplateService, 'render' | 'resolve'>;
}

/**
 * The first phase: the data folder, its store and vault, the redactor, settings, the log and the
 * incident timeline. Each phase registers what it builds with `owner`, so all closes in reverse.
 */
export function openFoundation(deps: CoreDeps, owner: DisposableStore, emit: EventListener) {
  const now = deps.now ?? (() => new Date());
  // Before the store opens: SQLite gives -wal and -shm the mode of the database file.
  const fileWarnings = makeDataFolderPrivate(deps.dataDir);
  const { db, vault, profiles } = owner.add(openStore({ ...deps, readOnly: deps.readOnlyStore, now }));
  // The one redactor: every writer (timeline, log, exports, error payloads) masks through it.
  const redactor = new Redactor((text) => vault.redact(text));
  const settings = new SettingsRepository(db);
  const logger = new Logger({
    dir: join(deps.dataDir, 'logs'),
    level: settings.get().logLevel,
    redact: redactor.text,
    now,
  });
  for (const warning of fileWarnings) logger.warn(warning);
  const operator = () => settings.get().operatorName || deps.operator || userInfo().username;
  // Before the timeline: a run the store deferred to the journal joins the history when it is drained.
  const history = new HistoryRepository(db, () => settings.get().historyRetentionDays, now);
  const keepHistory = feedHistory(history, (error) =>
    logger.warn('query history not kept', { message: (error as Error).message }),
  );
  const incidents = owner.add(
    openIncidents(deps, { db, vault, profiles, redactor, operator, now, onJournalDrained: keepHistory }, emit),
  );
  const knownIncident = incidentCheck(incidents.repository);
  const record = incidents.recorder.record.bind(incidents.recorder);
  const exportTargets = new ExportTargets({
    dataDir: deps.dataDir,
    chooseSavePath: deps.chooseSavePath,
    acceptPaths: deps.acceptExportPaths ?? false,
  });
  return {
    now,
    fileWarnings,
    db,
    vault,
    profiles,
    redactor,
    settings,
    logger,
    operator,
    history,
    keepHistory,
    incidents,
    knownIncident,
    record,
    exportTargets,
  };
}

function openIncidents(
  deps: CoreDeps,
  {
    db,
    vault,
    profiles,
    redactor,
    operator,
    now,
    onJournalDrained,
  }: {
    db: Db;
    vault: Vault;
    profiles: ProfileRepository;
    redactor: Redactor;
    operator: () => string;
    now: () => Date;
    onJournalDrained: (events: IncidentEvent[]) => void;
  },
  emit: EventListener,
): Incidents {
  return createIncidents({
    onJournalDrained,
    db,
    redact: redactor.text,
    findProfile: (ref) => {
      const found =
        profiles.findByName(ref) ?? (profiles.list().some((p) => p.id === ref) ? profiles.get(ref) : undefined);
      return found && { id: found.id, name: found.name, environment: found.environment };
    },
    operator,
    now,
    // The real monotonic clock beside the real wall clock, so a jump of the wall clock shows;
    // an injected `now` (tests) keeps the recorder's own monotonic derived from it.
    monotonic: deps.now ? undefined : () => performance.now(),
    timeZone: deps.timeZone,
    pdfRenderer: deps.pdfRenderer,
    signer: new ReportSigner(deps.dataDir, vault),
    onEvent: (event) => emit('onIncidentEvent', event),
  });
}

/**
 * The second phase: SSH sessions and what runs over them (Postgres, Redis, terminals, the team
 * link, sandboxes, health). What they need of the library, built after them, they reach through
 * `later`, called only once everything is built.
 */
export function connect(
  deps: CoreDeps,
  foundation: Foundation,
  owner: DisposableStore,
  emit: EventListener,
  later: () => Later,
) {
  const { db, vault, profiles, redactor, logger, incidents, record, now } = foundation;
  const ssh = owner.add(
    createSsh({
      ...deps,
      db,
      profiles,
      now,
      emit,
      onState: (event) => {
        // The team database's own link is plumbing, not an action on an environment: not recorded (it would refill the outbox it ships).
        if (!team.isTeamProfile(event.profileId))
          incidents.recordConnectionState(event.profileId, event.state, event.reason);
        emit('onSessionState', event);
        terminals.sessionStateChanged(event);
      },
    }),
  );
  const { sessions } = ssh;
  const tester = new ConnectionTester({
    profiles,
    hostKeys: ssh.hostKeys,
    prompterFor: ssh.prompterFor,
    onStep: (step) => emit('onConnectionTestStep', step),
    agentSocket: ssh.agentSocket,
    now,
  });
  const sandboxes = owner.add(
    new SandboxRegistry({
      dataDir: deps.dataDir,
      templateDir: deps.sandboxTemplateDir ?? process.env.OPSCONSOLE_SANDBOX_CACHE,
      now,
      notice: (message) => logger.info('sandbox rebuilt', { message }),
    }),
  );
  const demo = new DemoService({
    profiles,
    sandboxes,
    templateDir: sandboxes.templateDir,
    bundledRunbooksDir: bundledRunbooksDir(deps),
  });
  const pg: Postgres = owner.add(
    createPostgres({
      profiles,
      sessions,
      now,
      emit,
      record,
      localSocketDir: (profile) => demo.socketDir(profile),
      catalogClassifier: (connections) => new CatalogClassifier(connections),
      recordRun: (kind, payload, options) => later().workbench.record(kind, payload, options),
      renderTemplate: async (profileId, ref, params) => {
        const { templates } = later();
        return templates.render(profileId, await templates.resolve(ref), params);
      },
      confirmationTimeoutMs: deps.confirmationTimeoutMs,
    }),
  );
  const team = owner.add(
    createTeam({
      db,
      vault,
      incidents,
      profiles,
      pgConnections: pg.connections,
      now,
      live: deps.teamLive ?? false,
      heartbeatMs: deps.teamHeartbeatMs,
      emit,
      warn: (message) => logger.warn(message),
    }),
  );
  const redis = owner.add(createRedis({ profiles, sessions, redactor, record, emit, now }));
  const health = new HealthService({ profiles, pg: pg.connections, redis: redis.service, redact: redactor.text, now });
  const profileService = profileServiceOver({ profiles, now, logger, pg, redis, sessions, sandboxes });
  const terminals = owner.add(
    createTerminals({
      sessions,
      dataDir: deps.dataDir,
      emit,
      redactor,
      profileName: (profileId) => profiles.get(profileId).name,
      onRecordingSaved: (info, path) => recordCastInIncident(incidents, info, path),
      openExternal: deps.openExternal,
      judge: judgeSentText,
      now,
    }),
  );
  return { ssh, tester, sandboxes, demo, pg, team, redis, health, profileService, terminals };
}

/** Editing a profile closes what was opened with its old settings. */
function profileServiceOver({
  profiles,
  now,
  logger,
  pg,
  redis,
  sessions,
  sandboxes,
}: {
  profiles: ProfileRepository;
  now: () => Date;
  logger: Logger;
  pg: Postgres;
  redis: RedisDomain;
  sessions: SessionManager;
  sandboxes: SandboxRegistry;
}): ProfileService {
  return new ProfileService(
    profiles,
    now,
    async (profileId) => {
      await pg.postgres.close(profileId);
      await redis.connections.close(profileId);
      await sessions.disconnect(profileId);
      // Closed, not dropped: an edit keeps the demo's data and the cached shape (refreshed on demand).
      await sandboxes.close(profileId, 'demo');
      await sandboxes.close(profileId, 'rehearsal');
    },
    (message, fields) => logger.warn(message, fields),
  );
}

/** The third phase: the runbook library (with its git sources), the SQL workbench, query templates and rehearsals. */
export function openLibrary(
  deps: CoreDeps,
  base: Foundation & Connections,
  owner: DisposableStore,
  emit: EventListener,
) {
  const { db, profiles, settings, incidents, knownIncident, record, redactor, pg, sandboxes, now } = base;
  const { history, keepHistory } = base;
  const runbookSources = owner.add(
    createRunbookSources({
      dataDir: deps.dataDir,
      now,
      classify: classifySqlAsync,
      syncIntervalMs: deps.runbookSyncIntervalMs,
      onSynced: () => emit('onRunbooksChanged', { folder: 'runbook-sources' }),
    }),
  );
  const gitSources = runbookSources.sources;
  const runbooks = owner.add(
    new RunbookService({
      bundledDir: bundledRunbooksDir(deps),
      // The git sources' clones join the library like the operator's own folders.
      folders: () => [...settings.get().runbookFolders, ...gitSources.folders()],
      classify: classifySqlAsync,
      onChange: (event) => emit('onRunbooksChanged', event),
    }),
  );
  const workbench = createSqlWorkbench({
    db,
    dataDir: deps.dataDir,
    settings,
    connections: pg.connections,
    profiles,
    now,
    classify: pg.classify,
    attach: (incidentId, file) => incidents.service.attach(incidentId, file),
    knownIncident,
    record,
    history,
    keepHistory,
    queriesDir: deps.queriesDir ?? (process.env.OPSCONSOLE_QUERIES || undefined),
  });
  const templates: TemplateService = new TemplateService({
    repository: new TemplateRepository(db, now),
    executor: pg.safeSql,
    lookups: pg.lookups,
    openRunbook: (source) => runbooks.open(source),
    classify: pg.classify,
    redactor,
    files: workbench.queryFiles,
  });
  const rehearsals = new RehearsalService({
    profiles,
    connections: pg.connections,
    sandboxes,
    classify: pg.classify,
    renderTemplate: async (profileId, ref, params) => templates.render(profileId, await templates.resolve(ref), params),
    openRunbook: (source) => runbooks.open(source),
    pendingRun: (runId) => pg.safeSql.pendingStatement(runId),
    record,
    now,
  });
  return { gitSources, runbooks, workbench, templates, rehearsals };
}

/** The runbooks shipped with the app: the repository's runbooks/ folder unless told otherwise. */
function bundledRunbooksDir(deps: CoreDeps): string {
  return deps.bundledRunbooksDir ?? fileURLToPath(new URL('../../runbooks', import.meta.url));
}

/**
 * What a text sent to a terminal runs, judged as a runbook step's shell is; text that does not
 * parse is unknown, and so is any text for a PowerShell terminal (the judge reads POSIX shell).
 */
function judgeSentText(text: string, dialect: ShellDialect = 'posix'): { risk: string; reasons: string[] } {
  const foreign = unjudgedDialect(text, dialect);
  if (foreign) return foreign;
  try {
    const { risk, reasons } = judgeShell(text);
    return { risk, reasons };
  } catch (error) {
    return { risk: 'unknown', reasons: [`it does not parse as shell (${(error as Error).message})`] };
  }
}
