/**
 * A terminal step's output and exit status, read from what the shell prints. The status comes
 * from a sentinel the console appends after the command: a printf of a unique marker with `$?`,
 * which only the shell itself can print (the marker is printed in two pieces so the shell's echo
 * of the typed line never matches it, and the token is new for every step). Shell-integration
 * marks (OSC 133: `ESC ] 133 ; D ; status BEL` when a command ends) are plain output that any
 * program can print as well (`printf '\e]133;D;0\a'; exit 1`), so they never decide the status:
 * where the shell's own mark for the command (the last one before the marker) says the same, the
 * result says the status was confirmed by it.
 */

/** The line appended after a step's command (POSIX shells): prints `__opsconsole_done_TOKEN:STATUS`. */
export function sentinelLine(token: string): string {
  return `printf '\\n%s%s:%d\\n' __opsconsole_ done_${token} "$?"`;
}

/**
 * The command as sent with its sentinel: the status printed is the command's own (`$?` right
 * after it). The command is a brace group the sentinel follows on its closing line, so the shell
 * reads the whole step, sentinel included, before it runs any of it: typed line by line (a shell
 * without bracketed paste), the sentinel's line would otherwise wait in the terminal's input while
 * the command runs, and a command reading its input (`read`, `cat`, a prompt) would take it as its
 * own (and learn the token). A command that reads its input now waits for the operator's typing.
 */
export function withSentinel(command: string, token: string): string {
  return `{ ${command.replace(/\s+$/, '')}\n}; ${sentinelLine(token)}`;
}

export interface TerminalStepResult {
  exitStatus: number;
  /** What the command printed, escape sequences and the echo of the typed command taken out. */
  output: string;
  /** The status is the sentinel's; 'osc133' where the shell's own end mark for the command said the same. */
  via: 'osc133' | 'sentinel';
}

/** Terminal output as text: CSI and OSC sequences, other escapes and control bytes (but tab, CR and newline) removed. */
export function stripAnsi(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

const osc133Done = /\x1b\]133;D(?:;(\d+))?(?:\x07|\x1b\\)/g;

/** The status of the last OSC 133 end mark before `end` in the raw output, if it carries one. */
function lastEndMark(raw: string, end: number): number | undefined {
  let status: number | undefined;
  for (const mark of raw.slice(0, end).matchAll(osc133Done))
    status = mark[1] === undefined ? undefined : Number(mark[1]);
  return status;
}

/**
 * The step's result once its end shows in the output collected since it was sent, else undefined.
 * `output` keeps the text between the echoed sentinel line (or the start) and the end mark.
 */
export function stepResult(collected: string, token: string): TerminalStepResult | undefined {
  const marker = new RegExp(`__opsconsole_done_${token}:(\\d+)`);
  const stripped = stripAnsi(collected);
  const done = marker.exec(stripped);
  if (!done) return undefined;
  const plain = stripped.replace(/\r/g, '');
  const end = plain.indexOf(done[0]);
  // The shell echoes what was typed, the sentinel line last: the command's output follows it.
  const echoed = plain.lastIndexOf(`done_${token} "$?"`, end);
  const start = echoed >= 0 ? plain.indexOf('\n', echoed) + 1 : 0;
  const output = plain.slice(start, end).replace(/\n+$/, '');
  const status = Number(done[1]);
  // The shell's mark for the command comes after everything the command printed, just before the
  // sentinel's output: a mark printed by the command itself is never the last one before it.
  const rawEnd = collected.indexOf(done[0]);
  const mark = lastEndMark(collected, rawEnd >= 0 ? rawEnd : collected.length);
  return { exitStatus: status, output, via: mark === status ? 'osc133' : 'sentinel' };
}

/** The last lines of an output, at most `max` characters: what the step card and the timeline keep. */
export function outputExcerpt(output: string, max = 2000): string {
  if (output.length <= max) return output;
  const tail = output.slice(-max);
  return `…${tail.slice(tail.indexOf('\n') + 1)}`;
}
