import { innerCommand, scriptReader, stdinCodeReader, sudoShellMode } from './command-wrappers';
import { controlName, isControl } from './control-bytes';

/** The shell that will read the text: a POSIX one (sh, bash, zsh on a bastion) or PowerShell. */
export type ShellDialect = 'posix' | 'powershell';

/**
 * Where a character sits, lexically: plain words, inside '…', inside "…", in a here-document
 * body (where quotes are literal text, so no quoting can make a value inert there), in a
 * comment (inert to its end of line, so only a line break could escape it), or in the word of a
 * `${…}` inside "…" (`"${x:-{{v}}}"`, where a quote opens a string within the word instead of
 * closing the one around it: no quoting can make a value inert there either).
 */
export type QuoteContext = 'plain' | 'single' | 'double' | 'heredoc' | 'comment' | 'expansion';
const codes: QuoteContext[] = ['plain', 'single', 'double', 'heredoc', 'comment', 'expansion'];

/** Text that means the same in every context: needs no quotes, so none are added. */
const inert = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * Where a placeholder sits: its quote context, and, when the text there is read a second time by
 * another interpreter (`bash -c '…'`, ssh's remote command, an awk program, backticks…), what
 * reads it. Quoting is only for the outer shell, so there only plain words can go.
 */
export interface ShellSpot {
  context: QuoteContext;
  rereadBy?: string;
}

/**
 * Programs that read (some of) their arguments again as code or as a command line: shells (-c),
 * ssh (joins its words into a remote command line), interpreters' -e/-c programs, SQL clients' -c,
 * and runners of command strings. Any value after one of these in the same command is suspect,
 * as is any value after `sudo -s`/`sudo -i` (the command goes to `$SHELL -c`) and any value in a
 * pipeline whose later command reads its stdin as code (`… | sh`, `| python3`, `| psql`): the
 * wrappers and code readers are tabled in command-wrappers.ts.
 */
const rereaders =
  /^(?:(?:ba|z|da|k|mk|c|tc|a|ye?)?sh|fish|busybox|su|runuser|ssh|scp|rsync|eval|trap|alias|[gmn]?awk|sqlite3|watch|xargs|parallel|tmux|screen|expect|pwsh|powershell|cmd)$/;
/** Interpreters that read code only from an option (-c, -e, --command…): a word such as `node` alone is often a noun (kubectl get node). */
const interpreters = /^(?:node|perl|python[0-9.]*|ruby|php|lua|psql|mysql|mariadb)$/;
const codeOption = /^-[A-Za-z]*[ceE][A-Za-z]*$|^--(?:command|eval|execute)\b/;
/**
 * Options that make the command at the head of a command read their value again, beyond
 * codeOption: node -p (prints what it evaluates), php -r (and -B/-R/-E), script -c (a shell runs
 * it), env -S (split into a command line).
 */
const headCodeOptions: Record<string, RegExp> = {
  node: /^-[A-Za-z]*p[A-Za-z]*$|^--print\b/,
  nodejs: /^-[A-Za-z]*[ep][A-Za-z]*$|^--(?:eval|print)\b/,
  php: /^-[A-Za-z]*[rBRE][A-Za-z]*$|^--(?:run|process-begin|process-code|process-end)\b/,
  script: /^-[A-Za-z]*c[A-Za-z]*$|^--command\b/,
  env: /^-[A-Za-z]*S|^--split-string\b/,
};

interface CodeFrame {
  kind: 'code';
  /** The program names of the command so far (directories dropped), and its words as written (quotes dropped). */
  words: string[];
  argv: string[];
  word: string;
  inherited?: string;
  rereadBy?: string;
  interpreter?: string;
  /** The program at the head of the command (wrappers peeled) when it has headCodeOptions. */
  head?: string;
  backtick?: boolean;
  /** The offset being read, and the here-strings (`<<< word`) of the command: [start, end) of each word. */
  at: number;
  hereString?: number;
  hereStrings: [number, number][];
  /** Offsets where the current pipeline and its current command begin. */
  pipeline: number;
  stage: number;
  /** Open subshell parentheses and compound commands ({ do if case): a list inside one stays in the pipeline. */
  parens: number;
  blocks: number;
}

type Frame = CodeFrame | { kind: 'single' | 'double' | 'ansi'; inherited?: string };

/** A command context starting at `start`: the text, a $( … ), a <( … ) or backticks. */
function codeAt(start: number, extra: Partial<CodeFrame> = {}): CodeFrame {
  return {
    kind: 'code',
    words: [],
    argv: [],
    word: '',
    pipeline: start,
    stage: start,
    parens: 0,
    blocks: 0,
    at: start,
    hereStrings: [],
    ...extra,
  };
}

/** A `…` command substitution: its words are read again by the shell, so values there may only be plain words. */
function backtickFrame(start: number): Frame {
  return codeAt(start, { backtick: true, inherited: 'inside `…` (backticks), which the shell reads again' });
}

function codeFrame(stack: Frame[]): CodeFrame {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.kind === 'code') return stack[i] as CodeFrame;
  return stack[0] as CodeFrame;
}

/** What reads the text at the top of the stack again, if anything (innermost first). */
function rereadOf(stack: Frame[]): string | undefined {
  const top = stack.at(-1)!;
  if (top.kind === 'ansi') return "inside $'…', where backslashes are escapes the shell reads again";
  const code = codeFrame(stack);
  return top.inherited ?? code.inherited ?? code.rereadBy;
}

const blockOpeners = new Set(['{', 'do', 'if', 'case']);
const blockClosers = new Set(['}', 'done', 'fi', 'esac']);

function endWord(frame: CodeFrame): void {
  if (!frame.word) return;
  if (frame.hereString !== undefined) {
    // `<<< word` is the command's stdin, not one of its arguments.
    frame.hereStrings.push([frame.hereString, frame.at]);
    frame.hereString = undefined;
    frame.word = '';
    return;
  }
  const word = frame.word.replace(/['"\\]/g, '');
  const program = word.split('/').at(-1)!;
  if (frame.words.length === 0 && blockOpeners.has(word)) frame.blocks++;
  else if (frame.words.length === 0 && blockClosers.has(word)) frame.blocks = Math.max(0, frame.blocks - 1);
  frame.words.push(program);
  frame.argv.push(word);
  const reader = rereaders.test(program)
    ? program
    : frame.interpreter && codeOption.test(word)
      ? `${frame.interpreter} ${word}`
      : frame.head && headCodeOptions[frame.head]!.test(word)
        ? `${frame.head} ${word}`
        : /^-/.test(word) && sudoShellMode(frame.argv)
          ? `sudo ${word}`
          : undefined;
  if (interpreters.test(program)) frame.interpreter = program;
  if (program === 'env' && frame.argv.length === 1) frame.head = 'env';
  else if (Object.hasOwn(headCodeOptions, program) && innerCommand(frame.argv).argv.join(' ') === word)
    frame.head = program;
  if (!frame.rereadBy && reader)
    frame.rereadBy = `in an argument of \`${reader}\`, which reads its text again as code or as a command line`;
  frame.word = '';
}

interface SpotTable {
  codes: Uint8Array;
  reread: (string | undefined)[];
}

/** The offset of the `}` closing a `${` whose word starts at `from` (nested braces counted), or the text's end. */
function braceEnd(text: string, from: number): number {
  let depth = 1;
  for (let k = from; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '{') depth++;
    else if (text[k] === '}' && --depth === 0) return k;
  }
  return text.length - 1;
}

/**
 * The quote context of every character of a POSIX shell text, and what re-reads it. Command
 * substitutions $( … ) open a fresh plain context (their quotes nest), as the shell reads them;
 * `#` at the start of a word outside quotes starts a comment to the end of the line; the word of
 * a `${…}` inside double quotes is a context of its own (QuoteContext's `expansion`).
 */
function posixContexts(text: string): SpotTable {
  const codes = new Uint8Array(text.length + 1);
  const reread: (string | undefined)[] = new Array(text.length + 1);
  const stack: Frame[] = [codeAt(0)];
  let heredoc: { word: string; strip: boolean } | undefined;
  let inBody: { word: string; strip: boolean } | undefined;
  let comment = false;
  const push = (frame: Frame) => stack.push({ ...frame, inherited: frame.inherited ?? rereadOf(stack) });
  /**
   * The command ends (at `at`): when it reads its stdin as code (`… | sh`), what the commands
   * before it in the pipeline print is read again, so their values may only be plain words.
   */
  const endCommand = (frame: CodeFrame, at: number, pipe: boolean) => {
    frame.at = at;
    endWord(frame);
    const reader = frame.stage > frame.pipeline ? stdinCodeReader(frame.argv) : undefined;
    for (let k = frame.pipeline; reader && k < frame.stage; k++)
      if (codes[k]! < 3)
        reread[k] ??= `in a command whose output is piped into \`${reader}\`, which reads it as code or as commands`;
    // `redis-cli <<< "get {{key}}"`, `bash <<< …`: a here-string is the stdin of its command.
    const hereReader = frame.hereStrings.length > 0 ? stdinCodeReader(frame.argv) : undefined;
    for (const [start, end] of hereReader ? frame.hereStrings : [])
      for (let k = start; k < end; k++)
        if (codes[k]! < 3)
          reread[k] ??= `in a here-string (<<<) given to \`${hereReader}\`, which reads it as code or as commands`;
    frame.hereStrings = [];
    frame.hereString = undefined;
    frame.word = '';
    frame.words = [];
    frame.argv = [];
    frame.rereadBy = undefined;
    frame.interpreter = undefined;
    frame.head = undefined;
    frame.stage = at + 1;
    if (!pipe && frame.parens === 0 && frame.blocks === 0) frame.pipeline = at + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const top = stack.at(-1)!;
    const c = text[i]!;
    if (inBody) {
      codes[i] = 3;
      const lineStart = i === 0 || text[i - 1] === '\n';
      if (lineStart) {
        const end = text.indexOf('\n', i);
        const line = text.slice(i, end < 0 ? text.length : end);
        if ((inBody.strip ? line.replace(/^\t+/, '') : line) === inBody.word) inBody = undefined;
      }
      continue;
    }
    if (comment && c !== '\n') {
      codes[i] = 4;
      continue;
    }
    comment = false;
    codes[i] = top.kind === 'single' || top.kind === 'ansi' ? 1 : top.kind === 'double' ? 2 : 0;
    reread[i] = rereadOf(stack);
    const code = codeFrame(stack);
    code.at = i;
    if (top.kind === 'single') {
      if (c === "'") stack.pop();
      code.word += c;
    } else if (top.kind === 'ansi') {
      if (c === '\\') ((codes[i + 1] = 1), (reread[i + 1] = reread[i]), i++);
      else if (c === "'") stack.pop();
      code.word += c;
    } else if (c === '\\') {
      codes[i + 1] = codes[i]!;
      reread[i + 1] = reread[i];
      code.word += c + (text[i + 1] ?? '');
      i++;
    } else if (top.kind === 'double') {
      code.word += c;
      if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '{') {
        // Inside "${x:-…}" a quote does not close the string around it but opens one within the
        // word, so "'…'" would leave a $(…) of the value live: the word is a spot of its own.
        const end = braceEnd(text, i + 2);
        for (let k = i + 1; k <= end; k++) ((codes[k] = 5), (reread[k] = reread[i]));
        code.word += text.slice(i + 1, end + 1);
        i = end;
      } else if (c === '$' && text[i + 1] === '(') (push(codeAt(i + 2)), (codes[++i] = 2));
      else if (c === '`') push(backtickFrame(i + 1));
    } else if (c === '#' && !code.word) ((comment = true), (codes[i] = 4), (reread[i] = undefined));
    else if (c === "'") ((code.word += c), push({ kind: 'single' }));
    else if (c === '"') ((code.word += c), push({ kind: 'double' }));
    else if (c === '$' && text[i + 1] === "'") ((code.word += "$'"), push({ kind: 'ansi' }), (codes[++i] = 0));
    else if (c === '$' && text[i + 1] === '(') ((code.word += '$('), push(codeAt(i + 2)), (codes[++i] = 0));
    // <( … ) and >( … ): a command whose output or input the outer command reads as a file; as
    // the file `source` or a shell runs, or as a shell's stdin (`bash < <(…)`), it is read as code.
    else if ((c === '<' || c === '>') && text[i + 1] === '(') {
      endWord(code);
      const reader =
        c === '<'
          ? /<\s*$/.test(text.slice(code.stage, i))
            ? stdinCodeReader(code.argv)
            : scriptReader(code.argv)
          : undefined;
      push(
        codeAt(
          i + 2,
          reader ? { inherited: `in the output of <(…) that \`${reader}\` runs as code or as commands` } : {},
        ),
      );
      codes[++i] = 0;
    } else if (c === '<' && text.startsWith('<<<', i)) (endWord(code), (code.hereString = i + 3), (i += 2));
    else if (c === ')' && code.parens > 0) (endCommand(code, i, false), code.parens--);
    else if (c === ')' && stack.length > 1 && !code.backtick) (endCommand(code, i, false), stack.pop());
    else if (c === '`' && code.backtick) (endCommand(code, i, false), stack.pop());
    else if (c === '`') ((code.word += c), push(backtickFrame(i + 1)));
    else if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      endWord(code);
      const match = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(text.slice(i));
      if (match) heredoc = { word: match[3]!, strip: match[1] === '-' };
    } else if (c === '\n' && heredoc) ((inBody = heredoc), (heredoc = undefined), endCommand(code, i, false));
    else if (c === '(') (endCommand(code, i, false), code.parens++);
    else if (c === '|' && text[i + 1] === '|') endCommand(code, ++i, false);
    else if (c === '|') endCommand(code, text[i + 1] === '&' ? ++i : i, true);
    // `2>&1`, `<&3` and `&>file` are redirections, not the & that ends a command.
    else if (c === '&' && /[<>]/.test(text[i - 1] ?? '')) code.word += c;
    else if (c === '&' && text[i + 1] === '>') endWord(code);
    else if (c === '&') endCommand(code, text[i + 1] === '&' ? ++i : i, false);
    else if (c === ';' || c === '\n') endCommand(code, i, false);
    else if (/[ \t<>]/.test(c)) endWord(code);
    else code.word += c;
  }
  // The end of the text ends the command (and its pipeline) in every frame still open.
  for (const frame of stack.reverse()) if (frame.kind === 'code') endCommand(frame, text.length, false);
  return { codes, reread };
}

const psSingle = "'‘’‚‛";
const psDouble = '"“”„';

/**
 * PowerShell commands that run a text as code: Invoke-Expression (iex), a new PowerShell or cmd
 * (their -Command/-c/ /c text), Start-Process (its argument list is one command line), ssh and
 * wsl (a remote or Linux shell), and script blocks made from a string.
 */
const psRereaders =
  /^(?:iex|invoke-expression|pwsh|powershell|cmd|start-process|saps|start|ssh|wsl|bash|sh)(?:\.exe)?$|\[scriptblock\]::create$|\.(?:invokescript|newscriptblock|addscript)$/;
/** What reads a PowerShell pipeline's input as code: `… | iex`, `… | pwsh -Command -`, `… | cmd`. */
const psStdinReaders = /^(?:iex|invoke-expression|pwsh|powershell|cmd)(?:\.exe)?$/;

interface PsFrame {
  /** 0 code, 2 a "…" string; a code entry inside a string counts its open parentheses. */
  state: 0 | 2;
  parens: number;
  words: string[];
  word: string;
  rereadBy?: string;
  /** Offsets where the current pipeline and its current command begin; open { } blocks. */
  pipeline: number;
  stage: number;
  braces: number;
}

const psFrame = (state: 0 | 2, start: number): PsFrame => ({
  state,
  parens: 0,
  words: [],
  word: '',
  pipeline: start,
  stage: start,
  braces: 0,
});

/**
 * PowerShell: '…' (a doubled quote stays inside), "…" and the backtick escape, `#` comments to
 * the end of the line and `<# … #>` blocks. A `$( … )` inside "…" is code the string runs; a text
 * given to iex, pwsh -Command, cmd /c, ssh… or piped into iex is run again (psRereaders).
 */
function powershellContexts(text: string): SpotTable {
  const codes = new Uint8Array(text.length + 1);
  const reread: (string | undefined)[] = new Array(text.length + 1);
  const stack: PsFrame[] = [psFrame(0, 0)];
  let single = false;
  const inString = () => stack.some((frame, k) => k > 0 && frame.state === 0);
  const codeOf = () => stack.findLast((frame) => frame.state === 0)!;
  const endWord = (frame: PsFrame) => {
    const word = frame.word.toLowerCase().replace(/^.*[\\/]/, '');
    frame.word = '';
    if (!word) return;
    frame.words.push(word);
    if (!frame.rereadBy && psRereaders.test(word))
      frame.rereadBy = `in an argument of \`${word}\`, which reads its text again as code or as a command line`;
  };
  const endCommand = (frame: PsFrame, at: number, pipe: boolean) => {
    endWord(frame);
    const name = frame.words[0] ?? '';
    const reader = frame.stage > frame.pipeline && (psStdinReaders.test(name) ? name : stdinCodeReader(frame.words));
    for (let k = frame.pipeline; reader && k < frame.stage; k++)
      if (codes[k]! < 3)
        reread[k] ??= `in a command whose output is piped into \`${reader}\`, which runs it as code or as commands`;
    frame.words = [];
    frame.rereadBy = undefined;
    frame.stage = at + 1;
    if (!pipe && frame.braces === 0 && frame.parens === 0) frame.pipeline = at + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const top = stack.at(-1)!;
    const c = text[i]!;
    codes[i] = single ? 1 : top.state;
    reread[i] = inString()
      ? 'inside a $(…) subexpression of a "…" string, which PowerShell runs as code'
      : codeOf().rereadBy;
    if (single) {
      if (psSingle.includes(c)) single = false;
    } else if (c === '`') {
      codes[i + 1] = codes[i]!;
      reread[i + 1] = reread[i];
      i++;
    } else if (top.state === 2) {
      if (psDouble.includes(c)) stack.pop();
      else if (c === '$' && text[i + 1] === '(') (stack.push(psFrame(0, i + 2)), (codes[++i] = 2));
    } else if (c === '<' && text[i + 1] === '#') {
      const end = text.indexOf('#>', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) ((codes[i] = 4), (reread[i] = undefined));
      i--;
    } else if (c === '#' && (i === 0 || /[\s;|{(]/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      for (; i < stop; i++) ((codes[i] = 4), (reread[i] = undefined));
      i--;
    } else if (psSingle.includes(c)) single = true;
    else if (psDouble.includes(c)) stack.push(psFrame(2, i));
    else if (c === '(') (endWord(top), top.parens++);
    else if (c === ')' && top.parens === 0 && stack.length > 1) (endCommand(top, i, false), stack.pop());
    else if (c === ')') (endWord(top), (top.parens = Math.max(0, top.parens - 1)));
    // A { } block (or a {{name}} placeholder) keeps its pipeline: `foreach { … } | iex`.
    else if (c === '{') (endWord(top), top.braces++);
    else if (c === '}') (endWord(top), (top.braces = Math.max(0, top.braces - 1)));
    else if (c === '|' && text[i + 1] === '|') endCommand(top, ++i, false);
    else if (c === '|') endCommand(top, i, true);
    else if (c === '&' && text[i + 1] === '&') endCommand(top, ++i, false);
    else if (c === ';' || c === '\n') endCommand(top, i, false);
    else if (/[\s,=]/.test(c)) endWord(top);
    else top.word += c;
  }
  for (const frame of stack.reverse()) if (frame.state === 0) endCommand(frame, text.length, false);
  return { codes, reread };
}

/** The spot of each offset of `text` for the dialect: its quote context and what re-reads it. */
function shellSpots(text: string, dialect: ShellDialect): (offset: number) => ShellSpot {
  const table = dialect === 'posix' ? posixContexts(text) : powershellContexts(text);
  return (offset) => {
    const rereadBy = table.reread[offset];
    return { context: codes[table.codes[offset] ?? 0]!, ...(rereadBy ? { rereadBy } : {}) };
  };
}

function quotePosix(value: string, context: QuoteContext): string | undefined {
  const inSingle = value.replace(/'/g, `'\\''`);
  switch (context) {
    case 'plain':
    case 'comment':
      return `'${inSingle}'`;
    case 'single':
      return inSingle;
    case 'double':
      // Leave the double quotes for single ones: no $, `, \ or ! expansion reaches the value.
      return `"'${inSingle}'"`;
    case 'heredoc':
    case 'expansion':
      return undefined;
  }
}

function quotePowershell(value: string, context: QuoteContext): string | undefined {
  const inSingle = value.replace(/['‘’‚‛]/g, '$&$&');
  if (context === 'single') return inSingle;
  if (context === 'double') return value.replace(/[`$"“”„]/g, '`$&');
  return `'${inSingle}'`;
}

/** Why a value cannot be placed at its spot; the caller turns it into its own error. */
export class UnquotableValue extends Error {}

const plainWords = 'only plain words (letters, digits and _ . / : = @ % + , -, not starting with -) can go there';

/**
 * A value as data in the given spot of a shell text: the shell reads back exactly `value`, and
 * nothing in it ($(…), quotes, &&, ;, newlines) becomes code. Where no quoting can promise that
 * (a here-document body, a text another interpreter reads again), a value that is not a plain
 * word is refused rather than pasted.
 */
export function quoteForShell(
  value: string,
  context: QuoteContext | ShellSpot,
  dialect: ShellDialect,
  name: string,
): string {
  const spot = typeof context === 'string' ? { context } : context;
  if (spot.context === 'comment' && /[\r\n]/.test(value)) {
    throw new UnquotableValue(
      `the value of ${name} sits in a comment and contains a line break, which would end the comment and run the rest as a command. Give it on one line.`,
    );
  }
  refuseControlBytes(value, name);
  // Read again, the value is split into words anew: mid-string (`bash -c "find /var/log {{dir}}"`) it
  // still begins a word of the inner command, and -delete would be an option there.
  if (spot.rereadBy && value.startsWith('-'))
    throw new UnquotableValue(
      `the value of ${name} starts with "-" and sits ${spot.rereadBy}, where it would begin a word of the inner command and be read as an option, not as data. If it is a path, give it as ./${value}.`,
    );
  if (inert.test(value)) return value;
  if (spot.rereadBy)
    throw new UnquotableValue(
      `the value of ${name} sits ${spot.rereadBy}: quoting cannot keep it data there, so ${plainWords}.`,
    );
  const quoted = dialect === 'posix' ? quotePosix(value, spot.context) : quotePowershell(value, spot.context);
  if (quoted === undefined && spot.context === 'expansion') {
    throw new UnquotableValue(
      `the value of ${name} sits in the word of a \${…} inside double quotes ("\${x:-{{${name}}}}"), where quotes nest so that no quoting keeps a $(…) in it from running, and it contains characters other than letters, digits and _ . / : = @ % + , -. Give a plain value, or move the placeholder out of the \${…}.`,
    );
  }
  if (quoted === undefined) {
    throw new UnquotableValue(
      `the value of ${name} sits in a here-document, where the shell reads quotes as text, and it contains characters other than letters, digits and _ . / : = @ % + , -. Give a plain value, or change the step so the value is an argument.`,
    );
  }
  return quoted;
}

/**
 * A control byte in a value (ESC, BEL, CR, NUL, DEL, a C1 byte) acts as a key or an escape in the
 * terminal and is no data a shell can be given: refused wherever the value goes. A tab too: where
 * the shell did not turn on bracketed paste, readline (or PSReadLine) completes at it, inside the
 * quotes the value was given, and what follows the completion runs. Newline passes. A fence's
 * controlBytes attribute allows bytes in the step as written, never in a value.
 */
function refuseControlBytes(value: string, name: string): void {
  const tab = value.indexOf('\t');
  if (tab >= 0) throw new UnquotableValue(tabInValue(name, tab));
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (!isControl(code) || code === 0x0a) continue;
    throw new UnquotableValue(
      `the value of ${name} holds the control byte ${controlName(code)} at character ${index + 1}, which a terminal reads as a key or an escape sequence (no step attribute allows it in a value). Retype the value without it.`,
    );
  }
}

/**
 * Why a tab in the value of `name` (at `index`, from 0) is refused: a terminal's shell reads it as
 * the completion key unless bracketed paste is on, and completion can end the value's quotes.
 */
export function tabInValue(name: string, index: number): string {
  return `the value of ${name} holds a tab (HT 0x09) at character ${index + 1}: a shell without bracketed paste reads it as the completion key, which can complete past the value's quotes and run the rest as a command. Retype the value with spaces instead of the tab.`;
}

/** Whether the placeholder at `offset` begins a word (only opening quotes before it): its value would be an argument of its own. */
function beginsWord(text: string, offset: number, context: QuoteContext, dialect: ShellDialect): boolean {
  let i = offset - 1;
  if (context !== 'plain' && !'\'"‘’‚‛“”„'.includes(text[i] ?? '')) return false;
  const quotes = dialect === 'posix' ? `'"` : `'"‘’‚‛“”„`;
  while (i >= 0 && quotes.includes(text[i]!)) i--;
  return i < 0 || /[\s;&|(`]/.test(text[i]!);
}

/** A value that starts with `-` where it begins an argument would be read as an option (`find {{dir}}` with -delete). */
function refuseOption(value: string, spot: ShellSpot, name: string): void {
  if (!value.startsWith('-') || spot.context === 'comment' || spot.context === 'heredoc') return;
  throw new UnquotableValue(
    `the value of ${name} starts with "-", so the command would read it as an option, not as data. If it is a path, give it as ./${value}.`,
  );
}

export interface ShellParameter {
  name: string;
  value: string;
  secret: boolean;
  /**
   * The other forms the importer recognised for this parameter, as written (`[RETENTION_DAYS]`,
   * `REPLACE_ME`, `your_host`, `${LINES:-100}`): filled like `{{name}}`, never left to run as
   * the literal.
   */
  placeholders?: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where bash evaluates a text as a number: `$((…))`, `((…))`, `let`, `[[ … -eq … ]]` and its
 * kin, `declare -i`, an array subscript `${a[…]}` and a substring offset `${x:…}`. A variable whose
 * value is `a[$(cmd)]` runs cmd there, however the value was quoted when it was assigned.
 */
const arithmetic =
  /\$\(\(|\(\(|(?:^|[\s;&|(])let\s|\[\[[^\]]*\s-(?:eq|ne|lt|le|gt|ge)\s|\b(?:declare|typeset|local)\s+-[A-Za-z]*i|\$\{[A-Za-z_]\w*\[|\$\{[A-Za-z_]\w*:[^-=?+]/;
/** A subscript that would expand code when evaluated: `[` followed by `$` or a backquote. */
const subscriptCode = /\[[^\]]*[$`]/;

/**
 * Fills `{{name}}`, `<name>`, `${name}`, `$name` and each recognised form in `placeholders` with
 * the values given (only names given),
 * each quoted for the target shell where it stands, so a value is always data: `$(…)`, quotes,
 * `&&` or a newline in a typed value, a runbook default or a result cell never run; a value
 * that would be read as an option or read again as code is refused (UnquotableValue). With
 * `maskSecrets`, a secret's quoted value shows as [secret NAME] (the card's preview).
 */
export function fillShellText(
  command: string,
  parameters: ShellParameter[],
  dialect: ShellDialect = 'posix',
  maskSecrets = false,
): string {
  if (!parameters.length) return command;
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const names = parameters.map((p) => escapeRegExp(p.name)).join('|');
  const byForm = new Map(parameters.flatMap((p) => (p.placeholders ?? []).map((form) => [form, p] as const)));
  // Longest first, so ${LINES:-100} wins over $LINES; a bare word form (REPLACE_ME) only as a whole word.
  const forms =
    [...byForm.keys()]
      .sort((x, y) => y.length - x.length)
      .map(escapeRegExp)
      .join('|') || '(?!)';
  const pattern = new RegExp(
    `(?<![\\w$])(${forms})(?![\\w])|\\{\\{\\s*(${names})\\s*\\}\\}|<(${names})>|\\$\\{(${names})\\}|\\$(${names})(?![\\w])`,
    'g',
  );
  const spotAt = shellSpots(command, dialect);
  const evaluatesNumbers = dialect === 'posix' && arithmetic.test(command);
  const fill = (_match: string, form?: string, a?: string, b?: string, c?: string, d?: string, offset?: number) => {
    const parameter = form !== undefined ? byForm.get(form)! : byName.get((a ?? b ?? c ?? d)!)!;
    if (evaluatesNumbers && subscriptCode.test(parameter.value))
      throw new UnquotableValue(
        `the value of ${parameter.name} holds an array subscript with $ or a backquote, and the step evaluates numbers ($((…)), ((…)), let, [[ … -gt … ]], a subscript or an offset): bash runs the $(…) in a value such as a[$(cmd)] when it reads a variable holding it as a number, whatever the quotes. Give a plain number or name.`,
      );
    const spot = spotAt(offset!);
    if (beginsWord(command, offset!, spot.context, dialect)) refuseOption(parameter.value, spot, parameter.name);
    const quoted = quoteForShell(parameter.value, spot, dialect, parameter.name);
    return maskSecrets && parameter.secret ? `[secret ${parameter.name}]` : quoted;
  };
  return command.replace(pattern, fill);
}
