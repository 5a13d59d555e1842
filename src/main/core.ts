import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  operations,
  type EventName,
  type Handlers,
  type HostKeyPrompt,
  type InputOf,
  type OperationName,
  type OutputOf,
  type ParsedInputOf,
  type PayloadOf,
  type TemplateRef,
} from '../shared/contract';
import { boundaryInvoke } from './boundary';
import { OpsError } from './errors';
import { Logger } from './logging/logger';
import { SettingsRepository } from './settings/settings-repository';
import { assistantHandlers } from './assistants/assistant-handlers';
import { incidentHandlers } from './incidents/handlers';
import { incidentIntegrityHandlers } from './incidents/integrity-handlers';
import { ReportSigner } from './incidents/report-signature';
import { createIncidents, type Incidents, type PdfRenderer } from './incidents/index';
import { PgConnectionRegistry } from './postgres/connection-registry';
import { PostgresService } from './postgres/postgres-service';
import { SafeExecutor, type SafeExecutorDeps } from './postgres/safe-executor';
import { CatalogCache } from './postgres/catalog';
import { CatalogClassifier } from './postgres/catalog-classifier';
import { Exporter } from './postgres/exporter';
import { ExportTargets, type SavePathRequest } from './files/export-targets';
import { ResultBuffers } from './postgres/result-buffers';
import { TemplateRepository } from './templates/template-repository';
import { TemplateService } from './templates/template-service';
import { RedisClassifier } from './redis/redis-classifier';
import { RedisConnections } from './redis/redis-connections';
import { makeDataFolderPrivate } from './private-files';
import { Redactor } from './redaction';
import { RedisRunner } from './redis/redis-runner';
import { RedisWatches } from './redis/redis-watches';
import { redisBrowserHandlers } from './redis/handlers';
import { workbenchHandlers } from './workbench/handlers';
import { RedisService } from './redis/redis-service';
import { HealthService } from './health/health-service';
import { assertRunbookFolders } from './runbooks/folder-check';
import { RunbookService } from './runbooks/runbook-service';
import { runbookRunHandlers } from './runbooks/run-handlers';
import { describeHandlers } from './postgres/describe-table';
import { DemoService } from './demo/demo-service';
import { SandboxRegistry } from './sandbox/sandbox-registry';
import { RehearsalService } from './sandbox/rehearsal-service';
import { createRunbookSources } from './git-sources/index';
import { runbookSourceHandlers } from './git-sources/handlers';
import { createTeam } from './team/index';
import { teamHandlers } from './team/handlers';
import { StepPins } from './git-sources/step-pins';
import { classifySqlAsync } from './sql/classifier';
import { createSqlWorkbench } from './sql/workbench';
import { ConnectionTester } from './profiles/connection-test';
import { draftTestHandlers } from './profiles/draft-test';
import { ProfileService } from './profiles/profile-service';
import { HostKeyPolicy, type HostKeyPrompter, type HostKeyQuestion } from './ssh/host-key-policy';
import { SessionManager } from './ssh/session-manager';
import { TunnelService } from './ssh/tunnels';
import { TerminalRegistry } from './terminals/terminal-registry';
import { recordCastInIncident } from './terminals/incident-casts';
import { openDatabase } from './store/database';
import { ProfileRepository } from './store/profile-repository';
import { TrustedHostKeyRepository } from './store/trusted-host-key-repository';
import { sqliteKeyCheckStore } from './vault/key-check-store';
import { flowHandlers } from './flow/handlers';
import { chooseKeySources } from './vault/key-sources';
import { Vault, type VaultKeySource } from './vault/vault';

export interface CoreDeps {
  /** The data folder: SQLite store, key file (when no keychain), logs. */
  dataDir: string;
  version?: string;
  /** known_hosts files consulted before the app's trust store; ~/.ssh/known_hosts by default. */
  knownHostsFiles?: string[];
  /** Overrides the event-driven prompt (the CLI answers from --trust-host-key). */
  hostKeyPrompter?: HostKeyPrompter;
  keySource?: VaultKeySource;
  agentSocket?: string;
  operator?: string;
  now?: () => Date;
  /** How long an unanswered host-key prompt waits before it counts as "no". */
  hostKeyPromptTimeoutMs?: number;
  /** Renders incident reports to PDF: Electron's printToPDF in the app, headless Chromium otherwise. */
  pdfRenderer?: PdfRenderer;
  /** The operator's time zone for reports; the system's by default. */
  timeZone?: string;
  /** Opens an https link in the system browser (Electron's shell.openExternal); the browser host has none. */
  openExternal?: (url: string) => Promise<void>;
  /** The system's save dialog (Electron's dialog.showSaveDialog): an absolute path, or null when dismissed. */
  chooseSavePath?: (options: SavePathRequest) => Promise<string | null>;
  /** The runbooks shipped with the app; the repository's runbooks/ folder by default. */
  bundledRunbooksDir?: string;
  /** Pulls the git runbook sources this often in the background (the app: 15 min); off when unset (the CLI syncs on demand). */
  runbookSyncIntervalMs?: number;
  /** How long a previewed write waits for its confirmation before rolling back (60 s by default). */
  confirmationTimeoutMs?: number;
  /**
   * Whether an export request may name its file by path (the CLI's --out). Off for every window:
   * they pass a save token from app.chooseSavePath instead.
   */
  acceptExportPaths?: boolean;
  /**
   * Where the embedded engine's templates (an initialised cluster, the seeded demo) are cached;
   * OPSCONSOLE_SANDBOX_CACHE, else the data folder. Tests share one to skip initdb per folder.
   */
  sandboxTemplateDir?: string;
  /** Opens the store read-only (commands that only read): no migration, no write lock, works on a read-only file. */
  readOnlyStore?: boolean;
  /** Team mode's continuous link (LISTEN/NOTIFY, presence): the app and the browser host; the CLI ships after a command instead. */
  teamLive?: boolean;
  /** The saved query folder (OPSCONSOLE_QUERIES); overrides the one set in Settings and the data folder's queries/. */
  queriesDir?: string;
}

export type { SavePathRequest };

export type EventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

export interface Core {
  /** Validates the input with the operation's zod schema, then runs it: what every transport calls. */
  invoke<K extends OperationName>(name: K, input: InputOf<K>): Promise<OutputOf<K>>;
  handlers: Handlers;
  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Scrubs every secret this process has opened from a text (logs, error messages). */
  redact(text: string): string;
  /** Entries of the data folder that could not be made private (0700 folder, 0600 files): shown by the app and the CLI. */
  fileWarnings: readonly string[];
  services: {
    profiles: ProfileRepository;
    profileService: ProfileService;
    sessions: SessionManager;
    postgres: PostgresService;
    pgConnections: PgConnectionRegistry;
    tunnels: TunnelService;
    vault: Vault;
    incidents: Incidents;
    terminals: TerminalRegistry;
    safeSql: SafeExecutor;
    templates: TemplateService;
    redis: RedisService;
  };
  /** After the laptop wakes: checks every session at once and rebuilds the dead ones. */
  resume(): Promise<void>;
  dispose(): Promise<void>;
}

/** The composition root: wires the services once and implements the contract. */
export function createCore(deps: CoreDeps): Core {
  const now = deps.now ?? (() => new Date());
  const listeners = new Set<EventListener>();
  const emit: EventListener = (name, payload) => {
    for (const listener of listeners) listener(name, payload);
  };

  // Before the store opens: SQLite gives -wal and -shm the mode of the database file.
  const fileWarnings = makeDataFolderPrivate(deps.dataDir);
  // Said on stderr (the CLI's, the app's log): the operator must know the store they had is kept aside, not lost.
  const db = openDatabase(
    join(deps.dataDir, 'opsconsole.db'),
    (aside) =>
      process.stderr.write(
        `opsconsole: the local store was damaged (SQLite reports it malformed). It is kept as ${aside} and a fresh store was started: profiles and incidents from before are in the kept file.\n`,
      ),
    { readOnly: deps.readOnlyStore },
  );
  const vault = new Vault(deps.keySource ?? chooseKeySources(deps.dataDir), sqliteKeyCheckStore(db, now));
  // The one redactor: every writer (timeline, log, exports, error payloads) masks through it.
  const redactor = new Redactor((text) => vault.redact(text));
  const profiles = new ProfileRepository(db, vault, now);
  const settings = new SettingsRepository(db);
  const logger = new Logger({
    dir: join(deps.dataDir, 'logs'),
    level: settings.get().logLevel,
    redact: redactor.text,
    now,
  });
  for (const warning of fileWarnings) logger.warn(warning);
  const incidents = createIncidents({
    db,
    redact: redactor.text,
    findProfile: (ref) => {
      const found =
        profiles.findByName(ref) ?? (profiles.list().some((p) => p.id === ref) ? profiles.get(ref) : undefined);
      return found && { id: found.id, name: found.name, environment: found.environment };
    },
    operator: () => settings.get().operatorName || deps.operator || userInfo().username,
    now,
    // The real monotonic clock beside the real wall clock, so a jump of the wall clock shows;
    // an injected `now` (tests) keeps the recorder's own monotonic derived from it.
    monotonic: deps.now ? undefined : () => performance.now(),
    timeZone: deps.timeZone,
    pdfRenderer: deps.pdfRenderer,
    signer: new ReportSigner(deps.dataDir, vault),
    onEvent: (event) => emit('onIncidentEvent', event),
  });
  const trustedHostKeys = new TrustedHostKeyRepository(db);
  const hostKeys = new HostKeyPolicy(
    deps.knownHostsFiles ?? [join(userInfo().homedir, '.ssh', 'known_hosts')],
    trustedHostKeys,
    now,
  );

  const pendingPrompts = new Map<string, (trust: boolean) => void>();
  const promptFor = (profileId: string): HostKeyPrompter => ({
    ask(question: HostKeyQuestion) {
      const prompt: HostKeyPrompt = { promptId: randomUUID(), profileId, ...question };
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => answer(false), deps.hostKeyPromptTimeoutMs ?? 120_000);
        const answer = (trust: boolean) => {
          clearTimeout(timer);
          pendingPrompts.delete(prompt.promptId);
          resolve(trust);
        };
        pendingPrompts.set(prompt.promptId, answer);
        emit('onHostKeyPrompt', prompt);
      });
    },
  });

  const sessions = new SessionManager({
    profiles,
    hostKeys,
    prompterFor: (profileId) => deps.hostKeyPrompter ?? promptFor(profileId),
    onState: (event) => {
      // The team database's own link is plumbing, not an action on an environment: not recorded (it would refill the outbox it ships).
      if (!team.isTeamProfile(event.profileId))
        incidents.recordConnectionState(event.profileId, event.state, event.reason);
      emit('onSessionState', event);
      terminals.sessionStateChanged(event);
    },
    agentSocket: deps.agentSocket ?? process.env.SSH_AUTH_SOCK,
    now,
  });
  const sandboxes = new SandboxRegistry({
    dataDir: deps.dataDir,
    templateDir: deps.sandboxTemplateDir ?? process.env.OPSCONSOLE_SANDBOX_CACHE,
    now,
    notice: (message) => logger.info('sandbox rebuilt', { message }),
  });
  const bundledRunbooksDir = deps.bundledRunbooksDir ?? fileURLToPath(new URL('../../runbooks', import.meta.url));
  const demo = new DemoService({ profiles, sandboxes, templateDir: sandboxes.templateDir, bundledRunbooksDir });
  const pgConnections = new PgConnectionRegistry(profiles, sessions, (profile) => demo.socketDir(profile));
  const postgres = new PostgresService(profiles, pgConnections);
  const team = createTeam({
    db,
    vault,
    incidents,
    profiles,
    pgConnections,
    now,
    live: deps.teamLive ?? false,
    emit,
    warn: (message) => logger.warn(message),
  });
  const redisConnections = new RedisConnections(profiles, sessions);
  const redisService = new RedisService(redisConnections);
  const health = new HealthService({ profiles, pg: pgConnections, redis: redisService, redact: redactor.text, now });
  const redisClassifier = new RedisClassifier((profileId) => redisService.liveCommandTable(profileId));
  const tunnels = new TunnelService(profiles, sessions, now);
  const profileService = new ProfileService(
    profiles,
    now,
    async (profileId) => {
      await postgres.close(profileId);
      await redisConnections.close(profileId);
      await sessions.disconnect(profileId);
      // Closed, not dropped: an edit keeps the demo's data and the cached shape (refreshed on demand).
      await sandboxes.close(profileId, 'demo');
      await sandboxes.close(profileId, 'rehearsal');
    },
    (message, fields) => logger.warn(message, fields),
  );
  const terminals = new TerminalRegistry({
    sessions,
    dataDir: deps.dataDir,
    events: {
      onTerminalData: (terminalId, data) => emit('onTerminalData', { terminalId, data }),
      onTerminalExit: (terminalId, exit) => emit('onTerminalExit', { terminalId, ...exit }),
      onTerminalState: (info) => emit('onTerminalState', info),
    },
    redact: redactor.text,
    rememberSecrets: (values) => redactor.remember(values),
    profileName: (profileId) => profiles.get(profileId).name,
    onRecordingSaved: (info, path) => recordCastInIncident(incidents, info, path),
    openExternal: deps.openExternal,
    now,
  });
  const connectionTester = new ConnectionTester({
    profiles,
    hostKeys,
    prompterFor: (profileId) => deps.hostKeyPrompter ?? promptFor(profileId),
    onStep: (step) => emit('onConnectionTestStep', step),
    agentSocket: deps.agentSocket ?? process.env.SSH_AUTH_SOCK,
    now,
  });

  const runbookSources = createRunbookSources({
    dataDir: deps.dataDir,
    now,
    classify: classifySqlAsync,
    syncIntervalMs: deps.runbookSyncIntervalMs,
    onSynced: () => emit('onRunbooksChanged', { folder: 'runbook-sources' }),
  });
  const gitSources = runbookSources.sources;
  const runbooks = new RunbookService({
    bundledDir: bundledRunbooksDir,
    // The git sources' clones join the library like the operator's own folders.
    folders: () => [...settings.get().runbookFolders, ...gitSources.folders()],
    classify: classifySqlAsync,
    onChange: (event) => emit('onRunbooksChanged', event),
  });

  const workbench = createSqlWorkbench({
    db,
    dataDir: deps.dataDir,
    settings,
    connections: pgConnections,
    profiles,
    now,
    classify: (sql, profileId) => catalogClassifier.classify(sql, profileId),
    attach: (incidentId, file) => incidents.service.attach(incidentId, file),
    knownIncident: (id) => knownIncident(id),
    record: (kind, payload, options) => incidents.recorder.record(kind, payload, options),
    onError: (error) => logger.warn('query history not kept', { message: (error as Error).message }),
    queriesDir: deps.queriesDir ?? (process.env.OPSCONSOLE_QUERIES || undefined),
  });
  const catalogClassifier = new CatalogClassifier(pgConnections);
  const classifyOn = (sql: string, profileId: string) => catalogClassifier.classify(sql, profileId);
  const safeSql = new SafeExecutor({
    profiles,
    connections: pgConnections,
    classify: classifyOn,
    record: workbench.record,
    onSettled: (result) => {
      // A committed change may have created or replaced a view or function: look them up again.
      if (result.outcome === 'committed') catalogClassifier.forget(result.profileId);
      emit('onSqlRunSettled', result);
    },
    confirmationTimeoutMs: deps.confirmationTimeoutMs,
    now,
  });
  const templates = new TemplateService({
    repository: new TemplateRepository(db, now),
    executor: safeSql,
    openRunbook: (path) => runbooks.open({ path }),
    classify: classifyOn,
    redactor,
    files: workbench.queryFiles,
  });
  const readSources = {
    classify: classifyOn,
    renderTemplate: async (profileId: string, ref: TemplateRef, params: Record<string, unknown>) =>
      templates.render(profileId, await templates.resolve(ref), params),
  };
  const recordSql: SafeExecutorDeps['record'] = (kind, payload, options) =>
    void incidents.recorder.record(kind, payload, options);
  const resultBuffers = new ResultBuffers({
    ...readSources,
    profiles,
    connections: pgConnections,
    record: workbench.record,
    onProgress: (status) => emit('onSqlResultProgress', status),
  });
  const exportTargets = new ExportTargets({
    dataDir: deps.dataDir,
    chooseSavePath: deps.chooseSavePath,
    acceptPaths: deps.acceptExportPaths ?? false,
  });
  const exporter = new Exporter({
    ...readSources,
    profiles,
    connections: pgConnections,
    record: recordSql,
    onProgress: (progress) => emit('onSqlExportProgress', progress),
  });
  const catalog = new CatalogCache(pgConnections, now);
  const redis = new RedisRunner({ profiles, connections: redisConnections, redactor, record: recordSql });
  const redisWatches = new RedisWatches({
    profiles,
    connections: redisConnections,
    redactor,
    record: recordSql,
    emit: (event) => emit('onRedisWatch', event),
    now,
  });
  const rehearsals = new RehearsalService({
    profiles,
    connections: pgConnections,
    sandboxes,
    classify: classifyOn,
    renderTemplate: readSources.renderTemplate,
    openRunbook: (path) => runbooks.open({ path }),
    pendingRun: (runId) => safeSql.pendingStatement(runId),
    record: (kind, payload) => void incidents.recorder.record(kind, payload),
    now,
  });
  const knownIncident = (id?: string) => {
    if (id && incidents.repository.status(id) === undefined)
      throw new OpsError('not_found', `No incident with id ${id}: list them with "opsconsole incident list".`);
    return id;
  };

  // A health run goes into the timeline when its statuses differ from the last one recorded for
  // the profile, so polling every few seconds records changes, not repetitions.
  const lastHealth = new Map<string, string>();
  const recordHealthRun = (report: Awaited<ReturnType<HealthService['run']>>) => {
    const checks = report.checks.map((c) => ({ id: c.id, status: c.status, message: c.message }));
    const signature = checks.map((c) => `${c.id}=${c.status}`).join(',');
    if (lastHealth.get(report.profileId) !== signature) {
      lastHealth.set(report.profileId, signature);
      incidents.recorder.record('health.run', {
        profileId: report.profileId,
        profileName: report.profileName,
        checks,
        durationMs: report.durationMs,
      });
    }
    return report;
  };

  const handlers: Handlers = {
    'app.info': async () => ({
      version: deps.version ?? '0.0.0',
      vaultProtection: vault.protection,
      dataDir: deps.dataDir,
      operator: settings.get().operatorName || deps.operator || userInfo().username,
      logFile: logger.file,
      nativeDialogs: !!deps.chooseSavePath,
      fileWarnings,
    }),
    'app.chooseSavePath': async (request) => exportTargets.choose(request),
    'runbooks.list': async () => runbooks.list(),
    'runbooks.open': async (input) => runbooks.open(input),
    'runbooks.lint': async ({ paths }) => runbooks.lint(paths, { libraryOnly: true }),
    'settings.get': async () => settings.get(),
    'settings.update': async ({ patch }) => {
      assertRunbookFolders(patch.runbookFolders);
      const updated = settings.update(patch);
      logger.setLevel(updated.logLevel);
      return updated;
    },
    'profiles.list': async () => profiles.list(),
    'profiles.get': async (ref) => profileService.resolve(ref),
    'profiles.export': async ({ ids }) => profileService.export(ids),
    'profiles.import': async ({ text, ...options }) => profileService.importFile(text, options),
    'profiles.importSshConfig': async ({ path, hosts, environment, ...options }) =>
      profileService.importSshConfig({ path, hosts, environment }, options),
    'profiles.testConnection': async ({ id, testId }) => connectionTester.test(id, testId),
    'profiles.save': async (request) => profileService.save(request),
    'profiles.previewSave': async ({ id, profile }) => profileService.previewSave(id, profile),
    'profiles.remove': async ({ id }) => {
      await profileService.remove(id);
      await sandboxes.drop(id);
      return { removed: true as const };
    },
    'sessions.connect': async ({ profileId }) => {
      await sessions.connect(profileId);
      return sessions.list().find((s) => s.profileId === profileId)!;
    },
    'sessions.answerHostKey': async ({ promptId, trust }) => {
      const answer = pendingPrompts.get(promptId);
      if (!answer)
        throw new OpsError(
          'not_found',
          'That host-key question is no longer open (it timed out or was answered): connect again.',
        );
      answer(trust);
      return { answered: true };
    },
    'sessions.disconnect': async ({ profileId }) => {
      await sessions.disconnect(profileId);
      return { closed: true };
    },
    'sessions.list': async () => sessions.list(),
    'sessions.checkAll': async () => sessions.checkAll(),
    'knownHosts.list': async () => hostKeys.listTrusted(),
    'knownHosts.remove': async ({ host, port, keyType }) => ({ removed: hostKeys.forget(host, port, keyType) }),
    'tunnels.open': async (request) => tunnels.open(request),
    'tunnels.list': async ({ profileId }) => tunnels.list(profileId),
    'tunnels.close': async ({ tunnelId }) => (await tunnels.close(tunnelId), { closed: true as const }),
    'sql.run': async ({ profileId, sql, template, params, incidentId, readsOnly }) =>
      template
        ? templates.run({ profileId, template, params, incidentId: knownIncident(incidentId), readsOnly })
        : safeSql.run({ profileId, sql: sql!, incidentId: knownIncident(incidentId), readsOnly }),
    'sql.confirm': async ({ runId, decision, typedName }) => safeSql.confirm(runId, decision, typedName),
    'sql.cancel': async ({ profileId }) => ({
      cancelled: (await resultBuffers.cancelProfile(profileId)) || (await safeSql.cancel(profileId)),
    }),
    'sql.openResult': async ({ incidentId, ...source }) =>
      resultBuffers.open({ ...source, incidentId: knownIncident(incidentId) }),
    'sql.readWindow': async ({ resultId, offset, limit, sort, filter }) =>
      resultBuffers.readWindow(resultId, offset, limit, { sort, filter }),
    'sql.closeResult': async ({ resultId }) => ({ closed: await resultBuffers.close(resultId) }),
    'sql.export': async ({ incidentId, path, saveToken, overwrite, ...request }) => {
      const target = exportTargets.resolve({ path, saveToken, overwrite })!;
      return exporter.export({ ...request, ...target, incidentId: knownIncident(incidentId) });
    },
    'sql.cancelExport': async ({ exportId }) => ({ cancelled: await exporter.cancel(exportId) }),
    'sql.catalog': async ({ profileId, refresh }) => catalog.get(profileId, refresh),
    'templates.list': async () => templates.list(),
    'templates.get': async (ref) => templates.resolve(ref),
    'templates.save': async ({ template }) => templates.save(template),
    'templates.remove': async ({ id }) => (templates.remove(id), { removed: true as const }),
    'templates.enumValues': async ({ profileId, template, param }) =>
      templates.enumValues(profileId, await templates.param(template, param)),
    'sql.classify': async ({ sql, profileId }) =>
      profileId ? catalogClassifier.classify(sql, profileId) : classifySqlAsync(sql),
    'redis.classify': async (input) => redisClassifier.classify(input),
    'health.checks': async ({ target, params }) => health.checks(target, params),
    'health.run': async (input) => recordHealthRun(await health.run(input)),
    'redis.run': async ({ incidentId, ...input }) => redis.run({ ...input, incidentId: knownIncident(incidentId) }),
    'redis.watch': async ({ incidentId, ...input }) =>
      redisWatches.start({ ...input, incidentId: knownIncident(incidentId) }),
    'redis.stopWatch': async ({ watchId }) => ({ stopped: redisWatches.stop(watchId) }),
    ...redisBrowserHandlers((profileId) => redisConnections.acquire(profileId), redis, knownIncident),
    ...workbenchHandlers(db, () => profiles.list().map((p) => p.id), redactor),
    ...incidentHandlers(incidents, exportTargets),
    ...incidentIntegrityHandlers(incidents),
    ...flowHandlers(runbooks, incidents, (id) => profiles.list().find((p) => p.id === id)?.name),
    ...workbench.handlers,
    ...runbookSourceHandlers(
      gitSources,
      new StepPins({ sources: gitSources, importFile: (path) => runbooks.importFile(path) }),
      incidents,
    ),
    ...teamHandlers(team, incidents),
    ...draftTestHandlers(connectionTester, profiles),
    ...describeHandlers(safeSql),
    ...runbookRunHandlers({
      runbooks,
      profiles,
      templates,
      sessions,
      incidents,
      redactor,
      handlers: () => handlers,
      knownIncident,
    }),
    ...assistantHandlers({
      incidents,
      profiles,
      classifySql: classifyOn,
      classifyRedis: (argv, profileId) => redisClassifier.classify({ argv, profileId }),
      knownIncident,
    }),
    'terminals.open': async (input) => terminals.open(input),
    'terminals.write': async ({ terminalId, data }) => ({ written: terminals.write(terminalId, data) }),
    'terminals.resize': async ({ terminalId, cols, rows }) => (
      terminals.resize(terminalId, cols, rows),
      { resized: true as const }
    ),
    'terminals.ack': async ({ terminalId, chars }) => ({ unacked: terminals.ack(terminalId, chars) }),
    'terminals.close': async ({ terminalId }) => (await terminals.close(terminalId), { closed: true as const }),
    'terminals.reopen': async ({ terminalId, cols, rows }) => terminals.reopen(terminalId, { cols, rows }),
    'terminals.list': async () => terminals.list(),
    'terminals.classify': async ({ text }) => terminals.classify(text),
    'terminals.send': async ({ terminalId, ...input }) => terminals.send(terminalId, input),
    'terminals.recordings': async ({ profileId }) => terminals.recordings(profileId),
    'terminals.recording': async (ref) => terminals.casts.read(ref),
    'terminals.openLink': async ({ url }) => (await terminals.openLink(url), { opened: true as const }),
    'sandbox.list': async ({ profileId }) => sandboxes.list(profileId),
    'sandbox.drop': async ({ profileId, kind }) => {
      // The demo's database is held open by its Postgres connections: close those first.
      if (!kind || kind === 'demo') await postgres.close(profileId);
      return { dropped: await sandboxes.drop(profileId, kind) };
    },
    'sandbox.rehearse': async (input) => rehearsals.rehearse(input),
    // The demo's rehearsal shape comes with its template (no read of the engine on the first minute).
    'demo.create': async () => demo.create(),
  };

  return {
    invoke: boundaryInvoke(handlers, logger),
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    redact: redactor.text,
    fileWarnings,
    services: {
      profiles,
      profileService,
      sessions,
      postgres,
      pgConnections,
      tunnels,
      vault,
      incidents,
      terminals,
      safeSql,
      templates,
      redis: redisService,
    },
    async resume() {
      await sessions.checkAll();
    },
    async dispose() {
      for (const answer of pendingPrompts.values()) answer(false);
      await team.dispose();
      await terminals.dispose();
      await tunnels.dispose();
      await safeSql.dispose();
      await resultBuffers.disposeAll();
      redisWatches.dispose();
      await redisConnections.dispose();
      await postgres.dispose();
      await sandboxes.dispose();
      await sessions.dispose();
      await incidents.dispose();
      runbooks.dispose();
      runbookSources.dispose();
      db.close();
    },
  };
}
