import { globSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileCaps, readBoundedFile } from '../bounded-file';
import { OpsError } from '../errors';

const maxIncludeDepth = 16; // OpenSSH's READCONF_MAX_DEPTH
/** Included files per import: a real config has a handful; a fan-out (each file including the next four times) has millions. */
export const maxIncludedFiles = 64;

/** What one import may read: a count of Included files and a byte budget shared by all of them. */
interface Budget {
  files: number;
  bytes: number;
}

async function readConfigFile(path: string, budget: Budget): Promise<string> {
  const bytes = await readBoundedFile(path, {
    what: 'The ssh config file',
    maxBytes: fileCaps.sshConfigTotal - budget.bytes,
    capLabel: 'the 1 MB an ssh config import reads in all (with its Includes)',
  });
  budget.bytes += bytes.byteLength;
  if (bytes.includes(0))
    throw new OpsError(
      'invalid_input',
      `${path} is a binary file, not an SSH config: give the path of your ssh config file.`,
    );
  return bytes.toString('utf8');
}

/**
 * Reads an ssh config and inlines every Include (globs, ~, paths relative to ~/.ssh) the way
 * ssh(1) reads them, each file bounded (regular files only, async, within 1 MB for the whole
 * import) and at most 64 Included files, so a FIFO, /dev/zero or an Include fan-out fails fast.
 */
export async function readSshConfig(path: string, sshDir: string, home: string): Promise<string> {
  const budget: Budget = { files: 0, bytes: 0 };
  return expand(await readConfigFile(path, budget), sshDir, home, 0, budget);
}

/** Inlines the Includes of `text` (exported for callers that already hold the main file's text). */
export async function expandIncludes(text: string, sshDir: string, home: string): Promise<string> {
  return expand(text, sshDir, home, 0, { files: 0, bytes: Buffer.byteLength(text) });
}

async function expand(text: string, sshDir: string, home: string, depth: number, budget: Budget): Promise<string> {
  if (depth > maxIncludeDepth)
    throw new OpsError(
      'invalid_input',
      `Include nests more than ${maxIncludeDepth} levels deep (an Include loop?): fix the Include lines of your ssh config.`,
    );
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const include = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i.exec(line);
    if (!include) {
      out.push(line);
      continue;
    }
    const patterns = (include[1]!.match(/"[^"]*"|\S+/g) ?? []).map((raw) => raw.replace(/^"|"$/g, ''));
    for (const pattern of patterns) {
      const absolute = pattern.startsWith('~/')
        ? join(home, pattern.slice(2))
        : isAbsolute(pattern)
          ? pattern
          : join(sshDir, pattern);
      for (const file of globSync(absolute).sort()) {
        if (++budget.files > maxIncludedFiles) {
          throw new OpsError(
            'invalid_input',
            `The ssh config Includes more than ${maxIncludedFiles} files (an Include fan-out?): import stopped. Import the file that names your hosts directly.`,
          );
        }
        try {
          out.push(await expand(await readConfigFile(file, budget), sshDir, home, depth + 1, budget));
        } catch (error) {
          if (error instanceof OpsError && !/cannot be opened/.test(error.message)) throw error;
          // ssh(1) skips an Include that does not resolve to a readable file
        }
      }
    }
  }
  return out.join('\n');
}

/**
 * Settings the console does not carry over, each of which would change where or how ssh(1)
 * connects, or run something: a host that had one is imported without it and marked.
 */
const droppedDirectives = [
  'ProxyCommand',
  'LocalCommand',
  'PermitLocalCommand',
  'RemoteCommand',
  'KnownHostsCommand',
  'ProxyUseFdpass',
  'PKCS11Provider',
  'SecurityKeyProvider',
  'CanonicalizeHostName',
  'CanonicalDomains',
  'CanonicalizeFallbackLocal',
  'CanonicalizeMaxDots',
  'CanonicalizePermittedCNAMEs',
  'LocalForward',
  'RemoteForward',
  'DynamicForward',
];
const droppedPattern = new RegExp(`^(\\s*)(${droppedDirectives.join('|')})(\\s*=\\s*|\\s+)`, 'i');
/** The prefix a dropped directive is renamed with: inert to the parser (no lookup, no command), still reported per host. */
export const droppedPrefix = 'XOpsConsoleDropped';

/**
 * Renames each dropped directive so the parser can neither act on it (CanonicalizeHostName makes
 * it run nslookup on attacker-chosen names; ProxyCommand is a command) nor lose track of which
 * hosts it applied to. Returns whether any `Match exec` exists (never run: its block is ignored).
 */
export function neutralizeDropped(text: string): { text: string; matchExec: boolean } {
  const lines = text
    .split('\n')
    .map((line) =>
      line.replace(
        droppedPattern,
        (_all, indent: string, name: string, separator: string) => `${indent}${droppedPrefix}${name}${separator}`,
      ),
    );
  return { text: lines.join('\n'), matchExec: lines.some((line) => /^\s*match\b.*\bexec\b/i.test(line)) };
}

/** The dropped settings among a host's computed ones, by their ssh_config names. */
export function droppedSettings(computed: Record<string, unknown>, matchExec: boolean): string[] {
  const names = Object.keys(computed)
    .filter((key) => key.toLowerCase().startsWith(droppedPrefix.toLowerCase()))
    .map(
      (key) =>
        droppedDirectives.find((d) => d.toLowerCase() === key.slice(droppedPrefix.length).toLowerCase()) ??
        key.slice(droppedPrefix.length),
    );
  return [...new Set([...names, ...(matchExec ? ['Match exec'] : [])])];
}
