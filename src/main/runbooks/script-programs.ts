import type { RunbookStatement } from '../../shared/runbook';

/**
 * sed and awk run a program given on their command line. GNU sed's `e` command and `s///e` flag
 * run shell commands, `w`/`W` and `s///w` write files; awk's system(), pipes and print
 * redirections do the same. A sed or awk command is a read only when its program is parsed and
 * found to do none of that: a program the parser does not understand, or one read from a file,
 * is unknown. undefined when the program is not sed or awk.
 */
export function scriptProgramRisk(name: string, argv: string[]): Pick<RunbookStatement, 'risk' | 'reasons'> | undefined {
  if (name === 'sed') return sedRisk(argv.slice(1));
  if (name === 'awk' || name === 'gawk' || name === 'mawk' || name === 'nawk') return awkRisk(name, argv.slice(1));
  return undefined;
}

type Verdict = Pick<RunbookStatement, 'risk' | 'reasons'>;
const read: Verdict = { risk: 'read', reasons: [] };

const sedLongOptions = ['--expression', '--file', '--in-place', '--line-length', '--null-data', '--zero-terminated', '--quiet', '--silent', '--regexp-extended', '--separate', '--unbuffered', '--posix', '--debug', '--sandbox', '--follow-symlinks', '--binary', '--help', '--version'];

/** sed options that take a value in the next word. */
const sedValueOptions = new Set(['-l', '--line-length']);

function sedRisk(args: string[]): Verdict {
  const scripts: string[] = [];
  let fromFile = false;
  let inPlace = false;
  let operands = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (operands || w === '-' || !w.startsWith('-')) {
      operands = true;
      continue;
    }
    if (w === '--') {
      operands = true;
      continue;
    }
    if (w.startsWith('--')) {
      const [given, value] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
      // GNU getopt takes any unambiguous prefix: --expr is --expression.
      const matches = sedLongOptions.filter((o) => o.startsWith(given));
      const option = sedLongOptions.includes(given) ? given : matches.length === 1 ? matches[0]! : undefined;
      if (option === undefined) return { risk: 'unknown', reasons: [`sed ${given} is not an option the console knows`] };
      if (option === '--expression') scripts.push(value ?? args[++i] ?? '');
      else if (option === '--file') fromFile = true;
      else if (option === '--in-place') inPlace = true;
      else if (sedValueOptions.has(option) && value === undefined) i++;
      continue;
    }
    // Clustered short options: -ne SCRIPT, -nEe SCRIPT, -i.bak, -fFILE.
    for (let j = 1; j < w.length; j++) {
      const c = w[j]!;
      if (c === 'i') {
        inPlace = true;
        break;
      }
      if (c === 'e' || c === 'f' || c === 'l') {
        const value = j + 1 < w.length ? w.slice(j + 1) : args[++i];
        if (c === 'e') scripts.push(value ?? '');
        if (c === 'f') fromFile = true;
        break;
      }
    }
  }
  if (inPlace) return { risk: 'write', reasons: ['sed -i edits the file in place'] };
  if (fromFile) return { risk: 'unknown', reasons: ['sed runs a script from a file the console cannot see'] };
  if (scripts.length === 0) {
    const first = firstOperand(args);
    if (first === undefined) return { risk: 'unknown', reasons: ['sed is given no script the console can see'] };
    scripts.push(first);
  }
  for (const script of scripts) {
    const problem = sedScriptProblem(script);
    if (problem) return { risk: problem.startsWith('writes') ? 'write' : 'unknown', reasons: [`sed ${problem}`] };
  }
  return read;
}

/** The script operand of sed when no -e/-f was given: the first word that is not an option. */
function firstOperand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--') return args[i + 1];
    if (w === '-' || !w.startsWith('-')) return w;
    if (sedValueOptions.has(w)) i++;
    else if (/^-[a-zA-Z]*l$/.test(w)) i++;
  }
  return undefined;
}

/**
 * Why a sed script is not known to be harmless, or undefined when every command is a harmless one.
 * The parser follows GNU sed's grammar and gives up (unknown) on anything it does not recognise.
 */
export function sedScriptProblem(script: string): string | undefined {
  const s = script;
  let i = 0;
  const n = s.length;
  const fail = (what: string) => `script ${what}: the console cannot tell what it does`;
  const blank = () => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  /** Reads up to an unescaped delimiter; false when the text ends or a raw newline comes first. */
  const delimited = (delim: string): boolean => {
    while (i < n) {
      const c = s[i]!;
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '\n') return false;
      i++;
      if (c === delim) return true;
    }
    return false;
  };
  const address = (): boolean | 'none' => {
    const c = s[i];
    if (c === undefined) return 'none';
    if (/[0-9]/.test(c)) {
      while (i < n && /[0-9]/.test(s[i]!)) i++;
      if (s[i] === '~') {
        i++;
        while (i < n && /[0-9]/.test(s[i]!)) i++;
      }
      return true;
    }
    if (c === '$') {
      i++;
      return true;
    }
    if (c === '/' || c === '\\') {
      let delim = '/';
      if (c === '\\') {
        delim = s[i + 1] ?? '';
        if (delim === '' || delim === '\n' || delim === '\\') return false;
        i += 2;
      } else i++;
      if (!delimited(delim)) return false;
      while (s[i] === 'I' || s[i] === 'M') i++;
      return true;
    }
    return 'none';
  };
  const endOfCommand = (): boolean => {
    blank();
    if (i >= n) return true;
    const c = s[i]!;
    if (c === ';' || c === '\n') {
      i++;
      return true;
    }
    return c === '}' || c === '#';
  };
  const toLineEnd = () => {
    while (i < n && s[i] !== '\n') i++;
  };
  /** A label of b, t, T, : or v: GNU ends it at a newline or a semicolon. */
  const label = () => {
    blank();
    while (i < n && s[i] !== '\n' && s[i] !== ';') i++;
  };
  let depth = 0;
  while (i < n) {
    while (i < n && /[\s;]/.test(s[i]!)) i++;
    if (i >= n) break;
    if (s[i] === '#') {
      toLineEnd();
      continue;
    }
    const first = address();
    if (first === false) return fail('has an address the console cannot read');
    if (first === true) {
      blank();
      if (s[i] === ',') {
        i++;
        blank();
        if (s[i] === '+' || s[i] === '~') {
          i++;
          if (!/[0-9]/.test(s[i] ?? '')) return fail('has an address the console cannot read');
          while (i < n && /[0-9]/.test(s[i]!)) i++;
        } else if (address() !== true) return fail('has an address the console cannot read');
      }
    }
    blank();
    while (s[i] === '!') {
      i++;
      blank();
    }
    const command = s[i];
    if (command === undefined) return fail('ends after an address');
    i++;
    if (command === '{') {
      depth++;
      continue;
    }
    if (command === '}') {
      if (depth === 0) return fail('closes a block it never opened');
      depth--;
      if (!endOfCommand()) return fail('has text after }');
      continue;
    }
    if (command === 'e') return 'runs a shell command (the e command)';
    if (command === 'w' || command === 'W') return `writes to a file (the ${command} command)`;
    if ('=dDgGhHnNpPxzF'.includes(command)) {
      if (!endOfCommand()) return fail(`has text after ${command}`);
      continue;
    }
    if ('lLqQ'.includes(command)) {
      blank();
      while (i < n && /[0-9]/.test(s[i]!)) i++;
      if (!endOfCommand()) return fail(`has text after ${command}`);
      continue;
    }
    if ('btT:v'.includes(command)) {
      label();
      continue;
    }
    if (command === 'r' || command === 'R') {
      // Reads a file into the output; the file name runs to the end of the line.
      toLineEnd();
      continue;
    }
    if (command === 'a' || command === 'i' || command === 'c') {
      // Text to the end of the line; a backslash before the newline continues it.
      while (i < n) {
        if (s[i] === '\\') {
          i += 2;
          continue;
        }
        if (s[i] === '\n') break;
        i++;
      }
      continue;
    }
    if (command === 's' || command === 'y') {
      const delim = s[i];
      if (delim === undefined || delim === '\n' || delim === '\\') return fail(`has a ${command} command the console cannot read`);
      i++;
      if (!delimited(delim) || !delimited(delim)) return fail(`has a ${command} command the console cannot read`);
      if (command === 's') {
        while (i < n && /[gpiImM0-9ew]/.test(s[i]!)) {
          if (s[i] === 'e') return 'runs the result as a shell command (the s///e flag)';
          if (s[i] === 'w') return 'writes to a file (the s///w flag)';
          i++;
        }
      }
      if (!endOfCommand()) return fail(`has text after its ${command} command`);
      continue;
    }
    return fail(`uses the command ${JSON.stringify(command)}`);
  }
  return depth === 0 ? undefined : fail('leaves a block open');
}

/** awk options that take a value (in the same word or the next). */
const awkValueOptions = new Set(['-F', '-v', '--field-separator', '--assign']);

function awkRisk(name: string, args: string[]): Verdict {
  const programs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--') {
      if (programs.length === 0 && args[i + 1] !== undefined) programs.push(args[i + 1]!);
      break;
    }
    if (w === '-' || !w.startsWith('-')) {
      if (programs.length === 0) programs.push(w);
      break;
    }
    const [option, value] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    if (awkValueOptions.has(option)) {
      if (value === undefined) i++;
      continue;
    }
    if (/^-[Fv]./.test(w)) continue;
    if (option === '-e' || option === '--source') {
      programs.push(value ?? args[++i] ?? '');
      continue;
    }
    if (/^-[fEil]|^--(file|exec|include|load)$/.test(option)) return { risk: 'unknown', reasons: [`${name} runs a program from a file the console cannot see`] };
    // Other flags (--posix, -b, --sandbox…) change no program text; a value-taking one we do not know is unknown.
    if (!/^(-[bcCgMNOPrStVyh]+|--(posix|traditional|sandbox|characters-as-bytes|lint|re-interval|version|help|copyright|use-lc-numeric|non-decimal-data|optimize|no-optimize|bignum|csv))$/.test(option)) {
      return { risk: 'unknown', reasons: [`${name} ${option} is not an option the console knows`] };
    }
  }
  if (programs.length === 0) return { risk: 'unknown', reasons: [`${name} is given no program the console can see`] };
  for (const program of programs) {
    const problem = awkProgramProblem(program);
    if (problem) return { risk: 'unknown', reasons: [`${name} ${problem}`] };
  }
  return read;
}

/**
 * Why an awk program is not known to be harmless, or undefined: it must not call system(), pipe to
 * or from a command (`|`, `|&`; `||` is a logical or), redirect print/printf output (`>`, `>>`),
 * or use gawk's @-directives and indirect calls. String and regex literals are ignored.
 */
export function awkProgramProblem(program: string): string | undefined {
  const code = stripAwkLiterals(program);
  if (code === undefined) return 'program has a string or regex the console cannot read: it cannot tell what it does';
  if (/\bsystem\s*\(/.test(code)) return 'program calls system(), which runs a shell command';
  if (/\|(?!\|)/.test(code.replace(/\|\|/g, ''))) return 'program pipes to or from a command';
  if (/@/.test(code)) return 'program uses a gawk @-directive or indirect call';
  for (const statement of code.split(/[;\n{}]/)) {
    if (/\bprintf?\b[^]*>/.test(statement)) return 'program redirects print output to a file';
  }
  return undefined;
}

/** The program with its string and regex literals blanked; undefined when one does not end. */
function stripAwkLiterals(program: string): string | undefined {
  let out = '';
  let i = 0;
  // Where a `/` starts a regex rather than dividing: after an operator, an opening bracket or nothing.
  let operand = true;
  while (i < program.length) {
    const c = program[i]!;
    if (c === '#') {
      while (i < program.length && program[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || (c === '/' && operand)) {
      let j = i + 1;
      let inBracket = false;
      while (j < program.length) {
        const d = program[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (d === '\n') return undefined;
        if (c === '/' && d === '[') inBracket = true;
        else if (c === '/' && d === ']') inBracket = false;
        else if (d === c && !inBracket) break;
        j++;
      }
      if (j >= program.length) return undefined;
      out += ' "" ';
      i = j + 1;
      operand = false;
      continue;
    }
    out += c;
    if (/[\w)\]$.]/.test(c)) operand = false;
    else if (!/\s/.test(c)) operand = true;
    i++;
  }
  return out;
}
