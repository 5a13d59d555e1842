import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { maxJumps, profileDocumentSchema, type EnvironmentKind, type SshHop } from '../../shared/profile';
import { OpsError, describeZodError } from '../errors';
import { droppedSettings, expandIncludes, neutralizeDropped, readSshConfig } from './ssh-config-read';

export type ProfileDocumentParsed = ReturnType<typeof profileDocumentSchema.parse>;

export interface SshConfigImportOptions {
  /** The config file; ~/.ssh/config by default. */
  path?: string;
  /** The file's text, when the caller already has it (relative Includes resolve beside path). */
  text?: string;
  /** Every new profile's environment; by default guessed from the Host alias (prod… → production). */
  environment?: EnvironmentKind;
  /** Only these Host aliases; all by default. */
  hosts?: string[];
  home?: string;
  localUser?: string;
}

export interface SshConfigImport {
  documents: ProfileDocumentParsed[];
  skipped: { name: string; reason: string }[];
  /** Hosts imported without some of their settings (ProxyCommand, Match exec, LocalCommand…). */
  dropped: { name: string; settings: string[] }[];
}

export function defaultSshConfigPath(home = homedir()): string {
  return join(home, '.ssh', 'config');
}

/** The concrete Host aliases (no wildcard or negated patterns), in file order. */
function hostAliases(config: SSHConfig): string[] {
  const aliases: string[] = [];
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const value of values) if (value && !/[*?!]/.test(value) && !aliases.includes(value)) aliases.push(value);
  }
  return aliases;
}

function guessEnvironment(alias: string): EnvironmentKind {
  if (/prod|prd|live/i.test(alias)) return 'production';
  if (/stag|stg|preprod|uat/i.test(alias)) return 'staging';
  if (/dev|test|local|sandbox/i.test(alias)) return 'development';
  return 'custom';
}

type Computed = Record<string, string | string[]>;
const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Turns the SSH config into profile documents (one per Host alias) and the hosts it could not use.
 * Nothing in it is run or looked up: no Match exec, no ProxyCommand, no DNS canonicalisation.
 */
export async function profilesFromSshConfig(options: SshConfigImportOptions = {}): Promise<SshConfigImport> {
  const home = options.home ?? homedir();
  const path = options.path ?? defaultSshConfigPath(home);
  if (options.text?.includes('\0'))
    throw new OpsError(
      'invalid_input',
      `${path} is a binary file, not an SSH config: give the path of your ssh config file.`,
    );
  const expanded =
    options.text === undefined
      ? await readSshConfig(path, dirname(path), home).catch((error: unknown) => {
          if (error instanceof OpsError && /cannot be opened/.test(error.message))
            throw new OpsError('not_found', `Cannot read the SSH config: ${error.message}`, { cause: error });
          throw error;
        })
      : await expandIncludes(options.text, dirname(path), home);
  const { text, matchExec } = neutralizeDropped(expanded);
  const config = SSHConfig.parse(text);
  const localUser = options.localUser ?? userInfo().username;
  const compute = (alias: string) => config.compute(alias, { ignoreCase: true, matchExec: false }) as Computed;
  const expand = (value: string, alias: string, user: string) =>
    value
      .replace(/%(.)/g, (all, token: string) => ({ d: home, u: localUser, h: alias, r: user, '%': '%' })[token] ?? all)
      .replace(/^~(?=\/|$)/, home);

  /** One hop as ssh(1) would reach the given [user@]host[:port] (an alias gets its own settings). */
  const hopFor = (spec: string): SshHop & { alias: string; proxyJump?: string } => {
    const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim());
    if (!match) throw new Error(`ProxyJump entry "${spec}" is not [user@]host[:port]`);
    const alias = match[2]!.replace(/^\[|\]$/g, '');
    const c = compute(alias);
    const user = match[1] ?? first(c.user) ?? localUser;
    const hostName = expand(first(c.hostname) ?? alias, alias, user);
    const portText = match[3] ?? first(c.port) ?? '22';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`Port ${portText} of ${alias} is not between 1 and 65535`);
    const identity = first(c.identityfile);
    const proxyJump = first(c.proxyjump);
    return {
      alias,
      host: hostName,
      port,
      user,
      auth: identity ? 'key' : 'agent',
      ...(identity ? { keyPath: expand(identity, alias, user) } : {}),
      ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
    };
  };

  /**
   * The jumps in front of a hop. Mirrors ssh(1): `ProxyJump a,b` runs `ssh -J a … b`, so only the
   * first entry's own ProxyJump applies (recursively); the later entries' are overridden.
   */
  const jumpsOf = (proxyJump: string | undefined, visiting: string[]): SshHop[] => {
    if (!proxyJump) return [];
    const hops: SshHop[] = [];
    proxyJump.split(',').forEach((spec, i) => {
      const hop = hopFor(spec);
      if (visiting.includes(hop.alias)) throw new Error(`ProxyJump loops: ${[...visiting, hop.alias].join(' → ')}`);
      if (i === 0) hops.push(...jumpsOf(hop.proxyJump, [...visiting, hop.alias]));
      const { alias: _alias, proxyJump: _next, ...plain } = hop;
      hops.push(plain);
    });
    if (hops.length > maxJumps) throw new Error(`its ProxyJump chain has ${hops.length} hops, more than ${maxJumps}`);
    return hops;
  };

  const result: SshConfigImport = { documents: [], skipped: [], dropped: [] };
  const wanted = options.hosts ? new Set(options.hosts) : undefined;
  const aliases = hostAliases(config);
  for (const missing of options.hosts?.filter((h) => !aliases.includes(h)) ?? [])
    result.skipped.push({ name: missing, reason: `no "Host ${missing}" in ${path}` });
  for (const alias of aliases) {
    if (wanted && !wanted.has(alias)) continue;
    try {
      const target = hopFor(alias);
      const { alias: _alias, proxyJump, ...ssh } = target;
      const environment = options.environment ?? guessEnvironment(alias);
      const dropped = droppedSettings(compute(alias), matchExec);
      const parsed = profileDocumentSchema.safeParse({
        name: alias,
        environment,
        tags: ['ssh-config'],
        notes: `Imported from ${path} (Host ${alias}).${dropped.length ? ` Not imported: ${dropped.join(', ')}; this profile connects directly, without them. Check it before use.` : ''}`,
        ssh: { ...ssh, jumps: jumpsOf(proxyJump, [alias]) },
      });
      if (!parsed.success) throw new Error(describeZodError(parsed.error));
      result.documents.push(parsed.data);
      if (dropped.length) result.dropped.push({ name: alias, settings: dropped });
    } catch (error) {
      result.skipped.push({
        name: alias,
        reason: `${(error as Error).message}: fix the Host ${alias} entry or add the profile by hand`,
      });
    }
  }
  return result;
}
