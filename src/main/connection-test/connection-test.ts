import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { guardPasswordAuth } from '../postgres/password-auth';
import type { Client } from 'ssh2';
import type { ConnectionTestResult, ConnectionTestStage, ConnectionTestStep } from '../../shared/contract/profiles';
import type { ErrorCode } from '../../shared/errors';
import type { ProfileView, SecretName } from '../../shared/profile';
import { OpsError } from '../errors';
import { connectChain, forwardOut, type Chain } from '../ssh/connect-chain';
import { ForwardedSocket } from '../ssh/forwarded-socket';
import type { HostKeyPolicy, HostKeyPrompter } from '../ssh/host-key-policy';
import type { ProfileRepository } from '../store/profile-repository';
import { describePgTls } from '../../shared/pg-tls';
import { connectWithSslMode, endWithin, pgConnectHint } from '../postgres/tls';
import { profileHops, type HopConfig } from '../profiles/hops';
import { probeRedis, tcpOpener } from '../profiles/redis-probe';
import { pgDriver } from '../drivers';

export interface ConnectionTesterDeps {
  profiles: ProfileRepository;
  hostKeys: HostKeyPolicy;
  prompterFor(profileId: string): HostKeyPrompter;
  /** Each step as it starts and as it ends (the UI's live checklist). */
  onStep(step: ConnectionTestStep): void;
  agentSocket?: string;
  now?: () => Date;
  timeoutMs?: number;
}

/** One test run's steps, in the order they started; every change is reported at once. */
class StepLog {
  readonly steps: ConnectionTestStep[] = [];
  readonly #started = new Map<ConnectionTestStep, number>();

  constructor(
    private readonly base: { testId: string; profileId: string },
    private readonly report: (step: ConnectionTestStep) => void,
    private readonly now: () => Date,
  ) {}

  begin(stage: ConnectionTestStage, target: string, hop?: number): ConnectionTestStep {
    const step: ConnectionTestStep = {
      ...this.base,
      stage,
      target,
      ...(hop ? { hop } : {}),
      status: 'running',
      at: this.now().toISOString(),
    };
    this.steps.push(step);
    this.#started.set(step, performance.now());
    this.report({ ...step });
    return step;
  }

  end(step: ConnectionTestStep, status: 'ok' | 'failed' | 'skipped', detail?: string, code?: ErrorCode): void {
    if (step.status !== 'running') return;
    Object.assign(step, {
      status,
      at: this.now().toISOString(),
      durationMs: Math.round(performance.now() - (this.#started.get(step) ?? performance.now())),
    });
    if (detail) step.detail = detail;
    if (code) step.code = code;
    this.report({ ...step });
  }

  running(): ConnectionTestStep | undefined {
    return this.steps.find((s) => s.status === 'running');
  }
}

/** What a test connects to: a saved profile, or an unsaved draft from the editor. */
export type TestTarget = Pick<ProfileView, 'id' | 'ssh' | 'postgres' | 'redis'>;
/** Opens the secret the test sends; a draft's comes from the form, never from a changed route. */
export type SecretSource = (name: SecretName) => string | undefined;

const where = (hop: HopConfig) => `${hop.user}@${hop.host}:${hop.port}`;
const codeOf = (error: unknown): ErrorCode | undefined => (error instanceof OpsError ? error.code : undefined);
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');

/**
 * "Test connection": a throwaway connection through every hop (live sessions are left alone),
 * then Postgres and Redis, reporting SSH connect → host key → auth per hop, then each service.
 * A stage that fails says why; the stages after a failed SSH chain are skipped.
 */
export class ConnectionTester {
  constructor(private readonly deps: ConnectionTesterDeps) {}

  async test(profileId: string, testId: string = randomUUID()): Promise<ConnectionTestResult> {
    const profile = this.deps.profiles.get(profileId);
    return this.testTarget(profile, (name) => this.deps.profiles.secret(profile.id, name), testId);
  }

  /** Tests any target with the given secrets: nothing is read from or written to the profile store. */
  async testTarget(
    profile: TestTarget,
    secret: SecretSource,
    testId: string = randomUUID(),
  ): Promise<ConnectionTestResult> {
    const profileId = profile.id;
    const log = new StepLog({ testId, profileId }, this.deps.onStep, this.deps.now ?? (() => new Date()));
    let chain: Chain | undefined;
    try {
      let sshFailed = false;
      if (profile.ssh) {
        chain = await this.ssh(profile, secret, log).catch(() => undefined);
        sshFailed = !chain;
      }
      const target = chain?.clients.at(-1);
      if (profile.postgres) await this.postgres(profile, secret, log, sshFailed, target);
      if (profile.redis) await this.redis(profile, secret, log, sshFailed, target);
    } finally {
      for (const client of [...(chain?.clients ?? [])].reverse()) client.end();
      chain?.socket.destroy();
    }
    const failed = log.steps.find((s) => s.status === 'failed');
    return {
      testId,
      profileId,
      ok: !failed && log.steps.length > 0,
      ...(failed ? { failedStage: failed.stage } : {}),
      steps: log.steps,
    };
  }

  private async ssh(profile: TestTarget, secret: SecretSource, log: StepLog): Promise<Chain> {
    const hops = profileHops(profile, secret);
    let current = 0; // index of the hop being worked on
    log.begin('ssh.connect', where(hops[0]!), 1);
    try {
      return await connectChain(hops, {
        keepaliveIntervalMs: profile.ssh!.keepaliveIntervalMs,
        readyTimeoutMs: this.deps.timeoutMs ?? 15_000,
        agentSocket: this.deps.agentSocket,
        knownKeyTypes: (host, port) => this.deps.hostKeys.knownKeyTypes(host, port),
        verifyHostKey: async (host, port, key) => {
          // A host-key check for hop n means hop n-1 authenticated and hop n's handshake began.
          const index = hops.findIndex((hop, i) => i >= current && hop.host === host && hop.port === port);
          for (let i = current; i < index; i++) this.passHop(log, hops, i);
          current = Math.max(index, current);
          this.endRunning(log, 'ok', 'TCP connection and SSH handshake done');
          const verdict = this.deps.hostKeys.verdict(host, port, key);
          const step = log.begin('ssh.hostKey', where(hops[current]!), current + 1);
          try {
            await this.deps.hostKeys.verify(host, port, key, this.deps.prompterFor(profile.id));
          } catch (error) {
            log.end(step, 'failed', reasonOf(error), codeOf(error));
            throw error;
          }
          log.end(step, 'ok', verdict.status === 'known' ? `known (${verdict.source})` : 'new key, trusted by you now');
          log.begin('ssh.auth', where(hops[current]!), current + 1);
        },
      }).then((chain) => {
        this.endRunning(log, 'ok', `authenticated (${hops[current]!.auth})`);
        return chain;
      });
    } catch (error) {
      this.failSsh(log, hops, current, error);
      throw error;
    }
  }

  /** Marks hop i authenticated and hop i+1 connected (inferred once hop i+1 is talking). */
  private passHop(log: StepLog, hops: HopConfig[], i: number): void {
    this.endRunning(log, 'ok', `authenticated (${hops[i]!.auth})`);
    if (i + 1 < hops.length) log.begin('ssh.connect', where(hops[i + 1]!), i + 2);
  }

  private endRunning(log: StepLog, status: 'ok' | 'skipped', detail: string): void {
    const step = log.running();
    if (step) log.end(step, status, detail);
  }

  /** Puts the failure on the stage it belongs to, from the error's code and the step in progress. */
  private failSsh(log: StepLog, hops: HopConfig[], current: number, error: unknown): void {
    const running = log.running();
    if (!running) return; // the host-key step already failed and said why
    const code = codeOf(error);
    let hop = running.hop ?? current + 1;
    let stage: typeof running.stage;
    if (running.stage === 'ssh.auth' && code === 'ssh_connect_failed' && hop < hops.length) {
      // Hop n was up (it forwarded): the next hop could not be reached through it.
      log.end(running, 'ok', `authenticated (${hops[hop - 1]!.auth})`);
      hop += 1;
      stage = 'ssh.connect';
    } else if (running.stage === 'ssh.connect' && code === 'ssh_auth_failed') {
      // The credentials failed before the handshake (no agent, unreadable key file).
      log.end(running, 'skipped', 'not attempted: the credentials for this hop are not usable');
      stage = 'ssh.auth';
    } else {
      log.end(running, 'failed', reasonOf(error), code);
      return;
    }
    log.end(log.begin(stage, where(hops[hop - 1]!), hop), 'failed', reasonOf(error), code);
  }

  private async postgres(
    profile: TestTarget,
    secret: SecretSource,
    log: StepLog,
    sshFailed: boolean,
    ssh: Client | undefined,
  ): Promise<void> {
    const settings = profile.postgres!;
    const step = log.begin('postgres', `${settings.user}@${settings.host}:${settings.port}/${settings.database}`);
    if (sshFailed) return log.end(step, 'skipped', 'not attempted: the SSH connection failed');
    let client: pg.Client | undefined;
    try {
      const connected = await connectWithSslMode(settings, (ssl) => {
        client = guardPasswordAuth(
          new (pgDriver().Client)({
            host: settings.host,
            port: settings.port,
            database: settings.database,
            user: settings.user,
            password: secret('pgPassword'),
            application_name: settings.applicationName,
            ssl,
            connectionTimeoutMillis: this.deps.timeoutMs ?? 15_000,
            ...(ssh ? { stream: () => new ForwardedSocket(ssh) } : {}),
          }),
          { legacyPasswordAuth: settings.legacyPasswordAuth, where: `${settings.host}:${settings.port}` },
        );
        client.on('error', () => undefined);
        return client;
      });
      const { rows } = await connected.client.query<{ version: string; replica: boolean; user: string }>(
        "SELECT current_setting('server_version') AS version, pg_is_in_recovery() AS replica, current_user AS user",
      );
      const row = rows[0]!;
      step.tls = connected.tls;
      log.end(
        step,
        'ok',
        `PostgreSQL ${row.version.split(' ')[0]} (${row.replica ? 'replica, read-only' : 'primary'}) as ${row.user}; ${describePgTls(connected.tls)}`,
      );
    } catch (error) {
      const hint = error instanceof OpsError ? '' : ` ${pgConnectHint(settings.sslmode, reasonOf(error))}`;
      log.end(
        step,
        'failed',
        `Postgres at ${settings.host}:${settings.port} refused: ${reasonOf(error)}.${hint}`,
        codeOf(error) ?? 'pg_error',
      );
    } finally {
      // A server that never closes its end (a hostile one holds it open) must not hold the test.
      if (client) await endWithin(client, 2_000);
    }
  }

  private async redis(
    profile: TestTarget,
    secret: SecretSource,
    log: StepLog,
    sshFailed: boolean,
    ssh: Client | undefined,
  ): Promise<void> {
    const settings = profile.redis!;
    const step = log.begin(
      'redis',
      `${settings.username ? settings.username + '@' : ''}${settings.host}:${settings.port}/${settings.db}${settings.tls ? ' (TLS)' : ''}`,
    );
    if (sshFailed) return log.end(step, 'skipped', 'not attempted: the SSH connection failed');
    const open = ssh ? () => forwardOut(ssh, settings.host, settings.port) : tcpOpener(settings.host, settings.port);
    try {
      const result = await probeRedis(settings, secret('redisPassword'), open, this.deps.timeoutMs ?? 15_000);
      log.end(step, 'ok', `Redis ${result.version} (${result.role}), PING answered`);
    } catch (error) {
      log.end(
        step,
        'failed',
        `Redis at ${settings.host}:${settings.port} failed: ${reasonOf(error)}. Check host and port (as seen from the last SSH hop), ACL user, password, db and TLS.`,
        'redis_error',
      );
    }
  }
}
