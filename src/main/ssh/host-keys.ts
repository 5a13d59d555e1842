import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What is known about a host's key: from ~/.ssh/known_hosts first, then the app's trust store. */
export type HostKeyVerdict =
  | { status: 'known'; source: string }
  | { status: 'changed'; source: string; knownFingerprint: string }
  | { status: 'revoked'; source: string }
  | { status: 'unknown' };

/** OpenSSH's fingerprint, as `ssh-keygen -l` prints it: SHA256:base64 without padding. */
export function fingerprintOf(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** The key type written at the front of an SSH wire-format public key (ssh-ed25519, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('ascii');
}

/** Mirrors ssh(1): port 22 is written bare, any other port as [host]:port. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

interface KnownHostsLine {
  marker?: '@revoked' | '@cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    let marker: KnownHostsLine['marker'];
    if (parts[0] === '@revoked' || parts[0] === '@cert-authority') marker = parts.shift() as KnownHostsLine['marker'];
    const [patterns, keyType, keyBase64] = parts;
    if (!patterns || !keyType || !keyBase64) continue;
    lines.push({ marker, patterns, keyType, key: Buffer.from(keyBase64, 'base64') });
  }
  return lines;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesOne(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return wildcardToRegExp(pattern).test(name);
}

/** Host pattern list semantics of sshd(8): any positive match, and no negated (!) match. */
export function hostMatches(patterns: string, name: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchesOne(pattern.slice(1), name)) return false;
    } else if (matchesOne(pattern, name)) matched = true;
  }
  return matched;
}

/** Checks a presented key against known_hosts text. */
export function checkKnownHosts(text: string, host: string, port: number, key: Buffer, source: string): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const type = keyTypeOf(key);
  let changed: HostKeyVerdict | undefined;
  for (const line of parseKnownHosts(text)) {
    if (line.marker === '@revoked') {
      if (line.key.equals(key)) return { status: 'revoked', source };
      continue;
    }
    if (line.marker === '@cert-authority' || !hostMatches(line.patterns, name)) continue;
    if (line.key.equals(key)) return { status: 'known', source };
    if (line.keyType === type) changed ??= { status: 'changed', source, knownFingerprint: fingerprintOf(line.key) };
  }
  return changed ?? { status: 'unknown' };
}

/** Reads each known_hosts file that exists; a missing file simply knows nothing. */
export function checkKnownHostsFiles(files: string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  let verdict: HostKeyVerdict = { status: 'unknown' };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const found = checkKnownHosts(text, host, port, key, file);
    if (found.status === 'revoked') return found;
    if (verdict.status === 'unknown' || found.status === 'changed') verdict = found.status === 'unknown' ? verdict : found;
  }
  return verdict;
}
