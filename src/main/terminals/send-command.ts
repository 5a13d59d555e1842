import { OpsError } from '../errors';
import { fillShellText, quoteForShell, UnquotableValue, type ShellDialect, type ShellParameter } from '../../shared/shell-quote';

export type SendParameter = ShellParameter;

/** The command with its parameters quoted in (see fillShellText); an unquotable value refuses the send. */
export function fillParameters(command: string, parameters: SendParameter[], dialect: ShellDialect = 'posix'): string {
  try {
    return fillShellText(command, parameters, dialect);
  } catch (error) {
    if (error instanceof UnquotableValue) throw new OpsError('refused', `Not sent: ${error.message}`);
    throw error;
  }
}

/**
 * Every form a secret value takes in what is sent and echoed back: as typed, quoted for each spot
 * it can stand in (`'s3cr'\''et'` no longer contains "s3cr'et"), and each of its lines (a pasted
 * newline comes back as CR LF), so the recording and the reply mask all of them.
 */
export function secretForms(parameters: SendParameter[], dialect: ShellDialect): string[] {
  const forms = new Set<string>();
  for (const { name, value, secret } of parameters.filter((p) => p.secret)) {
    for (const context of ['plain', 'single', 'double'] as const) {
      const quoted = quoteForShell(value, context, dialect, name);
      for (const form of [value, quoted]) {
        forms.add(form);
        for (const line of form.split(/\r?\n/)) forms.add(line);
      }
    }
  }
  return [...forms];
}

/**
 * The bytes that paste a command into a shell: bracketed when the shell asked for it (so a
 * multi-line text does not run line by line), then Enter only when the operator chose Run.
 */
export function pasteBytes(text: string, options: { bracketedPaste: boolean; run: boolean }): string {
  const multiline = text.includes('\n');
  if (multiline && !options.bracketedPaste && !options.run) {
    throw new OpsError('refused', 'This shell did not turn on bracketed paste, so pasting several lines would run them one by one: choose Run, or send one line at a time.');
  }
  const body = options.bracketedPaste ? `\x1b[200~${text}\x1b[201~` : text.replace(/\r?\n/g, '\r');
  return options.run ? body + '\r' : body;
}

/** Follows the shell's bracketed-paste switch (DECSET 2004) in its output. */
export function bracketedPasteSwitch(output: string): boolean | undefined {
  // Called on every batch of output: one forward search (fast) spares the two backward ones (slow) on plain text.
  if (!output.includes('\x1b[?2004')) return undefined;
  const on = output.lastIndexOf('\x1b[?2004h');
  const off = output.lastIndexOf('\x1b[?2004l');
  if (on < 0 && off < 0) return undefined;
  return on > off;
}
