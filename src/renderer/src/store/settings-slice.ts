import type { SettingsSlice } from './state/settings';
import type { StateCreator } from 'zustand';
import { defaultSettings } from '../../../shared/settings-defaults';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './app-state';

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: defaultSettings,
  knownHosts: [],
  async settingsRequested() {
    try {
      set({ settings: await transport().invoke('settings.get', {}) });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  async settingsSubmitted(patch) {
    try {
      set({ settings: await transport().invoke('settings.update', { patch }) });
      return undefined;
    } catch (error) {
      return noticeFrom(error).message;
    }
  },
  async themeToggled() {
    const error = await get().settingsSubmitted({ theme: get().settings.theme === 'dark' ? 'light' : 'dark' });
    if (error) get().noticeShown({ kind: 'error', message: error });
  },
  async knownHostsRequested() {
    try {
      set({ knownHosts: await transport().invoke('knownHosts.list', {}) });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
  async knownHostRemoved(host, port, keyType) {
    try {
      await transport().invoke('knownHosts.remove', { host, port, keyType });
      await get().knownHostsRequested();
      get().noticeShown({
        kind: 'info',
        message: `Forgot the ${keyType} key of ${host}:${port}: the next connection will ask again.`,
      });
    } catch (error) {
      get().noticeShown(noticeFrom(error));
    }
  },
});
