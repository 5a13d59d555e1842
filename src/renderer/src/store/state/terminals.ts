import type { SendResult } from '../../../../shared/contract';
import type {
  CastInfo,
  CommandFlag,
  TerminalDataEvent,
  TerminalExitEvent,
  TerminalInfo,
} from '../../../../shared/terminal';

export interface TerminalPrefs {
  fontSize: number;
  scrollback: number;
  /** WebGL rendering where the GPU allows it; off: xterm's DOM renderer (slower, always works). */
  gpu: boolean;
}

export interface SendRequest {
  terminalId: string;
  command: string;
  /** `placeholders`: the other forms the parameter is written in ([X], REPLACE_ME, ${X:-100}), filled like {{name}}. */
  parameters: { name: string; value: string; secret: boolean; placeholders?: string[] }[];
  run: boolean;
  /** The runbook step it comes from (named in refusals; its fence may allow control bytes). */
  step?: { id: string; title?: string; controlBytes?: string };
}

/** A send waiting for the operator's confirmation (the command looks dangerous). */
export interface PendingSend extends SendRequest {
  flag: CommandFlag;
}

export interface TerminalsSlice {
  terminals: Record<string, TerminalInfo>;
  terminalOrder: string[];
  activeTerminalId?: string;
  terminalExits: Record<string, TerminalExitEvent>;
  terminalPrefs: TerminalPrefs;
  pendingSend?: PendingSend;
  /** A link clicked in a terminal, waiting for the operator's confirmation. */
  pendingLink?: string;
  recordings: CastInfo[];
  /** Cast texts loaded for the player, by castKey(). */
  casts: Record<string, string>;
  terminalOpenRequested(
    input: { kind: 'remote'; profileId: string } | { kind: 'local' },
    size?: { cols: number; rows: number },
  ): Promise<void>;
  terminalCloseRequested(terminalId: string): Promise<void>;
  terminalReopenRequested(terminalId: string): Promise<void>;
  /** At start: the terminals still open in the core (the window reloaded) come back as tabs, their screens drawn again. */
  terminalsRestored(): Promise<void>;
  terminalActivated(terminalId: string): void;
  terminalInputTyped(terminalId: string, data: string): void;
  terminalResized(terminalId: string, cols: number, rows: number): void;
  /** xterm finished writing `chars` characters: acknowledged in batches (flow control). */
  terminalOutputWritten(terminalId: string, chars: number): void;
  terminalOutputReceived(event: TerminalDataEvent): void;
  terminalStateChanged(info: TerminalInfo): void;
  terminalExited(event: TerminalExitEvent): void;
  terminalPrefsChanged(prefs: Partial<TerminalPrefs>): void;
  terminalSendRequested(
    request: Omit<SendRequest, 'terminalId' | 'parameters' | 'run'> & Partial<SendRequest>,
  ): Promise<SendResult | undefined>;
  terminalSendConfirmed(): Promise<void>;
  terminalSendCancelled(): void;
  terminalLinkClicked(url: string): void;
  terminalLinkConfirmed(): Promise<void>;
  terminalLinkCancelled(): void;
  recordingsRequested(profileId?: string): Promise<void>;
  castRequested(ref: CastRef): Promise<void>;
}

/** A recording named by its cast id, or by the attachment a `terminal.recording` incident event names. */
export type CastRef = { castId: string } | { attachmentId: string };
