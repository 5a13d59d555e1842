import type { OptionSpec } from './command';

/** Edits (insert, delete, replace, swap of neighbours) from one flag name to another. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The flag a typo most likely meant: at most two edits away (one for short names). */
function closest(typed: string, names: string[]): string | undefined {
  const limit = typed.length <= 4 ? 1 : 2;
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(typed, name);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/**
 * node:util parseArgs' refusal of a command line, said with its fix: the flag a typo meant, or the
 * value a flag wants. The usage printed after it lists every flag.
 */
export function explainFlagError(error: Error & { code?: string }, options: OptionSpec): string {
  const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const meant = closest(unknown[1]!.replace(/^-+/, ''), Object.keys(options));
    const fix = meant ? `did you mean --${meant}?` : 'see the flags below';
    return `Unknown option '${unknown[1]}': ${fix} (a value that starts with - goes after --)`;
  }
  // "argument missing" at the end of the line; "ambiguous" when the next word is another flag.
  const missing = /^Option '--([^ ']+)(?: <value>)?' argument (missing|is ambiguous)/.exec(error.message);
  if (missing) {
    const name = missing[1]!;
    const dash = missing[2] === 'missing' ? '' : ` (a value that starts with - is written --${name}=-…)`;
    return `Option '--${name}' needs a value: --${name} ${options[name]?.value ?? name.toUpperCase()}${dash}`;
  }
  return error.message;
}
