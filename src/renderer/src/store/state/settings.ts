import type { TrustedHostKeyView } from '../../../../shared/contract';
import type { Settings, SettingsPatch } from '../../../../shared/settings';

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
