import type { RunbookStatement } from '../../shared/runbook';

type Verdict = Pick<RunbookStatement, 'risk' | 'reasons'>;

/**
 * Environment variables and settings are code when a program runs them: BASH_ENV, LESSOPEN,
 * PAGER, GIT_*, LD_PRELOAD, PATH… A variable set before a command (`VAR=… cmd`, `env VAR=… cmd`)
 * keeps the command a read only when it is one of these harmless ones, or a pager set to cat. The
 * cloud CLIs' account, region and project selectors are among them (`AWS_PROFILE=prod aws s3 ls`):
 * they pick an entry of the operator's own configuration; the files that hold it
 * (AWS_CONFIG_FILE, CLOUDSDK_CONFIG…) stay unlisted, as a file chosen there can run a command.
 */
const harmlessVariables =
  /^(TZ|LANG|LANGUAGE|LC_[A-Z_]+|TERM|COLUMNS|LINES|NO_COLOR|CLICOLOR|CLICOLOR_FORCE|REDISCLI_AUTH|PGPASSWORD|PGHOST|PGPORT|PGUSER|PGDATABASE|PGSSLMODE|PGAPPNAME|PGCONNECT_TIMEOUT|PGTZ|PGDATESTYLE|PGCLIENTENCODING|AWS_PROFILE|AWS_DEFAULT_PROFILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_DEFAULT_OUTPUT|CLOUDSDK_CORE_PROJECT|CLOUDSDK_COMPUTE_REGION|CLOUDSDK_COMPUTE_ZONE)$/;
/** Pagers and editors whose value is a command: harmless only when they print as they are. */
const pagerVariables = /^(PAGER|GIT_PAGER|MANPAGER|SYSTEMD_PAGER|AWS_PAGER|PSQL_PAGER)$/;
export const harmlessPagers: ReadonlySet<string> = new Set(['', 'cat']);

/**
 * Variables a shell or a common program runs as code or uses to find code or its settings, even
 * when merely set in the shell (`PATH=/tmp/x; ls`): a bare assignment to one is not a read either.
 */
const codeVariables =
  /^(PATH|CDPATH|LD_\w+|DYLD_\w+|BASH_ENV|ENV|PROMPT_COMMAND|PS[0-4]|IFS|SHELLOPTS|BASHOPTS|BASH_FUNC_\S*|BASH_XTRACEFD|EXECIGNORE|GLOBIGNORE|FCEDIT|SHELL|LESSOPEN|LESSCLOSE|LESSKEY|LESS|PAGER|MANPAGER|MANOPT|SYSTEMD_PAGER|SYSTEMD_LESS|AWS_PAGER|PSQL_PAGER|PSQLRC|PGSERVICEFILE|PGSYSCONFDIR|GIT_\w+|EDITOR|VISUAL|SUDO_EDITOR|SUDO_ASKPASS|SSH_ASKPASS|PYTHON\w*|PERL5\w+|PERLLIB|NODE_OPTIONS|NODE_PATH|RUBYOPT|RUBYLIB|LUA_INIT\w*|PHPRC|PHP_INI_SCAN_DIR|GCONV_PATH|GLIBC_TUNABLES|LOCPATH|NLSPATH|HOSTALIASES|TERMINFO|TERMINFO_DIRS|TERMCAP|INPUTRC|EXINIT|VIMINIT|MYVIMRC|WGETRC|SCREENRC|SSLKEYLOGFILE|GNUPGHOME|KUBECONFIG|KUBE_EDITOR|BROWSER|TMPDIR|HOME|ZDOTDIR|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|OPENSSL_CONF|OPENSSL_ENGINES|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|GEM_HOME|GEM_PATH|JAVA_HOME|JAVA_OPTS|MAVEN_OPTS|GRADLE_OPTS|SBT_OPTS|GOPATH|GOFLAGS|CARGO_HOME|RUSTC_WRAPPER|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE|GOOGLE_APPLICATION_CREDENTIALS|CLOUDSDK_CONFIG|DOCKER_CONFIG|BOTO_CONFIG|ANSIBLE_CONFIG|TF_CLI_CONFIG_FILE|HELM_PLUGINS|PIP_CONFIG_FILE|CURL_HOME|npm_config_\w+|NPM_CONFIG_\w+)$/;
/**
 * Names that by convention point some program at code, options or a file of settings, whatever
 * the program (FOO_CONFIG, AWS_CONFIG_FILE, GOOGLE_APPLICATION_CREDENTIALS, JAVA_OPTS, CARGO_HOME,
 * MANPATH, X_COMMAND…): the list above cannot name every tool's, so the shape of the name counts.
 * Names a runbook keeps its own values in (N, POD, NAMESPACE, TARGET_PID) have none of these shapes.
 * The shape counts only for a variable exported to the programs the shell starts: a shell variable
 * (`DUMP_PATH=/tmp/db.sql`, a loop's variable) reaches none, unless it is one already exported,
 * which the named list covers for the common ones.
 */
const codeVariableShapes =
  /(_CONFIG|_CONFIG_FILE|_CONFIG_DIR|_CONFIG_PATH|_CONF|_CONFDIR|_RC|_RCFILE|_CREDENTIALS|_CREDENTIALS_FILE|HOME|PATH|_OPTS|_OPTIONS|_ARGS|_EDITOR|_PAGER|_COMMAND|_CMD|_ASKPASS|_PRELOAD|_EXEC|_PROGRAM|_SHELL|_HOOK|_HOOKS|_PLUGIN|_PLUGINS|_INIT|_PROFILE)$/;

/** `PATH[0]` → `PATH`: an element of a variable is the variable. */
const withoutSubscript = (name: string): string => name.replace(/\[.*$/s, '');

/** Whether setting NAME in the shell (exported to the programs it starts, or not) may change what a later command runs. */
function codeVariable(name: string, exported: boolean): boolean {
  return !harmlessVariables.test(name) && (codeVariables.test(name) || (exported && codeVariableShapes.test(name)));
}

/** `NAME=value`, `NAME+=value`, `NAME[i]=value`: groups 1 (the name) and 3 (the value). */
const assignmentPattern = /^([A-Za-z_]\w*)(\[[^\]]*\])?\+?=(.*)$/s;

/** Whether `NAME=value` may prefix a command and leave it a read. */
export function harmlessPrefixAssignment(word: string): boolean {
  const match = assignmentPattern.exec(word);
  if (!match) return false;
  const [, name = '', , value = ''] = match;
  if (pagerVariables.test(name)) return harmlessPagers.has(value);
  return harmlessVariables.test(name);
}

/** Builtins that split what they read on IFS: `IFS= read -r line` changes only how they split it. */
const splittingBuiltins = new Set(['read', 'mapfile', 'readarray']);

/** Assignments before a command the judge did not peel: a code-bearing variable, any unlisted one. */
export function prefixAssignmentRisk(argv: string[]): Verdict | undefined {
  let i = 0;
  while (i < argv.length && assignmentPattern.test(argv[i]!)) i++;
  if (i === 0) return undefined;
  const command = argv[i];
  const harmless = (w: string) =>
    harmlessPrefixAssignment(w) || (splittingBuiltins.has(command!) && assignmentPattern.exec(w)![1] === 'IFS');
  const risky = argv.slice(0, i).filter((w) => (command === undefined ? codeVariable(assignmentPattern.exec(w)![1]!, false) : !harmless(w)));
  if (risky.length === 0) return undefined;
  const name = assignmentPattern.exec(risky[0]!)![1]!;
  return command === undefined
    ? { risk: 'unknown', reasons: [`setting ${name} changes what later commands run: the console cannot tell what it runs`] }
    : { risk: 'unknown', reasons: [`${name}=… before ${command} may make it run other code (only a few variables, such as TZ, LANG and LC_*, are known harmless)`] };
}

/** Whether a loop (`for NAME in …`) or an expansion (`${NAME:=…}`) sets a code-bearing variable: `how` names which. */
export function shellSetRisk(name: string, how: string): Verdict | undefined {
  return codeVariable(name, false)
    ? { risk: 'unknown', reasons: [`${how} sets ${name}, which changes what later commands run: the console cannot tell what it runs`] }
    : undefined;
}

/** Options of each variable-setting builtin that take a value (the next word, or the rest of the word). */
const builtinValueOptions: Record<string, string> = { read: 'adinNptu', mapfile: 'dnOsuCc', readarray: 'dnOsuCc', printf: 'v' };

/**
 * `read PATH`, `read -a LD_PRELOAD`, `printf -v PATH …`, `mapfile NODE_OPTIONS`, `getopts ab PATH`:
 * a builtin that sets a variable from its input or its arguments sets a code-bearing one as
 * surely as `PATH=…` does. Returns the first such name.
 */
export function codeVariableReadInto(argv: string[]): string | undefined {
  const [command = '', ...args] = argv;
  if (command === 'getopts') return args[1] !== undefined && codeVariable(withoutSubscript(args[1]), false) ? args[1] : undefined;
  const valued = builtinValueOptions[command];
  if (valued === undefined) return undefined;
  const names: string[] = [];
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-') && args[i] !== '-'; i++) {
    if (args[i] === '--') {
      i++;
      break;
    }
    const flags = args[i]!.slice(1);
    for (let f = 0; f < flags.length; f++) {
      if (!valued.includes(flags[f]!)) continue;
      const value = flags.slice(f + 1) || args[++i];
      // read's -a and printf's -v name the variable; the other options' values are data.
      if (value !== undefined && ((command === 'read' && flags[f] === 'a') || command === 'printf')) names.push(value);
      break;
    }
  }
  // printf's arguments are its format and data; read and mapfile name their variables.
  if (command !== 'printf') names.push(...args.slice(i));
  return names.find((name) => /^[A-Za-z_]\w*(\[.*\])?$/s.test(name) && codeVariable(withoutSubscript(name), false));
}

/**
 * `declare -x PATH=…`, `export LD_PRELOAD=…`, `local PATH+=:/tmp`: a declaring builtin (argv[0])
 * setting a code-bearing variable. `declare -n ref=PROMPT_COMMAND` makes ref another name for
 * its value, and a name only known when it runs (`declare "$x=…"`) cannot be vouched for.
 */
export function codeVariableSet(argv: string[]): string | undefined {
  const [builtin, ...args] = argv;
  const flags = args.filter((w) => /^[-+][a-zA-Z]+$/.test(w)).join('');
  const exported = builtin === 'export' || flags.includes('x');
  const nameref = flags.includes('n');
  for (const w of args) {
    const match = assignmentPattern.exec(w);
    if (!match) {
      if (/^[^-+].*=/s.test(w) && /[$`]/.test(w.slice(0, w.indexOf('=')))) return w.slice(0, w.indexOf('='));
      continue;
    }
    if (codeVariable(match[1]!, exported)) return match[1];
    if (nameref && codeVariable(withoutSubscript(match[3]!), true)) return match[3];
  }
  return undefined;
}

/** Kubernetes clients: a kubeconfig can name an exec credential plugin, which the client runs. */
const kubeClients = new Set(['kubectl', 'oc', 'helm', 'kubectx', 'kubens', 'k9s', 'stern', 'kustomize', 'flux', 'argocd']);

/**
 * `kubectl --kubeconfig=FILE get pods`, `helm template --post-renderer PROG`: a configuration file
 * given on the command line (as KUBECONFIG= is) or a program the client runs on its output.
 */
export function clientSettingRisk(name: string, argv: string[]): Verdict | undefined {
  if (!kubeClients.has(name)) return undefined;
  const given = (flag: string) => argv.some((w) => w === flag || w.startsWith(`${flag}=`));
  if (given('--kubeconfig')) return { risk: 'unknown', reasons: [`${name} --kubeconfig reads a configuration that can run a credential plugin the console cannot see`] };
  if (name === 'helm' && given('--post-renderer')) return { risk: 'unknown', reasons: ['helm --post-renderer runs the program it is given on the rendered manifests'] };
  return undefined;
}

/** `git fetch --upload-pack=CMD`, `git grep -O CMD`: a subcommand's option that names a program git runs. */
function gitProgramOption(sub: string | undefined, rest: string[]): Verdict | undefined {
  const named = (w: string) => ['--upload-pack', '--receive-pack', '--exec', '--open-files-in-pager'].some((o) => w === o || w.startsWith(`${o}=`));
  return rest.some((w) => named(w) || (sub === 'grep' && /^-O/.test(w)))
    ? { risk: 'unknown', reasons: [`git ${sub ?? ''} --upload-pack/--exec/-O runs the program it is given`] }
    : undefined;
}

/** git settings given on the command line that only change how output looks. */
const harmlessGitKeys = /^(color(\..*)?|column\..*|advice\..*|core\.quotepath|core\.abbrev|log\.date|log\.decorate|log\.abbrevcommit|user\.name|user\.email|i18n\.logoutputencoding)$/;

/** git's global options that take the next word as their value (before the subcommand). */
export const gitValueOptions: ReadonlySet<string> = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--super-prefix',
]);

/**
 * `git -c core.fsmonitor=cmd status`, `-c core.pager=…`, `--config-env=…`, `--exec-path=DIR`: git
 * settings run commands (fsmonitor, pager, hooks, ssh, diff drivers…). Before the subcommand, a
 * setting is allowed only from a short list of display settings.
 */
export function gitSettingRisk(argv: string[]): Verdict | undefined {
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i]!;
    if (!w.startsWith('-')) return gitProgramOption(argv[i], argv.slice(i + 1));
    let setting: string | undefined;
    if (w === '-c') setting = argv[++i] ?? '';
    else if (w.startsWith('-c') && w.length > 2) setting = w.slice(2);
    else if (w === '--config-env') setting = argv[++i] ?? '';
    else if (w.startsWith('--config-env=')) setting = w.slice('--config-env='.length);
    else if (w === '--exec-path' || w === '--list-cmds' || w.startsWith('--list-cmds=')) continue;
    else if (w.startsWith('--exec-path=')) return { risk: 'unknown', reasons: ['git --exec-path=… runs git commands from another directory'] };
    else if (w === '--git-dir' || w.startsWith('--git-dir='))
      return { risk: 'unknown', reasons: ["git --git-dir reads that repository's configuration, whose settings (core.fsmonitor, core.pager…) can run commands"] };
    else if (gitValueOptions.has(w)) {
      i++;
      continue;
    } else continue;
    const key = setting.split('=')[0]!.toLowerCase();
    if (!harmlessGitKeys.test(key)) return { risk: 'unknown', reasons: [`git -c ${key}=… sets a setting git may run as a command (only display settings such as color.* are known harmless)`] };
  }
  return undefined;
}
