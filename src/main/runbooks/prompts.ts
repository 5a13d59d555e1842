import { startsWithProgram } from './shell-command';

/**
 * Prompts as terminal sessions paste them: they mark what was typed; the other lines of a block
 * that has prompts are the output, kept as what the command is expected to print.
 */
export const psqlPrompt = /^[\w-]+[=(-][#>]\s?/;
export const redisPrompt = /^(?:redis )?[\w.-]+:\d+(?:\[\d+\])?>\s?/;
export const mysqlPrompt = /^(?:mysql|MariaDB \[[^\]]*\])>\s?/;
const dollarPrompt = /^\$\s+/;
/** user@host:path$ , root@db-0:/# , [user@host dir]$ */
const hostPrompt = /^\[?([\w.-]+)@([\w.-]+)(?::[^\s$#]*|\s+[^\]\s]+\])?\s?[$#%]\s/;
/** Root's `# ` and a bare `> ` count as prompts only before a known program, in a block that is a session. */
const weakPrompt = /^[#>]\s+/;

export interface TypedLines {
  /** Each line as typed (prompt removed), or null where the line is output. */
  input: (string | null)[];
  /** The host a prompt names (`root@db-0:/#` → db-0), per line. */
  hosts: (string | undefined)[];
  /** The block is a terminal session: it has prompts, or the fence says `console`. */
  transcript: boolean;
}

export function readPrompts(lines: string[], language: string): TypedLines {
  const strong = (line: string) => dollarPrompt.test(line) || hostPrompt.test(line) || psqlPrompt.test(line) || redisPrompt.test(line) || mysqlPrompt.test(line);
  const transcript = ['console', 'shell-session', 'shellsession', 'terminal'].includes(language) || lines.some(strong);
  const hosts: (string | undefined)[] = [];
  const input = lines.map((line, i) => {
    const host = hostPrompt.exec(line);
    if (host) {
      hosts[i] = host[2];
      return line.slice(host[0].length);
    }
    for (const prompt of [dollarPrompt, psqlPrompt, redisPrompt, mysqlPrompt]) {
      const m = prompt.exec(line);
      if (m) return line.slice(m[0].length);
    }
    if (!transcript) return line;
    const weak = weakPrompt.exec(line);
    if (weak && startsWithProgram(line.slice(weak[0].length))) return line.slice(weak[0].length);
    return /^\s*#/.test(line) || line.trim() === '' ? line : null;
  });
  return { input, hosts, transcript };
}

/** The note on a step whose block mixes output with commands and no prompt tells them apart. */
export const mixedOutputNote = 'lines that are not commands were kept as the expected output';

/** Output lines (by index) attached to the step that printed them: the last step that starts before. */
export function attachOutput(steps: { offset: number; endOffset: number; expectedOutput?: string }[], lines: string[], outputAt: number[]): void {
  for (const step of steps) {
    const own = outputAt.filter((j) => j >= step.endOffset && j < (steps.find((s) => s.offset > step.offset)?.offset ?? lines.length));
    if (own.length > 0) step.expectedOutput = own.map((j) => lines[j]).join('\n');
  }
}
