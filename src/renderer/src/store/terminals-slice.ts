import type { CastRef, SendRequest, TerminalsSlice } from './state/terminals';
import type { StateCreator } from 'zustand';
import { flowControl, type TerminalInfo } from '../../../shared/terminal';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar, request } from './request';
import { transport } from './transport-ref';
import { terminalOutput } from './terminal-output';
import { clampTerminalPrefs, loadTerminalPrefs, saveTerminalPrefs } from './terminal-prefs';
import { terminalOutputTapped } from './terminal-step-capture';
import type { AppState } from './app-state';

export function castKey(ref: CastRef): string {
  return 'castId' in ref ? ref.castId : `attachment:${ref.attachmentId}`;
}

export const createTerminalsSlice: StateCreator<AppState, [], [], TerminalsSlice> = (set, get) => {
  const unacked = new Map<string, number>();
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const show = noticeBar(get);
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
    terminalPrefs: loadTerminalPrefs(),
    pendingSend: undefined,
    pendingLink: undefined,
    recordings: [],
    casts: {},
    async terminalOpenRequested(input, size = { cols: 80, rows: 24 }) {
      await attempt(show, async () => {
        const info = await transport().invoke('terminals.open', { ...input, ...size });
        upsert(info);
        set({ activeTerminalId: info.terminalId });
      });
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
        show(noticeFrom(error));
      }
    },
    async terminalsRestored() {
      await attempt(show, async () => {
        for (const listed of await transport().invoke('terminals.list', {})) {
          if (get().terminals[listed.terminalId]) continue;
          // One closed meanwhile is skipped; the others still come back.
          const taken = await transport()
            .invoke('terminals.attach', { terminalId: listed.terminalId })
            .catch(() => undefined);
          if (!taken) continue;
          terminalOutput.replay(taken.info.terminalId, taken.screen, taken.through);
          upsert(taken.info);
        }
        if (get().terminalOrder.length === 0) return;
        // The shells kept running: they are shown, not left open out of sight.
        if (!get().activeTerminalId) set({ activeTerminalId: get().terminalOrder.at(-1) });
        get().dockToggled(true);
      });
    },
    terminalActivated: (terminalId) => set({ activeTerminalId: terminalId }),
    terminalInputTyped(terminalId, data) {
      void request(show, 'terminals.write', { terminalId, data });
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
      const next = clampTerminalPrefs({ ...get().terminalPrefs, ...prefs });
      saveTerminalPrefs(next);
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
        // Judged as it will be sent: its values filled for this terminal's shell.
        const flag = await transport().invoke('terminals.classify', {
          text: request.command,
          terminalId,
          ...(request.parameters.length ? { parameters: request.parameters } : {}),
        });
        if (flag.dangerous) {
          set({ pendingSend: { ...request, flag } });
          return undefined;
        }
        return await send(request, false);
      } catch (error) {
        show(noticeFrom(error));
        return undefined;
      }
    },
    async terminalSendConfirmed() {
      const pending = get().pendingSend;
      set({ pendingSend: undefined });
      if (!pending) return;
      const { flag: _flag, ...request } = pending;
      await attempt(show, () => send(request, true));
    },
    terminalSendCancelled: () => set({ pendingSend: undefined }),
    terminalLinkClicked: (url) => set({ pendingLink: url }),
    async terminalLinkConfirmed() {
      const url = get().pendingLink;
      set({ pendingLink: undefined });
      if (url) await request(show, 'terminals.openLink', { url });
    },
    terminalLinkCancelled: () => set({ pendingLink: undefined }),
    async recordingsRequested(profileId) {
      await attempt(show, async () => {
        set({ recordings: await transport().invoke('terminals.recordings', { profileId }) });
      });
    },
    async castRequested(ref) {
      await attempt(show, async () => {
        const { cast } = await transport().invoke('terminals.recording', ref);
        set((s) => ({ casts: { ...s.casts, [castKey(ref)]: cast } }));
      });
    },
  };
};
