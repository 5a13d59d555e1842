import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisWatchEvent, RedisWatchMessage, RedisWatchStart } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import { isWatchCommand } from '../../shared/redis-watch';
import type { RiskLevel } from '../../shared/risk';
import { OpsError } from '../errors';
import type { RecordEvent } from '../../shared/record-event';
import type { ProfileRepository } from '../store/profile-repository';
import { checkConfirmation, wrongNameMessage } from './confirmation';
import type { RedisConnections } from './redis-connections';
import type { RedisRedactor } from './redis-runner';

export interface RedisWatchDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: Pick<RedisConnections, 'dedicated' | 'settings'>;
  redactor: Pick<RedisRedactor, 'redisArgv' | 'text'>;
  record: RecordEvent;
  emit(event: RedisWatchEvent): void;
  now?: () => Date;
}

export interface RedisWatchRequest {
  profileId: string;
  argv: string[];
  seconds: number;
  confirm?: { typedName?: string };
  incidentId?: string;
}

/** The risk MONITOR is recorded with. */
const monitorRisk: RiskLevel = 'admin';

/** Messages are sent to the renderer in batches, so a busy MONITOR cannot flood it. */
const flushEveryMs = 200;
const maxPerBatch = 500;
/** A watch stops by itself after this many messages: it is for a look, not a log shipper. */
const maxMessages = 100_000;

interface Watch {
  id: string;
  profile: ProfileView;
  shown: string[];
  client: Redis;
  started: number;
  count: number;
  dropped: number;
  batch: RedisWatchMessage[];
  timers: NodeJS.Timeout[];
  options: { incidentId?: string };
}

/**
 * SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and MONITOR, each on a connection of its own that lives only
 * as long as the watch: the time limit, the Stop button (`stop`), the connection ending, or the
 * message cap ends it, and the end is recorded with the count. The shared client never enters
 * subscriber or monitor mode.
 */
export class RedisWatches {
  readonly #watches = new Map<string, Watch>();

  constructor(private readonly deps: RedisWatchDeps) {}

  async start(request: RedisWatchRequest): Promise<RedisWatchStart> {
    const { argv } = request;
    if (!isWatchCommand(argv))
      throw new OpsError(
        'invalid_input',
        `argv must be SUBSCRIBE channel…, PSUBSCRIBE pattern…, SSUBSCRIBE channel… or MONITOR, not ${argv[0]}: run other commands with redis.run.`,
      );
    const monitor = argv[0]!.toLowerCase() === 'monitor';
    if (!monitor && argv.length < 2)
      throw new OpsError(
        'invalid_input',
        `argv names no channel: give ${argv[0]!.toUpperCase()} and at least one channel or pattern.`,
      );
    const profile = this.deps.profiles.get(request.profileId);
    this.deps.connections.settings(profile);
    const shown = this.deps.redactor.redisArgv(argv);
    const options = request.incidentId ? { incidentId: request.incidentId } : {};
    if (monitor) {
      const gate = this.monitorGate(profile, shown, request.confirm, options);
      if (gate) return gate;
    }
    const client = await this.deps.connections.dedicated(profile.id, monitor ? 'monitor' : 'subscribe');
    const watch: Watch = {
      id: randomUUID(),
      profile,
      shown,
      client,
      started: performance.now(),
      count: 0,
      dropped: 0,
      batch: [],
      timers: [],
      options,
    };
    this.#watches.set(watch.id, watch);
    this.listen(watch, monitor);
    try {
      // 'watching' is said only once the server is listening: nothing typed after it is missed.
      if (monitor) await monitoring(client);
      else await subscribe(client, argv);
    } catch (error) {
      const refusal = this.deps.redactor.text((error as Error).message);
      this.end(watch, `the server refused it: ${refusal}`, refusal);
      return { outcome: 'refused', argv: shown, message: `${shown[0]} was refused by the server: ${refusal}` };
    }
    watch.timers.push(
      setTimeout(() => this.end(watch, `time limit of ${request.seconds} s reached`), request.seconds * 1000),
    );
    watch.timers.push(setInterval(() => this.flush(watch), flushEveryMs));
    const expiresAt = new Date((this.deps.now?.() ?? new Date()).getTime() + request.seconds * 1000).toISOString();
    return { outcome: 'watching', watchId: watch.id, argv: shown, expiresAt };
  }

  /** The Stop button. */
  stop(watchId: string): boolean {
    const watch = this.#watches.get(watchId);
    if (!watch) return false;
    this.end(watch, 'stopped by the operator');
    return true;
  }

  dispose(): void {
    for (const watch of [...this.#watches.values()]) this.end(watch, 'the console closed');
  }

  /**
   * MONITOR shows every command of every client and slows a busy server: gated like a write, and
   * its refusals and confirmations recorded as redis.run records them.
   */
  private monitorGate(
    profile: ProfileView,
    shown: string[],
    confirm: RedisWatchRequest['confirm'],
    options: Watch['options'],
  ): RedisWatchStart | undefined {
    const where = { profileId: profile.id, profileName: profile.name, action: shown.join(' '), risk: monitorRisk };
    const refuse = (message: string): RedisWatchStart => {
      this.deps.record('refusal', { ...where, reason: message, target: 'redis' }, options);
      return { outcome: 'refused', argv: shown, message };
    };
    const check = checkConfirmation(profile, confirm);
    if (check.kind === 'forbidden')
      return refuse(
        `Profile "${profile.name}" is read-only: MONITOR slows the server for every client, so it was not started.`,
      );
    if (check.kind === 'ask')
      return {
        outcome: 'confirmation_required',
        argv: shown,
        confirmation: check.confirmation,
        message: `MONITOR streams every command of every client and slows a busy server: confirm to watch it${check.confirmation.policy === 'type-profile-name' ? ` (type "${profile.name}")` : ''}.`,
      };
    if (check.kind === 'wrong-name')
      return refuse(wrongNameMessage(profile, check.typed && this.deps.redactor.text(check.typed)));
    this.deps.record('confirmation', { ...where, method: check.method }, options);
    return undefined;
  }

  private listen(watch: Watch, monitor: boolean): void {
    const at = () => (this.deps.now?.() ?? new Date()).toISOString();
    const redact = this.deps.redactor;
    const push = (message: Omit<RedisWatchMessage, 'at'>) => this.push(watch, { at: at(), ...message });
    if (monitor) {
      watch.client.on('monitor', (_time: string, args: string[], source: string, database: string) =>
        push({ text: `[${database} ${source}] ${redact.redisArgv(args.map(String)).join(' ')}` }),
      );
    } else {
      watch.client.on('message', (channel: string, message: string) => push({ channel, text: redact.text(message) }));
      watch.client.on('smessage', (channel: string, message: string) => push({ channel, text: redact.text(message) }));
      watch.client.on('pmessage', (pattern: string, channel: string, message: string) =>
        push({ pattern, channel, text: redact.text(message) }),
      );
    }
    watch.client.once('end', () => this.end(watch, 'the connection ended'));
  }

  private push(watch: Watch, message: RedisWatchMessage): void {
    watch.count++;
    if (watch.batch.length < maxPerBatch) watch.batch.push(message);
    else watch.dropped++;
    if (watch.count >= maxMessages) this.end(watch, `${maxMessages} messages received`);
  }

  private flush(watch: Watch): void {
    if (watch.batch.length === 0 && watch.dropped === 0) return;
    this.deps.emit({
      watchId: watch.id,
      profileId: watch.profile.id,
      type: 'messages',
      messages: watch.batch,
      dropped: watch.dropped,
    });
    watch.batch = [];
    watch.dropped = 0;
  }

  /** Ends the watch and records it: `refusal` is the server's answer when it refused to start it. */
  private end(watch: Watch, reason: string, refusal?: string): void {
    if (!this.#watches.delete(watch.id)) return;
    watch.timers.forEach((timer) => clearTimeout(timer));
    this.flush(watch);
    watch.client.disconnect();
    const durationMs = Math.round(performance.now() - watch.started);
    const risk = watch.shown[0]!.toLowerCase() === 'monitor' ? monitorRisk : 'read';
    this.deps.record(
      'redis.run',
      {
        profileId: watch.profile.id,
        profileName: watch.profile.name,
        command: watch.shown,
        risk,
        durationMs,
        ...(refusal !== undefined
          ? { outcome: 'error', error: refusal.slice(0, 5000) }
          : { outcome: 'ok', reply: `watched on a dedicated connection: ${watch.count} messages; ${reason}` }),
      },
      watch.options,
    );
    this.deps.emit({ watchId: watch.id, profileId: watch.profile.id, type: 'ended', reason, count: watch.count });
  }
}

/** Resolves once the server acknowledged MONITOR (ioredis sends it right after connecting). */
function monitoring(client: Redis, ms = 10_000): Promise<void> {
  if ((client.status as string) === 'monitoring') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      client.off('monitoring', onMonitoring);
      client.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onMonitoring = () => done();
    const timer = setTimeout(() => done(new Error(`no answer to MONITOR within ${ms / 1000} s`)), ms);
    client.once('monitoring', onMonitoring);
    client.once('error', done);
  });
}

async function subscribe(client: Redis, argv: string[]): Promise<void> {
  const [name, ...channels] = argv;
  const kind = name!.toLowerCase();
  if (kind === 'psubscribe') await client.psubscribe(...channels);
  else if (kind === 'ssubscribe') await client.ssubscribe(...channels);
  else await client.subscribe(...channels);
}
