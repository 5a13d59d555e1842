import type { ShellDialect } from './shell-quote';
/**
 * Terminal domain types and the pure rules shared by the core and the renderer: flow-control
 * watermarks, the asciicast v2 shape, masked-prompt detection, dangerous-command flags.
 */

export const terminalKinds = ['remote', 'local'] as const;
export type TerminalKind = (typeof terminalKinds)[number];

/**
 * running: the shell is up. lost: its SSH session dropped (the shell is gone). reopenable: the
 * session is back, the operator may reopen a shell in this tab. exited: the shell ended.
 */
export const terminalStates = ['running', 'lost', 'reopenable', 'exited'] as const;
export type TerminalState = (typeof terminalStates)[number];

export interface TerminalInfo {
  terminalId: string;
  kind: TerminalKind;
  /** For remote terminals: the profile whose SSH session carries the shell. */
  profileId?: string;
  title: string;
  cols: number;
  rows: number;
  state: TerminalState;
  /** Why the state last changed, in words the operator can act on. */
  reason?: string;
  /** The recording of this terminal's current shell. */
  castId: string;
  /** How the shell reads quotes: PowerShell for a local terminal on Windows, POSIX elsewhere (values are quoted for it). */
  dialect?: ShellDialect;
  startedAt: string;
}

/** Output batched for the renderer; the renderer acks `data.length` once xterm has written it. */
export interface TerminalDataEvent {
  terminalId: string;
  data: string;
  /**
   * Characters of this terminal's output sent before this chunk (counted across reopens): a
   * window that takes the terminal over (terminals.attach) skips what its screen already holds.
   */
  at: number;
}

export interface TerminalExitEvent {
  terminalId: string;
  exitCode: number | null;
  signal: string | null;
  reason: string;
}

/** A stored recording (asciicast v2). */
export interface CastInfo {
  castId: string;
  terminalId: string;
  kind: TerminalKind;
  profileId?: string;
  title: string;
  startedAt: string;
  /** Absent while the terminal is still recording. */
  endedAt?: string;
  durationMs: number;
  bytes: number;
  /** True when output past the size cap was dropped from the recording. */
  truncated: boolean;
  /** Once finished: the incident it was attached to (a `terminal.recording` event names the attachment). */
  incidentId?: string;
  attachmentId?: string;
}

/**
 * Acknowledged flow control (xterm.js's guide): the core stops reading the shell once this many
 * characters are sent but not yet acknowledged, and resumes below the low watermark.
 */
export const flowControl = {
  highWatermark: 512 * 1024,
  lowWatermark: 128 * 1024,
  /** Output is batched for at most this long… */
  batchMs: 10,
  /** …or this many characters, whichever comes first. */
  batchChars: 64 * 1024,
  /** The renderer acknowledges after writing at least this many characters (or when idle). */
  ackEvery: 32 * 1024,
} as const;

/** asciicast v2 header (first line of a .cast file). */
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  title?: string;
  env?: Record<string, string>;
}

/** o: output, i: input, r: resize ("COLSxROWS"), m: marker. */
export type CastEventType = 'o' | 'i' | 'r' | 'm';
export type CastEvent = [time: number, type: CastEventType, data: string];

export interface ParsedCast {
  header: CastHeader;
  events: CastEvent[];
}

/** Parses and validates an asciicast v2 text; throws an Error naming the bad line. */
export function parseCast(text: string): ParsedCast {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error('The recording is empty: no asciicast header.');
  const header = JSON.parse(lines[0]!) as CastHeader;
  if (header.version !== 2) throw new Error('Line 1: not an asciicast v2 header (version must be 2).');
  if (!Number.isInteger(header.width) || !Number.isInteger(header.height) || header.width < 1 || header.height < 1) {
    throw new Error('Line 1: width and height must be positive integers.');
  }
  const events: CastEvent[] = [];
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const event = JSON.parse(lines[i]!) as unknown;
    if (!Array.isArray(event) || event.length !== 3) throw new Error(`Line ${i + 1}: an event is [time, type, data].`);
    const [time, type, data] = event as [unknown, unknown, unknown];
    if (typeof time !== 'number' || time < last)
      throw new Error(`Line ${i + 1}: time must be a number not before the previous event.`);
    if (type !== 'o' && type !== 'i' && type !== 'r' && type !== 'm')
      throw new Error(`Line ${i + 1}: type must be o, i, r or m.`);
    if (typeof data !== 'string') throw new Error(`Line ${i + 1}: data must be a string.`);
    last = time;
    events.push([time, type, data]);
  }
  return { header, events };
}

/** The last line of output asks for a secret: what is typed next is masked in the recording. */
export const maskedPromptPattern = /(password|passphrase|passcode|pin|token|secret)[^:\n]{0,60}:\s*$/i;

export interface CommandFlag {
  dangerous: boolean;
  reasons: string[];
}

const dangerousPatterns: [RegExp, string][] = [
  [
    /\brm\s+(-[a-zA-Z]*[rR][a-zA-Z]*\s+-?[a-zA-Z]*f|-[a-zA-Z]*f[a-zA-Z]*\s+-?[a-zA-Z]*[rR]|-[a-zA-Z]*([rR][a-zA-Z]*f|f[a-zA-Z]*[rR])|--recursive\b.*--force|--force\b.*--recursive)/,
    'rm -rf deletes files recursively without asking',
  ],
  [/\bdrop\s+(table|database|schema|index|view|role|user)\b/i, 'DROP removes a database object'],
  [/\btruncate\b/i, 'TRUNCATE empties a table'],
  [/\bdelete\s+from\b(?![\s\S]*\bwhere\b)/i, 'DELETE without WHERE removes every row'],
  [/\bflushall\b|\bflushdb\b/i, 'FLUSHALL/FLUSHDB erases Redis data'],
  [/\bmkfs(\.\w+)?\b|\bdd\s+[^|;&]*\bof=\/dev\//, 'writes a filesystem or a raw device'],
  [/\b(shutdown|reboot|halt|poweroff)\b/, 'stops or restarts the machine'],
  [/\bkill(all)?\s+(-9|-KILL|-s\s+KILL)\b/, 'kills processes without letting them clean up'],
  [/\bdocker\s+(system\s+prune|rm\s+-f|volume\s+rm)\b/, 'removes Docker containers or data'],
  [/\bkubectl\s+delete\b/, 'deletes Kubernetes resources'],
  [/>\s*\/dev\/sd[a-z]/, 'overwrites a disk device'],
  [/:\(\)\s*\{\s*:\|:&\s*\};:/, 'fork bomb'],
];

/** Flags text that destroys data or stops services, so the UI asks before sending it. Simple on purpose. */
export function flagCommand(text: string): CommandFlag {
  const reasons = dangerousPatterns.filter(([pattern]) => pattern.test(text)).map(([, reason]) => reason);
  return { dangerous: reasons.length > 0, reasons };
}

/** Only https links are opened, and only after the operator confirmed. */
export function isOpenableLink(url: string): boolean {
  // No URL class here (src/shared has neither DOM nor Node): a host, an optional port, then a path; no user:password@.
  return url.length <= 4096 && /^https:\/\/[a-z0-9.-]+(:\d{1,5})?([/?#][^\s]*)?$/i.test(url);
}
