import { RE2JS } from 're2js';

/**
 * Parameter patterns come from runbooks and templates written by others, so they run on RE2
 * (re2js, a pure-JS port): matching time grows linearly with the input, so no pattern, e.g.
 * `^(a+)+$`, can hang the main process or the window by backtracking. RE2 has no lookaround and
 * no backreferences; such a pattern is refused when it is read, with that reason.
 */
const compiled = new Map<string, RE2JS>();
const cacheSize = 200;

function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(`(?:${RE2JS.translateRegExp(pattern)})`);
    if (compiled.size >= cacheSize) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re;
}

/** Why a pattern cannot be used, or null when it can. */
export function patternProblem(pattern: string): string | null {
  try {
    compile(pattern);
    return null;
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ').slice(0, 200);
    const unsupported = /\(\?[=!<]|\\[1-9]|\\k</.test(pattern)
      ? ' (RE2 has no lookahead, lookbehind or backreferences: rewrite the pattern without them)'
      : '';
    return `is not a regular expression the linear-time engine (RE2) accepts: ${reason}${unsupported}`;
  }
}

/** Whether the whole value matches (as `^(?:pattern)$` would); throws on a pattern patternProblem refuses. */
export function matchesWhole(pattern: string, value: string): boolean {
  return compile(pattern).matches(value);
}
