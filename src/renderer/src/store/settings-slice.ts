import type { StateCreator } from 'zustand';
import type { TrustedHostKeyView } from '../../../shared/contract';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { defaultSettings } from '../../../shared/settings-defaults';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import type { AppState } from './index';

export interface SettingsSlice {
  settings: Settings;
  knownHosts: TrustedHostKeyView[];
  settingsRequested(): Promise<void>;
  /** Saves a change; resolves to an error message for the form, or undefined when saved. */
  settingsSubmitted(patch: SettingsPatch): Promise<string | undefined>;
  themeToggled(): Promise<void>;
  knownHostsRequested(): Promise<void>;
  knownHostRemoved(host: string, port: number, keyType: string): Promise<void>;
}

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
