import type { RedisReply, RedisRunResult } from '../../shared/contract';
import { writePolicy } from '../../shared/profile';
import { OpsError } from '../errors';
import type { RecordEvent } from '../postgres/run-recording';
import type { ProfileRepository } from '../store/profile-repository';
import { classifyRedis } from './classify';
import { parseRedisCommandLine } from './command-line';
import { CommandTableCache } from './live-command-table';
import { callWithDeadline, connectionLostMessage, isConnectionLost, RedisTimeoutError } from './lost-connection';
import type { RedisConnections } from './redis-connections';

export interface RedisRunnerDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: RedisConnections;
  record: RecordEvent;
}

export interface RedisRunRequest {
  profileId: string;
  argv?: string[];
  line?: string;
  confirm?: { typedName?: string };
  incidentId?: string;
}

const maxItems = 1000;

/** A reply as ioredis hands it (strings, numbers, null, arrays, Buffers, errors) typed for display. */
export function typedReply(value: unknown): RedisReply {
  if (value === null || value === undefined) return { type: 'nil' };
  if (typeof value === 'number') return { type: 'integer', value };
  if (typeof value === 'string') return { type: 'string', value };
  if (Buffer.isBuffer(value)) return { type: 'string', value: value.toString('utf8') };
  if (value instanceof Error) return { type: 'error', message: value.message };
  if (Array.isArray(value)) return { type: 'array', items: value.slice(0, maxItems).map(typedReply), total: value.length };
  return { type: 'string', value: String(value) };
}

/** A command without a reply: timed out, connection lost (a write's outcome is then unknown), or another failure. */
function unanswered(argv: string[], write: boolean, error: unknown): { outcome: 'timeout' | 'unknown' | 'error'; error: OpsError } {
  const name = argv[0]!.toUpperCase();
  if (error instanceof RedisTimeoutError) {
    const unknown = write ? ' Whether it was applied is unknown: check before retrying.' : '';
    return { outcome: write ? 'unknown' : 'timeout', error: new OpsError(write ? 'outcome_unknown' : 'timeout', `${name} timed out: ${error.message}.${unknown}`, { cause: error }) };
  }
  if (isConnectionLost(error)) return { outcome: write ? 'unknown' : 'error', error: new OpsError(write ? 'outcome_unknown' : 'redis_error', connectionLostMessage(name, write), { cause: error }) };
  return { outcome: 'error', error: new OpsError('redis_error', `The command did not complete: ${(error as Error).message}. Check the connection and run it again.`, { cause: error }) };
}

function summary(reply: RedisReply): string {
  return JSON.stringify(reply).slice(0, 5000);
}

/**
 * Runs Redis commands as argument arrays, gated like SQL writes: read and admin run; write,
 * dangerous and unknown ones need a confirmation (the profile's name typed on production) and are
 * refused on a read-only profile; KEYS comes with its SCAN equivalent. Every run is recorded.
 */
export class RedisRunner {
  readonly #tables = new CommandTableCache();

  constructor(private readonly deps: RedisRunnerDeps) {}

  async run(request: RedisRunRequest): Promise<RedisRunResult> {
    const argv = request.argv ?? parseRedisCommandLine(request.line ?? '');
    if (argv.length === 0) throw new OpsError('invalid_input', 'line has no command: type one, e.g. GET key.');
    const profile = this.deps.profiles.get(request.profileId);
    this.deps.connections.settings(profile);
    const client = await this.deps.connections.acquire(profile.id);
    const table = await this.#tables.get(client).catch(() => undefined);
    const verdict = classifyRedis(argv, table);
    const base = { argv, risk: verdict.risk, reasons: verdict.reasons, durationMs: 0 };
    const where = { profileId: profile.id, profileName: profile.name };
    const options = request.incidentId ? { incidentId: request.incidentId } : {};
    const suggestion = argv[0]!.toLowerCase() === 'keys' ? ['SCAN', '0', 'MATCH', argv[1] ?? '*', 'COUNT', '1000'] : undefined;
    const gated = verdict.risk === 'write' || verdict.risk === 'dangerous' || verdict.risk === 'unknown';
    if (gated) {
      const policy = writePolicy(profile);
      const refuse = (message: string): RedisRunResult => {
        this.deps.record('refusal', { ...where, action: argv.join(' ').slice(0, 1_000_000), reason: message, risk: verdict.risk }, options);
        return { ...base, outcome: 'refused', message, ...(suggestion ? { suggestion } : {}) };
      };
      if (policy === 'forbidden') return refuse(`Profile "${profile.name}" is read-only: its safety level forbids ${verdict.risk} commands, so ${argv[0]} was not sent.`);
      const confirmation = { policy: policy === 'type-profile-name' ? ('type-profile-name' as const) : ('confirm' as const), profileName: profile.name };
      if (!request.confirm) {
        const scan = suggestion ? ` Use ${suggestion.join(' ')} instead: it walks the keyspace without blocking the server.` : '';
        return { ...base, outcome: 'confirmation_required', confirmation, message: `${argv[0]} is ${verdict.risk}: confirm to send it${policy === 'type-profile-name' ? ` (type "${profile.name}")` : ''}.${scan}`, ...(suggestion ? { suggestion } : {}) };
      }
      const typed = request.confirm.typedName?.trim();
      if ((policy === 'type-profile-name' || typed !== undefined) && typed !== profile.name) {
        return refuse(typed ? `Refused: the name typed ("${typed}") is not the profile's name "${profile.name}". Nothing was sent.` : `Refused: "${profile.name}" is a production profile; type its name to confirm. Nothing was sent.`);
      }
      this.deps.record('confirmation', { ...where, action: argv.join(' ').slice(0, 1_000_000), risk: verdict.risk, method: typed !== undefined ? 'typed-name' : 'click' }, options);
    }
    const started = performance.now();
    let reply: RedisReply;
    try {
      reply = typedReply(await callWithDeadline(client, argv));
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'ReplyError') {
        const failure = unanswered(argv, verdict.risk !== 'read' && verdict.risk !== 'admin', error);
        this.deps.record('redis.run', { ...where, command: argv, risk: verdict.risk, durationMs: performance.now() - started, outcome: failure.outcome, error: failure.error.message.slice(0, 5000) }, options);
        throw failure.error;
      }
      reply = { type: 'error', message: error.message };
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const outcome = reply.type === 'error' ? 'error' : 'ok';
    this.deps.record('redis.run', { ...where, command: argv, risk: verdict.risk, durationMs, outcome, ...(outcome === 'ok' ? { reply: summary(reply) } : { error: (reply as { message: string }).message.slice(0, 5000) }) }, options);
    return { ...base, outcome, reply, durationMs, ...(suggestion ? { suggestion } : {}) };
  }
}
