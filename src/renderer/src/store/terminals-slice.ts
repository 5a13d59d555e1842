import type { CastRef, SendRequest, TerminalPrefs, TerminalsSlice } from './state/terminals';
import type { StateCreator } from 'zustand';
import { flowControl, type TerminalDataEvent, type TerminalInfo } from '../../../shared/terminal';
import { noticeFrom } from './notice-slice';
import { transport } from './transport-ref';
import { terminalOutputTapped } from './terminal-step-capture';
import type { AppState } from './app-state';

export function castKey(ref: CastRef): string {
  return 'castId' in ref ? ref.castId : `attachment:${ref.attachmentId}`;
}

type OutputListener = (data: string) => void;

/**
 * Terminal output does not go through the store (it arrives every few milliseconds): the store's
 * action hands it to the xterm of that terminal, or keeps it until that xterm is mounted.
 */
class OutputRouter {
  readonly #listeners = new Map<string, OutputListener>();
  readonly #early = new Map<string, string[]>();

  publish(event: TerminalDataEvent): void {
    const listener = this.#listeners.get(event.terminalId);
    if (listener) listener(event.data);
    else this.#early.set(event.terminalId, [...(this.#early.get(event.terminalId) ?? []), event.data]);
  }

  /** Attaches a terminal's xterm; what arrived before it is delivered first. */
  attach(terminalId: string, listener: OutputListener): () => void {
    this.#listeners.set(terminalId, listener);
    for (const data of this.#early.get(terminalId) ?? []) listener(data);
    this.#early.delete(terminalId);
    return () => {
      if (this.#listeners.get(terminalId) === listener) this.#listeners.delete(terminalId);
    };
  }

  forget(terminalId: string): void {
    this.#listeners.delete(terminalId);
    this.#early.delete(terminalId);
  }
}

export const terminalOutput = new OutputRouter();

const prefsKey = 'opsconsole.terminalPrefs';
const defaultPrefs: TerminalPrefs = { fontSize: 13, scrollback: 5000, gpu: true };

function loadPrefs(): TerminalPrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(prefsKey) ?? '{}') as Partial<TerminalPrefs>;
    return clampPrefs({ ...defaultPrefs, ...stored });
  } catch {
    return defaultPrefs;
  }
}

function clampPrefs(prefs: TerminalPrefs): TerminalPrefs {
  const fontSize = Number.isFinite(prefs.fontSize)
    ? Math.min(32, Math.max(8, Math.round(prefs.fontSize)))
    : defaultPrefs.fontSize;
  const scrollback = Number.isFinite(prefs.scrollback)
    ? Math.min(100_000, Math.max(100, Math.round(prefs.scrollback)))
    : defaultPrefs.scrollback;
  return { fontSize, scrollback, gpu: prefs.gpu !== false };
}

export const createTerminalsSlice: StateCreator<AppState, [], [], TerminalsSlice> = (set, get) => {
  const unacked = new Map<string, number>();
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const fail = (error: unknown) => get().noticeShown(noticeFrom(error));
  const upsert = (info: TerminalInfo) =>
    set((s) => ({
      terminals: { ...s.terminals, [info.terminalId]: info },
      terminalOrder: s.terminalOrder.includes(info.terminalId)
        ? s.terminalOrder
        : [...s.terminalOrder, info.terminalId],
    }));
  const ack = (terminalId: string) => {
    clearTimeout(ackTimers.get(terminalId));
    ackTimers.delete(terminalId);
    const chars = unacked.get(terminalId) ?? 0;
    if (chars === 0) return;
    unacked.set(terminalId, 0);
    transport()
      .invoke('terminals.ack', { terminalId, chars })
      .catch(() => undefined); // a closed terminal needs no ack
  };
  const send = async (request: SendRequest, confirmed: boolean) => {
    const result = await transport().invoke('terminals.send', { ...request, confirmed });
    set({ activeTerminalId: request.terminalId });
    return result;
  };

  return {
    terminals: {},
    terminalOrder: [],
    activeTerminalId: undefined,
    terminalExits: {},
    terminalPrefs: loadPrefs(),
    pendingSend: undefined,
    pendingLink: undefined,
    recordings: [],
    casts: {},
    async terminalOpenRequested(input, size = { cols: 80, rows: 24 }) {
      try {
        const info = await transport().invoke('terminals.open', { ...input, ...size });
        upsert(info);
        set({ activeTerminalId: info.terminalId });
      } catch (error) {
        fail(error);
      }
    },
    async terminalCloseRequested(terminalId) {
      try {
        await transport().invoke('terminals.close', { terminalId });
      } catch {
        // already gone on the core's side: drop the tab anyway
      }
      terminalOutput.forget(terminalId);
      unacked.delete(terminalId);
      set((s) => {
        const { [terminalId]: _closed, ...terminals } = s.terminals;
        const terminalOrder = s.terminalOrder.filter((id) => id !== terminalId);
        return {
          terminals,
          terminalOrder,
          activeTerminalId: s.activeTerminalId === terminalId ? terminalOrder.at(-1) : s.activeTerminalId,
        };
      });
    },
    async terminalReopenRequested(terminalId) {
      try {
        upsert(await transport().invoke('terminals.reopen', { terminalId }));
        set((s) => {
          const { [terminalId]: _gone, ...terminalExits } = s.terminalExits;
          return { terminalExits };
        });
      } catch (error) {
        fail(error);
      }
    },
    terminalActivated: (terminalId) => set({ activeTerminalId: terminalId }),
    terminalInputTyped(terminalId, data) {
      transport().invoke('terminals.write', { terminalId, data }).catch(fail);
    },
    terminalResized(terminalId, cols, rows) {
      const info = get().terminals[terminalId];
      if (info && info.cols === cols && info.rows === rows) return;
      if (info) upsert({ ...info, cols, rows });
      transport()
        .invoke('terminals.resize', { terminalId, cols, rows })
        .catch(() => undefined);
    },
    terminalOutputWritten(terminalId, chars) {
      const total = (unacked.get(terminalId) ?? 0) + chars;
      unacked.set(terminalId, total);
      if (total >= flowControl.ackEvery) ack(terminalId);
      else if (!ackTimers.has(terminalId))
        ackTimers.set(
          terminalId,
          setTimeout(() => ack(terminalId), 20),
        );
    },
    terminalOutputReceived: (event) => {
      terminalOutput.publish(event);
      terminalOutputTapped(event);
    },
    terminalStateChanged: (info) => {
      if (get().terminals[info.terminalId]) upsert(info);
    },
    terminalExited: (event) => set((s) => ({ terminalExits: { ...s.terminalExits, [event.terminalId]: event } })),
    terminalPrefsChanged(prefs) {
      const next = clampPrefs({ ...get().terminalPrefs, ...prefs });
      localStorage.setItem(prefsKey, JSON.stringify(next));
      set({ terminalPrefs: next });
    },
    async terminalSendRequested(partial) {
      const terminalId = partial.terminalId ?? get().activeTerminalId;
      if (!terminalId) {
        get().noticeShown({
          kind: 'error',
          message: 'No terminal is open: open one in the dock first, then send the command again.',
        });
        return undefined;
      }
      const request: SendRequest = {
        terminalId,
        command: partial.command,
        parameters: partial.parameters ?? [],
        run: partial.run ?? false,
        ...(partial.step ? { step: partial.step } : {}),
      };
      try {
        const flag = await transport().invoke('terminals.classify', { text: request.command });
        if (flag.dangerous) {
          set({ pendingSend: { ...request, flag } });
          return undefined;
        }
        return await send(request, false);
      } catch (error) {
        fail(error);
        return undefined;
      }
    },
    async terminalSendConfirmed() {
      const pending = get().pendingSend;
      set({ pendingSend: undefined });
      if (!pending) return;
      const { flag: _flag, ...request } = pending;
      await send(request, true).catch(fail);
    },
    terminalSendCancelled: () => set({ pendingSend: undefined }),
    terminalLinkClicked: (url) => set({ pendingLink: url }),
    async terminalLinkConfirmed() {
      const url = get().pendingLink;
      set({ pendingLink: undefined });
      if (url) await transport().invoke('terminals.openLink', { url }).catch(fail);
    },
    terminalLinkCancelled: () => set({ pendingLink: undefined }),
    async recordingsRequested(profileId) {
      try {
        set({ recordings: await transport().invoke('terminals.recordings', { profileId }) });
      } catch (error) {
        fail(error);
      }
    },
    async castRequested(ref) {
      try {
        const { cast } = await transport().invoke('terminals.recording', ref);
        set((s) => ({ casts: { ...s.casts, [castKey(ref)]: cast } }));
      } catch (error) {
        fail(error);
      }
    },
  };
};
