import type { Redis } from 'ioredis';
import type { RedisReply, RedisRunResult } from '../../shared/contract';
import type { ProfileView } from '../../shared/profile';
import type { RedisClassification } from '../../shared/risk';
import { OpsError } from '../errors';
import type { RecordEvent } from '../../shared/record-event';
import type { ProfileRepository } from '../store/profile-repository';
import { classifyRedis } from './classify';
import { boundedBlockAdvice, maxBlockMs } from './blocking-timeout';
import { argText } from './bytes';
import { parseRedisCommandLineBytes } from './command-line';
import { checkConfirmation, wrongNameMessage } from './confirmation';
import { CommandTableCache } from './live-command-table';
import { callWithDeadline, connectionLostMessage, isConnectionLost, RedisTimeoutError } from './lost-connection';
import type { RedisConnections } from './redis-connections';

/**
 * What Redis needs of the redactor (src/main/redaction, a layer above: it parses Redis command
 * lines itself), so this folder does not import it. The Redactor class is one.
 */
export interface RedisRedactor {
  remember(values: Iterable<unknown>): void;
  redisArgv(argv: readonly string[]): string[];
  redisReply(argv: readonly string[], reply: RedisReply): RedisReply;
  text(text: string): string;
}

export interface RedisRunnerDeps {
  profiles: Pick<ProfileRepository, 'get'>;
  connections: RedisConnections;
  record: RecordEvent;
  /** Masks secrets in the argv, replies and messages before anything is recorded or returned. */
  redactor: RedisRedactor;
}

export interface RedisRunRequest {
  profileId: string;
  argv?: string[];
  line?: string;
  confirm?: { typedName?: string };
  incidentId?: string;
  /** Values of secret parameters filled into argv: masked like passwords. */
  secretValues?: string[];
  /** The exact bytes to send (the browser's edits of binary keys); `argv`/`line` are then ignored. */
  bytes?: Buffer[];
}

const maxItems = 1000;

/** A reply as ioredis hands it (strings, numbers, null, arrays, Buffers, errors) typed for display. */
export function typedReply(value: unknown): RedisReply {
  if (value === null || value === undefined) return { type: 'nil' };
  if (typeof value === 'number') return { type: 'integer', value };
  if (typeof value === 'string') return { type: 'string', value };
  // A binary value is shown escaped and marked, never decoded into U+FFFD: its copy parses back to the same bytes.
  if (Buffer.isBuffer(value))
    return argText(value) === value.toString('utf8')
      ? { type: 'string', value: value.toString('utf8') }
      : { type: 'string', value: argText(value), binary: true };
  if (value instanceof Error) return { type: 'error', message: value.message };
  if (Array.isArray(value))
    return { type: 'array', items: value.slice(0, maxItems).map(typedReply), total: value.length };
  return { type: 'string', value: String(value) };
}

/** A command without a reply: timed out, connection lost (a write's outcome is then unknown), or another failure. */
function unanswered(
  argv: string[],
  write: boolean,
  error: unknown,
): { outcome: 'timeout' | 'unknown' | 'error'; error: OpsError } {
  const name = argv[0]!.toUpperCase();
  if (error instanceof RedisTimeoutError) {
    const unknown = write ? ' Whether it was applied is unknown: check before retrying.' : '';
    return {
      outcome: write ? 'unknown' : 'timeout',
      error: new OpsError(
        write ? 'outcome_unknown' : 'timeout',
        `${name} timed out: ${error.message}.${unknown} The connection it held was closed, so the next command starts on a new one.`,
        {
          cause: error,
        },
      ),
    };
  }
  if (isConnectionLost(error))
    return {
      outcome: write ? 'unknown' : 'error',
      error: new OpsError(write ? 'outcome_unknown' : 'redis_error', connectionLostMessage(name, write), {
        cause: error,
      }),
    };
  return {
    outcome: 'error',
    error: new OpsError(
      'redis_error',
      `The command did not complete: ${(error as Error).message}. Check the connection and run it again.`,
      { cause: error },
    ),
  };
}

function summary(reply: RedisReply): string {
  return JSON.stringify(reply).slice(0, 5000);
}

/** One run as it goes through the gate: the argv as sent, and as recorded (secrets masked). */
interface RunContext {
  argv: string[];
  /** The argv as sent, byte for byte. */
  bytes?: Buffer[];
  shown: string[];
  profile: ProfileView;
  verdict: RedisClassification;
  base: Pick<RedisRunResult, 'argv' | 'risk' | 'reasons' | 'durationMs' | 'suggestion' | 'notice'>;
  where: { profileId: string; profileName: string };
  options: { incidentId?: string };
}

/**
 * Runs Redis commands as argument arrays, gated by what each command does: reads (and admin
 * commands that only read) run; writes, server changes, scripts and unknown commands need a
 * confirmation (the profile's name typed on production) and are refused on a read-only profile;
 * connection-state commands are refused on the shared client; KEYS comes with its SCAN
 * equivalent. Every run, refusal and confirmation is recorded with its secrets masked.
 */
export class RedisRunner {
  readonly #tables = new CommandTableCache();

  constructor(private readonly deps: RedisRunnerDeps) {}

  async run(request: RedisRunRequest): Promise<RedisRunResult> {
    // A line is read as bytes (\xHH escapes included): what redis-cli would send is what is sent.
    const bytes =
      request.bytes ??
      (request.argv
        ? request.argv.map((arg) => Buffer.from(arg, 'utf8'))
        : parseRedisCommandLineBytes(request.line ?? ''));
    const argv = bytes.map(argText);
    if (argv.length === 0) throw new OpsError('invalid_input', 'line has no command: type one, e.g. GET key.');
    this.deps.redactor.remember(request.secretValues ?? []);
    const profile = this.deps.profiles.get(request.profileId);
    this.deps.connections.settings(profile);
    const client = await this.deps.connections.acquire(profile.id);
    const table = await this.#tables.get(client).catch(() => undefined);
    const ctx = { ...this.context(argv, profile, classifyRedis(argv, table), request.incidentId), bytes };
    return this.gate(ctx, request.confirm) ?? this.send(ctx, client);
  }

  private context(argv: string[], profile: ProfileView, verdict: RedisClassification, incidentId?: string): RunContext {
    const shown = this.deps.redactor.redisArgv(argv);
    const suggestion =
      argv[0]!.toLowerCase() === 'keys'
        ? ['SCAN', '0', 'MATCH', shown[1] ?? '*', 'COUNT', '1000']
        : verdict.reasons.some((reason) => reason.startsWith('scan_count_too_large'))
          ? withCount(shown, '1000')
          : undefined;
    const base = {
      argv: shown,
      risk: verdict.risk,
      reasons: verdict.reasons,
      durationMs: 0,
      ...(suggestion ? { suggestion } : {}),
      ...(verdict.notice ? { notice: verdict.notice } : {}),
    };
    return {
      argv,
      shown,
      profile,
      verdict,
      base,
      where: { profileId: profile.id, profileName: profile.name },
      options: incidentId ? { incidentId } : {},
    };
  }

  /** The refusal or the request for confirmation, or undefined when the command may be sent. */
  private gate(ctx: RunContext, confirm: RedisRunRequest['confirm']): RedisRunResult | undefined {
    const { profile, verdict, shown } = ctx;
    const state = verdict.reasons.find((reason) => reason.startsWith('connection_state'));
    if (state) return this.refuse(ctx, connectionStateRefusal(shown[0]!, profile));
    if (verdict.reasons.some((reason) => reason.startsWith('unbounded_block')))
      return this.refuse(
        ctx,
        `${shown[0]!.toUpperCase()} would hold the connection that every command of "${profile.name}" shares for longer than ${maxBlockMs / 1000} s (its timeout is 0, wait forever, or above that): later commands, browser reads and health checks would wait behind it, so it was not sent. ${boundedBlockAdvice(ctx.argv)}`,
      );
    if (!['write', 'dangerous', 'unknown'].includes(verdict.risk)) return undefined;
    const check = checkConfirmation(profile, confirm);
    if (check.kind === 'forbidden') {
      const script = verdict.reasons.includes('script')
        ? ' Scripts and functions (EVAL_RO and FCALL_RO included) can block the whole server, so they never run on a read-only profile.'
        : '';
      return this.refuse(
        ctx,
        `Profile "${profile.name}" is read-only: its safety level forbids ${verdict.risk} commands (${verdict.reasons.join(', ')}), so ${shown[0]} was not sent.${script}`,
      );
    }
    if (check.kind === 'ask') {
      const scan = ctx.base.suggestion
        ? ` Use ${ctx.base.suggestion.join(' ')} instead: it walks the keyspace without blocking the server.`
        : '';
      const typeName = check.confirmation.policy === 'type-profile-name' ? ` (type "${profile.name}")` : '';
      return {
        ...ctx.base,
        outcome: 'confirmation_required',
        confirmation: check.confirmation,
        message: `${shown[0]} is ${verdict.risk}: confirm to send it${typeName}.${scan}`,
      };
    }
    if (check.kind === 'wrong-name')
      return this.refuse(ctx, wrongNameMessage(profile, check.typed && this.deps.redactor.text(check.typed)));
    this.deps.record(
      'confirmation',
      { ...ctx.where, action: shown.join(' ').slice(0, 1_000_000), risk: verdict.risk, method: check.method },
      ctx.options,
    );
    return undefined;
  }

  private refuse(ctx: RunContext, message: string): RedisRunResult {
    this.deps.record(
      'refusal',
      {
        ...ctx.where,
        action: ctx.shown.join(' ').slice(0, 1_000_000),
        reason: message,
        risk: ctx.verdict.risk,
        target: 'redis',
      },
      ctx.options,
    );
    return { ...ctx.base, outcome: 'refused', message };
  }

  private async send(ctx: RunContext, client: Redis): Promise<RedisRunResult> {
    const { argv, shown, verdict, where, options } = ctx;
    const redactor = this.deps.redactor;
    const started = performance.now();
    let reply: RedisReply;
    try {
      reply = redactor.redisReply(argv, typedReply(await callWithDeadline(client, argv, undefined, ctx.bytes)));
    } catch (error) {
      const message = redactor.text(String((error as Error).message));
      if (!(error instanceof Error) || error.name !== 'ReplyError') {
        // A command that may change something and lost its answer may have been applied: its outcome
        // is unknown. Admin risk is the reviewed read-only admin commands (a server change is dangerous).
        const failure = unanswered(argv, verdict.risk !== 'read' && verdict.risk !== 'admin', error);
        const failureMessage = redactor.text(failure.error.message);
        this.deps.record(
          'redis.run',
          {
            ...where,
            command: shown,
            risk: verdict.risk,
            durationMs: performance.now() - started,
            outcome: failure.outcome,
            error: failureMessage.slice(0, 5000),
          },
          options,
        );
        throw new OpsError(failure.error.code, failureMessage, { cause: error });
      }
      reply = { type: 'error', message };
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const outcome = reply.type === 'error' ? 'error' : 'ok';
    this.deps.record(
      'redis.run',
      {
        ...where,
        command: shown,
        risk: verdict.risk,
        durationMs,
        outcome,
        ...(reply.type === 'error' ? { error: reply.message.slice(0, 5000) } : { reply: summary(reply) }),
      },
      options,
    );
    return { ...ctx.base, outcome, reply, durationMs };
  }
}

/** The SCAN-family command with every COUNT set to `count`. */
function withCount(argv: string[], count: string): string[] {
  return argv.map((arg, i) => (i > 0 && argv[i - 1]!.toLowerCase() === 'count' ? count : arg));
}

/** Why a connection-state command never runs here, and what to do instead. */
function connectionStateRefusal(command: string, profile: ProfileView): string {
  const upper = command.toUpperCase();
  const instead = /^(subscribe|psubscribe|ssubscribe|monitor)$/i.test(command)
    ? ` Watch it instead on a dedicated connection with a time limit and a Stop button (redis.watch; in the app, the Watch button).`
    : upper === 'SELECT'
      ? ` To work on another database, make a profile with that db (this one uses db ${profile.redis?.db ?? 0}).`
      : '';
  return `${upper} changes the state of the connection that every command of "${profile.name}" shares (its database, user, protocol, reply mode, transaction or subscriptions): later commands, confirmed writes and health checks would silently run elsewhere, so it was not sent.${instead}`;
}
