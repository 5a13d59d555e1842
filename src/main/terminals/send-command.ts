import { controlName, firstForbiddenControl, parseControlBytes } from '../../shared/control-bytes';
import { OpsError } from '../errors';
import {
  fillShellText,
  quoteForShell,
  tabInValue,
  UnquotableValue,
  type ShellDialect,
  type ShellParameter,
} from '../../shared/shell-quote';

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
  for (const { name, value } of parameters.filter((p) => p.secret)) {
    for (const context of ['plain', 'single', 'double'] as const) {
      // A value no spot can take (a tab, a control byte) is refused where it is filled: mask it as typed.
      let quoted = value;
      try {
        quoted = quoteForShell(value, context, dialect, name);
      } catch (error) {
        if (!(error instanceof UnquotableValue)) throw error;
      }
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
    throw new OpsError(
      'refused',
      'This shell did not turn on bracketed paste, so pasting several lines would run them one by one: choose Run, or send one line at a time.',
    );
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

/**
 * Refuses control bytes in a command sent to a terminal (and in the values filled into it):
 * they would act as keys. Tab and newline pass in the step's text; a step may declare others on
 * its fence, for its own text only. A value may hold a newline, never a tab nor another control. CRLF line ends of the command (a runbook saved on Windows)
 * become newlines first. Returns the command to send.
 */
export function refuseControlBytes(input: {
  command: string;
  parameters: SendParameter[];
  step?: { id: string; title?: string; controlBytes?: string };
}): string {
  const command = input.command.replace(/\r\n/g, '\n');
  const parsed = parseControlBytes(input.step?.controlBytes);
  const declared = 'codes' in parsed ? parsed.codes : [];
  const what = input.step ? `Step "${input.step.title ?? input.step.id}" (${input.step.id})` : 'The command';
  const fix = input.step
    ? `declare it on the step's fence, e.g. {controlBytes="${controlLabel(0x1b)}"}, if it is meant`
    : 'remove it';
  const found = firstForbiddenControl(command, declared);
  if (found)
    throw new OpsError(
      'refused',
      `${what} holds the control byte ${controlName(found.code)} at character ${found.index + 1}: not sent, since a terminal reads it as a key (escape sequence, Enter, Ctrl-C). Remove it, or ${fix}.`,
    );
  // What the fence declares is for the step as written: a value may hold no control byte (but newline),
  // nor a tab, which a shell without bracketed paste reads as the completion key.
  for (const parameter of input.parameters) {
    const tab = parameter.value.indexOf('\t');
    if (tab >= 0) throw new OpsError('refused', `${what}: not sent: ${tabInValue(parameter.name, tab)}`);
    const inValue = firstForbiddenControl(parameter.value, []);
    if (inValue)
      throw new OpsError(
        'refused',
        `${what}: the value of ${parameter.name} holds the control byte ${controlName(inValue.code)}: not sent, since a terminal reads it as a key. Retype the value without it.`,
      );
  }
  return command;
}

function controlLabel(code: number): string {
  return controlName(code).split(' ')[0]!;
}
