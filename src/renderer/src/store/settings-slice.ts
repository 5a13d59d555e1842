import type { StateCreator } from 'zustand';
import { defaultSettings } from '../../../shared/settings-defaults';
import type { AppState } from './app-state';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar, request } from './request';
import type { SettingsSlice } from './state/settings';
import { transport } from './transport-ref';

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: defaultSettings,
  knownHosts: [],
  async settingsRequested() {
    const settings = await request(noticeBar(get), 'settings.get', {});
    if (settings) set({ settings });
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
    const knownHosts = await request(noticeBar(get), 'knownHosts.list', {});
    if (knownHosts) set({ knownHosts });
  },
  async knownHostRemoved(host, port, keyType) {
    await attempt(noticeBar(get), async () => {
      await transport().invoke('knownHosts.remove', { host, port, keyType });
      await get().knownHostsRequested();
      get().noticeShown({
        kind: 'info',
        message: `Forgot the ${keyType} key of ${host}:${port}: the next connection will ask again.`,
      });
    });
  },
});
