/**
 * How long a blocking command asks the server to hold its connection. On the client a profile
 * shares, a command that blocks forever (BLPOP q 0, XREAD BLOCK 0, WAIT 1 0) or for a very long
 * time would queue every later run, browser read and health check behind it: the console only
 * sends blocking commands whose own timeout is at most `maxBlockMs`.
 */

/** The longest block the console sends on a shared client. */
export const maxBlockMs = 60_000;

/** Where each blocking command carries its own timeout: the argument index (negative: from the end) and its unit. */
const timeoutArg: Record<string, { index: number; unitMs: number }> = {
  blpop: { index: -1, unitMs: 1000 },
  brpop: { index: -1, unitMs: 1000 },
  brpoplpush: { index: -1, unitMs: 1000 },
  blmove: { index: -1, unitMs: 1000 },
  bzpopmin: { index: -1, unitMs: 1000 },
  bzpopmax: { index: -1, unitMs: 1000 },
  blmpop: { index: 1, unitMs: 1000 },
  bzmpop: { index: 1, unitMs: 1000 },
  // WAIT and WAITAOF carry no `blocking` flag, yet hold the connection until replicas answer.
  wait: { index: 2, unitMs: 1 },
  waitaof: { index: 3, unitMs: 1 },
};

/** Commands whose timeout this module knows where to find (a test checks every `blocking` command of the server is here). */
export const knownBlockingCommands: ReadonlySet<string> = new Set([...Object.keys(timeoutArg), 'xread', 'xreadgroup']);

/**
 * The block `argv` asks for, in ms: 0 for forever, NaN when the timeout does not read as a number
 * (the server then refuses it), undefined when the command does not block (XREAD without BLOCK).
 */
export function ownBlockMs(argv: readonly string[]): number | undefined {
  const name = argv[0]?.toLowerCase() ?? '';
  const spec = timeoutArg[name];
  if (spec) {
    // WAIT 0 … and WAITAOF 0 0 … ask for nothing to wait for: the server answers at once.
    if (name === 'wait' && Number(argv[1]) <= 0) return undefined;
    if (name === 'waitaof' && Number(argv[1]) <= 0 && Number(argv[2]) <= 0) return undefined;
    const value = argv.at(spec.index);
    return value === undefined ? undefined : Number(value) * spec.unitMs;
  }
  if (name !== 'xread' && name !== 'xreadgroup') return undefined;
  // Options come before STREAMS, and the server takes the last BLOCK given.
  let block: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    if (option === 'streams') break;
    if (option === 'block') block = argv[++i];
    else if (option === 'count') i++;
    else if (option === 'group') i += 2;
  }
  return block === undefined ? undefined : Number(block);
}

/** True when `argv` would block its connection forever or longer than `maxBlockMs`. */
export function isUnboundedBlock(argv: readonly string[]): boolean {
  const ms = ownBlockMs(argv);
  return ms !== undefined && (ms === 0 || ms > maxBlockMs);
}

/** The refusal's advice: the same command with a bounded timeout, in its own unit. */
export function boundedBlockAdvice(argv: readonly string[]): string {
  const name = argv[0]!.toUpperCase();
  const seconds = timeoutArg[name.toLowerCase()]?.unitMs === 1000;
  const cap = seconds ? `${maxBlockMs / 1000} (seconds)` : `${maxBlockMs} (milliseconds)`;
  return `Give ${name} a timeout of at most ${cap}, above 0: 0 means wait forever.`;
}
