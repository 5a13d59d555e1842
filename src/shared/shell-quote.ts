/** The shell that will read the text: a POSIX one (sh, bash, zsh on a bastion) or PowerShell. */
export type ShellDialect = 'posix' | 'powershell';

/**
 * Where a character sits, lexically: plain words, inside '…', inside "…", or in a here-document
 * body (where quotes are literal text, so no quoting can make a value inert there).
 */
export type QuoteContext = 'plain' | 'single' | 'double' | 'heredoc';
const codes: QuoteContext[] = ['plain', 'single', 'double', 'heredoc'];

/** Text that means the same in every context: needs no quotes, so none are added. */
const inert = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * The quote context of every character of a POSIX shell text. Command substitutions $( … ) and
 * `…` open a fresh plain context (their quotes nest), as the shell reads them.
 */
function posixContexts(text: string): Uint8Array {
  const out = new Uint8Array(text.length + 1);
  const stack: ('plain' | 'double' | 'single' | 'backtick')[] = ['plain'];
  let heredoc: { word: string; strip: boolean } | undefined;
  let inBody: { word: string; strip: boolean } | undefined;
  for (let i = 0; i < text.length; i++) {
    const top = stack.at(-1)!;
    if (inBody) {
      out[i] = 3;
      const lineStart = i === 0 || text[i - 1] === '\n';
      if (lineStart) {
        const end = text.indexOf('\n', i);
        const line = text.slice(i, end < 0 ? text.length : end);
        if ((inBody.strip ? line.replace(/^\t+/, '') : line) === inBody.word) inBody = undefined;
      }
      continue;
    }
    out[i] = top === 'single' ? 1 : top === 'double' ? 2 : 0;
    const c = text[i]!;
    if (top === 'single') {
      if (c === "'") stack.pop();
    } else if (c === '\\') {
      out[i + 1] = out[i]!;
      i++;
    } else if (top === 'double') {
      if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '(') (stack.push('plain'), (out[++i] = 2));
      else if (c === '`') stack.push('backtick');
    } else if (c === "'") stack.push('single');
    else if (c === '"') stack.push('double');
    else if (c === '$' && text[i + 1] === '(') (stack.push('plain'), (out[++i] = 0));
    else if (c === ')' && stack.length > 1 && top === 'plain') stack.pop();
    else if (c === '`') top === 'backtick' ? stack.pop() : stack.push('backtick');
    else if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      const match = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(text.slice(i));
      if (match) heredoc = { word: match[3]!, strip: match[1] === '-' };
    } else if (c === '\n' && heredoc) ((inBody = heredoc), (heredoc = undefined));
  }
  return out;
}

/** PowerShell: '…' (a doubled quote stays inside), "…" and the backtick escape. */
function powershellContexts(text: string): Uint8Array {
  const out = new Uint8Array(text.length + 1);
  let state: 0 | 1 | 2 = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = state;
    const c = text[i]!;
    if (state === 1) {
      if ("'‘’‚‛".includes(c)) state = 0;
    } else if (c === '`') {
      out[i + 1] = state;
      i++;
    } else if (state === 2) {
      if ('"“”„'.includes(c)) state = 0;
    } else if ("'‘’‚‛".includes(c)) state = 1;
    else if ('"“”„'.includes(c)) state = 2;
  }
  return out;
}

/** The context of each offset of `text` for the dialect (the index past the end included). */
export function quoteContexts(text: string, dialect: ShellDialect): (offset: number) => QuoteContext {
  const table = dialect === 'posix' ? posixContexts(text) : powershellContexts(text);
  return (offset) => codes[table[offset] ?? 0]!;
}

function quotePosix(value: string, context: QuoteContext): string | undefined {
  const inSingle = value.replace(/'/g, `'\\''`);
  switch (context) {
    case 'plain':
      return `'${inSingle}'`;
    case 'single':
      return inSingle;
    case 'double':
      // Leave the double quotes for single ones: no $, `, \ or ! expansion reaches the value.
      return `"'${inSingle}'"`;
    case 'heredoc':
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

/**
 * A value as data in the given spot of a shell text: the shell reads back exactly `value`, and
 * nothing in it ($(…), quotes, &&, ;, newlines) becomes code. Where no quoting can promise that
 * (a here-document body), a value that is not plain text is refused rather than pasted.
 */
export function quoteForShell(value: string, context: QuoteContext, dialect: ShellDialect, name: string): string {
  if (inert.test(value)) return value;
  const quoted = dialect === 'posix' ? quotePosix(value, context) : quotePowershell(value, context);
  if (quoted === undefined) {
    throw new UnquotableValue(
      `the value of ${name} sits in a here-document, where the shell reads quotes as text, and it contains characters other than letters, digits and _ . / : = @ % + , -. Give a plain value, or change the step so the value is an argument.`,
    );
  }
  return quoted;
}

export interface ShellParameter {
  name: string;
  value: string;
  secret: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Fills `{{name}}`, `<name>`, `${name}` and `$name` with the values given (only names given),
 * each quoted for the target shell where it stands, so a value is always data: `$(…)`, quotes,
 * `&&` or a newline in a typed value, a runbook default or a result cell never run. With
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
  const pattern = new RegExp(
    `\\{\\{\\s*(${names})\\s*\\}\\}|<(${names})>|\\$\\{(${names})\\}|\\$(${names})(?![\\w])`,
    'g',
  );
  const contextAt = quoteContexts(command, dialect);
  return command.replace(pattern, (_match, a?: string, b?: string, c?: string, d?: string, offset?: number) => {
    const parameter = byName.get((a ?? b ?? c ?? d)!)!;
    const quoted = quoteForShell(parameter.value, contextAt(offset!), dialect, parameter.name);
    return maskSecrets && parameter.secret ? `[secret ${parameter.name}]` : quoted;
  });
}
