import { platform } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Client } from 'ssh2';
import type { SendResult, SessionStateEvent } from '../../shared/contract';
import {
  flagCommand,
  flowControl,
  type CastInfo,
  type CommandFlag,
  type TerminalInfo,
  type TerminalKind,
  type TerminalState,
} from '../../shared/terminal';
import type { ShellDialect } from '../../shared/shell-quote';
import { OpsError } from '../errors';
import { CastRecorder } from './cast-recorder';
import { CastStore } from './cast-store';
import { OutputPump, type PumpStats } from './output-pump';
import {
  bracketedPasteSwitch,
  fillParameters,
  pasteBytes,
  refuseControlBytes,
  secretForms,
  type SendParameter,
} from './send-command';
import { openLocalShell, openRemoteShell, type ShellExit, type ShellSource } from './shell-source';

/** The part of the SessionManager terminals ride on. */
export interface TerminalSessions {
  connect(profileId: string): Promise<Client>;
  /** Per-connection teardown: called when the connection is lost or the session closed. */
  attach(profileId: string, dispose: () => void): () => void;
  state(profileId: string): SessionStateEvent | undefined;
}

export interface TerminalEvents {
  onTerminalData(terminalId: string, data: string, at: number): void;
  onTerminalExit(terminalId: string, exit: ShellExit): void;
  onTerminalState(info: TerminalInfo): void;
}

export interface TerminalRegistryDeps {
  sessions: TerminalSessions;
  dataDir: string;
  events: TerminalEvents;
  /** Scrubs the vault's secrets from recorded text. */
  redact(text: string): string;
  /** Secret parameter values sent to a shell: masked by the one redactor everywhere from now on. */
  rememberSecrets?(values: string[]): void;
  /** The tab title of a remote terminal: the profile's name. */
  profileName(profileId: string): string;
  /** A recording finished: the incident recorder attaches it and says where. */
  onRecordingSaved?(
    info: CastInfo,
    castPath: string,
  ): Promise<{ incidentId: string; attachmentId: string } | undefined>;
  /**
   * The runbook judge (an allowlist on the real shell grammar): a text it does not call a read
   * asks first, as flagCommand's patterns do; absent, only the patterns decide.
   */
  judge?(text: string, dialect: ShellDialect): { risk: string; reasons: string[] };
  /** Opens an https link in the system browser (Electron's shell.openExternal); absent in the browser host. */
  openExternal?(url: string): Promise<void>;
  now?: () => Date;
  /** Output recorded per shell at most (64 MB by default). */
  castLimitBytes?: number;
  flow?: ConstructorParameters<typeof OutputPump>[2];
}

interface Terminal {
  info: TerminalInfo;
  source?: ShellSource;
  pump?: OutputPump;
  recorder?: CastRecorder;
  cast?: CastInfo;
  bracketedPaste: boolean;
  detach?: () => void;
  /** Characters of output sent so far, across reopens (each chunk's `at`). */
  sent: number;
}

/**
 * Every open terminal, keyed by id: remote shells on a profile's SSH session and local shells.
 * A remote terminal whose session drops becomes `lost`, then `reopenable` when the session is
 * back; it ends with its session. Each shell is recorded as asciicast v2.
 */
/**
 * The judge reads POSIX shell: PowerShell parses `a\; Remove-Item …` and ‘ ’ quotes its own way,
 * so text for a PowerShell terminal is unknown (asks first) until there is a PowerShell judge.
 * Only blank text (an Enter) is sent without asking. undefined for a POSIX terminal.
 */
export function unjudgedDialect(text: string, dialect: ShellDialect): { risk: string; reasons: string[] } | undefined {
  if (dialect === 'posix' || text.trim() === '') return undefined;
  return {
    risk: 'unknown',
    reasons: [`the console judges POSIX shell only: it cannot tell what this ${dialect} text runs`],
  };
}

export class TerminalRegistry {
  readonly #terminals = new Map<string, Terminal>();
  readonly casts: CastStore;
  readonly #now: () => Date;

  constructor(private readonly deps: TerminalRegistryDeps) {
    this.casts = new CastStore(deps.dataDir);
    this.#now = deps.now ?? (() => new Date());
  }

  async open(input: {
    kind: TerminalKind;
    profileId?: string;
    cols: number;
    rows: number;
    title?: string;
  }): Promise<TerminalInfo> {
    const title = input.title ?? (input.kind === 'remote' ? this.deps.profileName(input.profileId!) : 'local');
    const terminal: Terminal = {
      // A local terminal on Windows runs PowerShell (shell-source.ts); every other shell is POSIX.
      info: {
        terminalId: randomUUID(),
        kind: input.kind,
        profileId: input.profileId,
        title,
        cols: input.cols,
        rows: input.rows,
        state: 'running',
        castId: '',
        startedAt: '',
        dialect: input.kind === 'local' && platform() === 'win32' ? 'powershell' : 'posix',
      },
      bracketedPaste: false,
      sent: 0,
    };
    await this.start(terminal);
    this.#terminals.set(terminal.info.terminalId, terminal);
    return { ...terminal.info };
  }

  async reopen(terminalId: string, size: { cols?: number; rows?: number } = {}): Promise<TerminalInfo> {
    const terminal = this.get(terminalId);
    if (terminal.info.state === 'running')
      throw new OpsError(
        'conflict',
        `Terminal "${terminal.info.title}" is still running: close it first or keep using it.`,
      );
    terminal.info.cols = size.cols ?? terminal.info.cols;
    terminal.info.rows = size.rows ?? terminal.info.rows;
    await this.start(terminal);
    this.setState(terminal, 'running', 'Reopened');
    return { ...terminal.info };
  }

  /** A window that (re)loaded shows the terminal again: its info and its recent output (see OutputPump.takeOver). */
  takeOver(terminalId: string): { info: TerminalInfo; screen: string; through: number } {
    const terminal = this.get(terminalId);
    const screen = terminal.pump?.takeOver() ?? '';
    return { info: { ...terminal.info }, screen, through: terminal.sent };
  }

  write(terminalId: string, data: string): number {
    const terminal = this.running(terminalId);
    terminal.source!.write(data);
    terminal.recorder!.input(data);
    return data.length;
  }

  resize(terminalId: string, cols: number, rows: number): void {
    const terminal = this.get(terminalId);
    terminal.info.cols = cols;
    terminal.info.rows = rows;
    if (terminal.info.state !== 'running') return;
    terminal.source!.resize(cols, rows);
    terminal.recorder!.resize(cols, rows);
  }

  ack(terminalId: string, chars: number): number {
    return this.get(terminalId).pump?.ack(chars) ?? 0;
  }

  /**
   * Whether a text asks first before it is sent: filled with its parameters as `send` would fill
   * them for that terminal, when given.
   */
  classify(input: { text: string; terminalId?: string; parameters?: SendParameter[] }): CommandFlag {
    const terminal = input.terminalId ? this.#terminals.get(input.terminalId) : undefined;
    const dialect = terminal?.info.dialect ?? 'posix';
    const parameters = input.parameters ?? [];
    const text = parameters.length ? fillParameters(input.text, parameters, dialect) : input.text;
    return this.flagOf(text, parameters, dialect);
  }

  /**
   * flagCommand's patterns, and every command the judge does not call a read. The reasons quote
   * the filled text: secret values are learnt by the redactor first and masked in them.
   */
  private flagOf(text: string, parameters: SendParameter[], dialect: ShellDialect): CommandFlag {
    const flag = flagCommand(text);
    const judged = unjudgedDialect(text, dialect) ?? this.deps.judge?.(text, dialect);
    if (!judged || judged.risk === 'read') return flag;
    this.deps.rememberSecrets?.(secretForms(parameters, dialect));
    const reasons = (judged.reasons.length > 0 ? judged.reasons : [`judged ${judged.risk}`]).map((r) =>
      this.deps.redact(r),
    );
    return { dangerous: true, reasons: [...new Set([...flag.reasons, ...reasons])] };
  }

  /** Pastes a command with its parameters filled; Enter only when `run`; dangerous text needs `confirmed`. */
  send(
    terminalId: string,
    input: {
      command: string;
      parameters: SendParameter[];
      run: boolean;
      confirmed: boolean;
      step?: { id: string; title?: string; controlBytes?: string };
    },
  ): SendResult {
    const terminal = this.running(terminalId);
    const dialect = terminal.info.dialect ?? 'posix';
    const text = fillParameters(refuseControlBytes(input), input.parameters, dialect);
    const flag = this.flagOf(text, input.parameters, dialect);
    if (flag.dangerous && !input.confirmed) {
      throw new OpsError(
        'refused',
        `Not sent: this command is not a plain read (${flag.reasons.join('; ')}). Confirm it in the dialog to send it anyway.`,
      );
    }
    const recorder = terminal.recorder!;
    const secrets = secretForms(input.parameters, dialect);
    recorder.addSecrets(secrets);
    this.deps.rememberSecrets?.(secrets);
    const bytes = pasteBytes(text, { bracketedPaste: terminal.bracketedPaste, run: input.run });
    terminal.source!.write(bytes);
    recorder.inputMasked(recorder.mask(bytes));
    return { sent: recorder.mask(text), ran: input.run, flag };
  }

  async close(terminalId: string): Promise<void> {
    const terminal = this.get(terminalId);
    this.#terminals.delete(terminalId);
    await this.stop(terminal, { exitCode: null, signal: null, reason: 'Closed by the operator' }, 'exited');
  }

  /** What quitting now would end: each shell still running (its recording is kept). */
  openWork(): string[] {
    return [...this.#terminals.values()]
      .filter((t) => t.info.state === 'running')
      .map((t) => (t.info.kind === 'remote' ? `a shell open on ${t.info.title}` : `a local shell (${t.info.title})`));
  }

  list(): TerminalInfo[] {
    return [...this.#terminals.values()].map((t) => ({ ...t.info }));
  }

  recordings(profileId?: string): CastInfo[] {
    const active = new Map(
      [...this.#terminals.values()].filter((t) => t.cast && t.info.state === 'running').map((t) => [t.cast!.castId, t]),
    );
    return this.casts
      .list()
      .filter((c) => !profileId || c.profileId === profileId)
      .map((c) => {
        const live = active.get(c.castId)?.recorder;
        return live ? { ...c, durationMs: live.durationMs, bytes: live.bytes, truncated: live.truncated } : c;
      });
  }

  async openLink(url: string): Promise<void> {
    if (!this.deps.openExternal)
      throw new OpsError(
        'refused',
        'Links open in the system browser only in the desktop app: copy the link and open it yourself.',
      );
    // electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — the contract accepts https URLs without credentials only, and the renderer asked the operator first.
    await this.deps.openExternal(url);
  }

  /** Flow-control figures of one terminal (tests and diagnostics). */
  stats(terminalId: string): PumpStats & { sourceBuffered: number } {
    const terminal = this.get(terminalId);
    return {
      ...(terminal.pump?.stats() ?? { unacked: 0, pending: 0, paused: false, peakBuffered: 0, totalChars: 0 }),
      sourceBuffered: terminal.source?.buffered() ?? 0,
    };
  }

  /** Follows the SSH sessions: a lost terminal becomes reopenable once its session is ready again. */
  sessionStateChanged(event: SessionStateEvent): void {
    if (event.state !== 'ready') return;
    for (const terminal of this.#terminals.values()) {
      if (terminal.info.profileId === event.profileId && terminal.info.state === 'lost') {
        this.setState(terminal, 'reopenable', 'The SSH session is back: reopen the shell to continue.');
      }
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.#terminals.values()];
    this.#terminals.clear();
    await Promise.all(
      all.map((t) => this.stop(t, { exitCode: null, signal: null, reason: 'The app is closing' }, 'exited')),
    );
  }

  private async start(terminal: Terminal): Promise<void> {
    const { info } = terminal;
    let source: ShellSource;
    if (info.kind === 'remote') {
      const client = await this.deps.sessions.connect(info.profileId!);
      source = await openRemoteShell(client, info.cols, info.rows);
      terminal.detach = this.deps.sessions.attach(info.profileId!, () => this.connectionGone(terminal, source));
    } else {
      source = await openLocalShell(info.cols, info.rows);
    }
    const startedAt = this.#now().toISOString();
    info.castId = randomUUID();
    info.startedAt = startedAt;
    terminal.cast = {
      castId: info.castId,
      terminalId: info.terminalId,
      kind: info.kind,
      profileId: info.profileId,
      title: info.title,
      startedAt,
      durationMs: 0,
      bytes: 0,
      truncated: false,
    };
    terminal.recorder = new CastRecorder({
      path: this.casts.pathOf(info.castId),
      header: {
        version: 2,
        width: info.cols,
        height: info.rows,
        timestamp: Math.floor(Date.parse(startedAt) / 1000),
        title: info.title,
        env: { TERM: 'xterm-256color' },
      },
      redact: (text) => this.deps.redact(text),
      limitBytes: this.deps.castLimitBytes ?? 64 * 1024 * 1024,
    });
    this.casts.describe(terminal.cast);
    terminal.source = source;
    terminal.bracketedPaste = false;
    const recorder = terminal.recorder;
    // A shell behind a pty sends many tiny chunks: everything per chunk happens per batch instead.
    const pump = new OutputPump(
      source,
      (data) => {
        terminal.bracketedPaste = bracketedPasteSwitch(data) ?? terminal.bracketedPaste;
        recorder.output(data);
        const at = terminal.sent;
        terminal.sent += data.length;
        this.deps.events.onTerminalData(info.terminalId, data, at);
      },
      this.deps.flow ?? flowControl,
    );
    terminal.pump = pump;
    source.onData((text) => pump.push(text));
    source.onExit((exit) => {
      if (terminal.source === source) void this.stop(terminal, exit, 'exited');
    });
  }

  /** The SSH connection under a remote shell went away: closed for good, or lost until a reconnect. */
  private connectionGone(terminal: Terminal, source: ShellSource): void {
    if (terminal.source !== source) return;
    const state = this.deps.sessions.state(terminal.info.profileId!)?.state;
    if (state === undefined || state === 'closed') {
      this.#terminals.delete(terminal.info.terminalId);
      void this.stop(terminal, { exitCode: null, signal: null, reason: 'The SSH session was closed' }, 'exited');
    } else {
      void this.stop(
        terminal,
        {
          exitCode: null,
          signal: null,
          reason: 'The SSH session was lost; the terminal can be reopened once it reconnects.',
        },
        'lost',
      );
    }
  }

  private async stop(terminal: Terminal, exit: ShellExit, state: TerminalState): Promise<void> {
    const { source, pump, recorder, cast } = terminal;
    if (!source) return;
    terminal.source = undefined;
    terminal.detach?.();
    terminal.detach = undefined;
    pump?.close();
    source.close();
    this.deps.events.onTerminalExit(terminal.info.terminalId, exit);
    this.setState(terminal, state, exit.reason);
    if (!recorder || !cast) return;
    await recorder.close();
    const saved: CastInfo = {
      ...cast,
      endedAt: this.#now().toISOString(),
      durationMs: recorder.durationMs,
      bytes: recorder.bytes,
      truncated: recorder.truncated,
    };
    this.casts.describe(saved);
    const attached = await this.deps.onRecordingSaved?.(saved, this.casts.pathOf(cast.castId));
    if (attached) this.casts.describe({ ...saved, ...attached });
  }

  private setState(terminal: Terminal, state: TerminalState, reason: string): void {
    terminal.info.state = state;
    terminal.info.reason = reason;
    this.deps.events.onTerminalState({ ...terminal.info });
  }

  private get(terminalId: string): Terminal {
    const terminal = this.#terminals.get(terminalId);
    if (!terminal) throw new OpsError('not_found', `No terminal ${terminalId}: it was closed. Open a new one.`);
    return terminal;
  }

  private running(terminalId: string): Terminal {
    const terminal = this.get(terminalId);
    if (terminal.info.state !== 'running' || !terminal.source) {
      throw new OpsError(
        'conflict',
        `Terminal "${terminal.info.title}" is ${terminal.info.state}: ${terminal.info.state === 'exited' ? 'open a new one' : 'reopen it once the session is back'}.`,
      );
    }
    return terminal;
  }
}
