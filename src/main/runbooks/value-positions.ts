import { worstRisk } from '../../shared/risk';
import type { Risk, RunbookParameter, RunbookStep } from '../../shared/runbook';
import { skipOptions, valueOptionsOf } from '../../shared/command-wrappers';
import { judgeShell } from './shell-judge';
import { flagsWithValue, takesSubcommand } from './shell-risk';
import { parseShell, ShellSyntaxError } from './shell-syntax';
import { leavesOf } from './shell-wrappers';

/** A placeholder whose value decides what a command does: it stands for the command, its subcommand or an option's name. */
export interface DecidingValue {
  name: string;
  /** "the command", "the subcommand of git", "an option of find". */
  where: string;
  word: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where a value chooses what runs, the template's risk says nothing: `find /var/log -{{action}}`
 * is a read with print and deletes with delete, `git {{verb}}` is anything. Quoting keeps such a
 * value one word, and a value starting with - is refused, but a word can still be a command, a
 * subcommand or the rest of an option's name.
 */
export function decidingValues(text: string, parameters: RunbookParameter[]): DecidingValue[] {
  let calls;
  try {
    calls = parseShell(text).calls;
  } catch (error) {
    if (error instanceof ShellSyntaxError) return [];
    throw error;
  }
  const forms = parameters.flatMap((p) => p.placeholders.map((form) => ({ name: p.name, form })));
  if (forms.length === 0) return [];
  const found: DecidingValue[] = [];
  const inWord = (word: string) => forms.find(({ form }) => word.includes(form));
  for (const leaf of calls.flatMap((call) => leavesOf(call))) {
    // `TOKEN={{token}}` assigns a variable: the value is data, and the command (if any) follows.
    const argv = [...leaf.argv];
    while (argv.length > 0 && /^[A-Za-z_]\w*=/.test(argv[0]!)) argv.shift();
    if (argv.length === 0) continue;
    const [program = '', ...rest] = argv;
    const command = inWord(program);
    if (command) {
      found.push({ name: command.name, where: 'the command', word: program });
      continue;
    }
    const name = program.slice(program.lastIndexOf('/') + 1);
    // `redis-cli -a $PASS --scan`: the program's own options that take a value are skipped too.
    const withValue = new Set([...flagsWithValue, ...valueOptionsOf(name)]);
    const subcommand = takesSubcommand(name) ? skipOptions(rest, withValue)[0] : undefined;
    const verb = subcommand === undefined ? undefined : inWord(subcommand);
    if (verb) found.push({ name: verb.name, where: `the subcommand of ${name}`, word: subcommand! });
    for (const word of rest) {
      // -{{action}}, -de{{x}}, -l{{flags}}, --{{flag}}=x: the value spells (part of) the option;
      // --since={{date}} is only its value, and a number (tail -{{lines}}) can spell no option name.
      const option = forms.find(({ form }) => new RegExp(`^-[^=]*${escape(form)}`).test(word));
      const numeric = option && ['int', 'number'].includes(parameters.find((p) => p.name === option.name)!.type);
      if (option && !numeric) found.push({ name: option.name, where: `an option of ${name}`, word });
    }
  }
  return found.filter((f, i) => found.findIndex((g) => g.name === f.name && g.word === f.word) === i);
}

/** The most filled texts a step's deciding enums may make for each to be judged. */
const maxCombinations = 64;

/**
 * A shell step's risk with its deciding values. Where each is limited to an enum of reviewed
 * words, the text is judged with every combination filled in (at most 64) and that verdict
 * replaces the template's (`replaces`); any other deciding value makes the step unknown.
 */
export function decidedRisk(
  step: Pick<RunbookStep, 'text'>,
  parameters: RunbookParameter[],
): { risk: Risk; reasons: string[]; replaces: boolean } | undefined {
  const deciding = decidingValues(step.text, parameters);
  if (deciding.length === 0) return undefined;
  // Only type: enum makes the values checked against the list (validateValue).
  const reviewed = (name: string) => {
    const parameter = parameters.find((p) => p.name === name)!;
    return parameter.type === 'enum' && (parameter.enum?.length ?? 0) > 0;
  };
  const open = deciding.filter((d) => !reviewed(d.name));
  if (open.length > 0)
    return {
      risk: 'unknown',
      replaces: false,
      reasons: open.map(
        ({ name, where, word }) =>
          `the value of ${name} stands for ${where} (${word}), so it decides what runs: give ${name} an enum of reviewed values in the frontmatter to have each judged`,
      ),
    };
  const enums = [...new Set(deciding.map((d) => d.name))].map((name) => parameters.find((p) => p.name === name)!);
  // Counted before any is built: 3 enums of 60 values would be 216,000 texts to fill and judge.
  const combinations = enums.reduce((product, p) => product * p.enum!.length, 1);
  if (combinations > maxCombinations)
    return {
      risk: 'unknown',
      replaces: false,
      reasons: [
        `${enums.map((p) => `${p.name} (${p.enum!.length} values)`).join(', ')} allow ${combinations > 1e6 ? 'more than a million' : combinations} combinations, more than the ${maxCombinations} the console judges one by one, so it did not judge the step: shorten the enums, or split the step so fewer values decide what runs`,
      ],
    };
  let texts = [{ text: step.text, label: '' }];
  for (const parameter of enums)
    texts = texts.flatMap(({ text, label }) =>
      parameter.enum!.map((value) => ({
        text: parameter.placeholders.reduce((filled, form) => filled.split(form).join(value), text),
        label: `${label}${label ? ', ' : ''}${parameter.name}=${value}`,
      })),
    );
  const judged = texts.map(({ text, label }) => ({ label, ...safeJudge(text) }));
  return {
    risk: worstRisk(judged.map((j) => j.risk)),
    replaces: true,
    reasons: judged.filter((j) => j.risk !== 'read').map((j) => `with ${j.label}: ${j.reasons[0] ?? `judged ${j.risk}`}`),
  };
}

function safeJudge(text: string): { risk: Risk; reasons: string[] } {
  try {
    return judgeShell(text);
  } catch {
    return { risk: 'unknown', reasons: ['does not parse as shell once filled'] };
  }
}
