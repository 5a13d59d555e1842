import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What is known about a host's key: from ~/.ssh/known_hosts first, then the app's trust store. */
export type HostKeyVerdict =
  | { status: 'known'; source: string }
  /** knownKeyType: the type on record, when the server presented another type (a possible downgrade). */
  | { status: 'changed'; source: string; knownFingerprint: string; knownKeyType?: string }
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
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
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

/**
 * The verdict on a presented key, given the keys on record for the host: the same key is known;
 * another key of the same type has changed; and, as ssh(1) does, a key of a type not on record
 * while other types are is refused too, so a server cannot downgrade to a key nobody checked.
 */
export function verdictAmong(records: { keyType: string; key: Buffer; source: string }[], key: Buffer): HostKeyVerdict {
  const type = keyTypeOf(key);
  const same = records.find((r) => r.key.equals(key));
  if (same) return { status: 'known', source: same.source };
  const sameType = records.find((r) => r.keyType === type);
  if (sameType) return { status: 'changed', source: sameType.source, knownFingerprint: fingerprintOf(sameType.key) };
  const other = records[0];
  return other
    ? {
        status: 'changed',
        source: other.source,
        knownFingerprint: fingerprintOf(other.key),
        knownKeyType: other.keyType,
      }
    : { status: 'unknown' };
}

/** The plain (not @cert-authority, not @revoked) lines of known_hosts text that name this host. */
function recordsFor(text: string, host: string, port: number): KnownHostsLine[] {
  const name = knownHostsName(host, port);
  return parseKnownHosts(text).filter((line) => !line.marker && hostMatches(line.patterns, name));
}

/** Checks a presented key against known_hosts text. */
export function checkKnownHosts(text: string, host: string, port: number, key: Buffer, source: string): HostKeyVerdict {
  if (parseKnownHosts(text).some((line) => line.marker === '@revoked' && line.key.equals(key)))
    return { status: 'revoked', source };
  return verdictAmong(
    recordsFor(text, host, port).map((line) => ({ ...line, source })),
    key,
  );
}

/** Key types the known_hosts files record for host:port. */
export function knownHostsKeyTypes(files: string[], host: string, port: number): string[] {
  return files.flatMap((file) => {
    try {
      return recordsFor(readFileSync(file, 'utf8'), host, port).map((line) => line.keyType);
    } catch {
      return [];
    }
  });
}

/**
 * Reads each known_hosts file that exists (a missing file knows nothing) and judges the key
 * against the records of all of them together: a type listed in any file is on record.
 */
export function checkKnownHostsFiles(files: string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const texts = files.flatMap((file) => {
    try {
      return [{ file, text: readFileSync(file, 'utf8') }];
    } catch {
      return [];
    }
  });
  for (const { file, text } of texts) {
    if (parseKnownHosts(text).some((line) => line.marker === '@revoked' && line.key.equals(key)))
      return { status: 'revoked', source: file };
  }
  return verdictAmong(
    texts.flatMap(({ file, text }) => recordsFor(text, host, port).map((line) => ({ ...line, source: file }))),
    key,
  );
}
