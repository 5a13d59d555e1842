import type { AppInfo, Handlers } from '../../shared/contract';
import type { Logger } from '../logging/logger';
import type { Vault } from '../vault/vault';
import type { SettingsRepository } from './settings-repository';

type SettingsHandlers = Pick<Handlers, 'app.info' | 'app.chooseSavePath' | 'settings.get' | 'settings.update'>;

interface SettingsHandlerDeps {
  settings: SettingsRepository;
  logger: Pick<Logger, 'file' | 'setLevel'>;
  vault: Pick<Vault, 'protection'>;
  /** What app.info reports besides the settings (the build's version, the data folder). */
  about: Pick<AppInfo, 'version' | 'dataDir' | 'nativeDialogs' | 'fileWarnings'>;
  /** Who is recorded as acting: the name set in Settings, else the OS user. */
  operator(): string;
  chooseSavePath: Handlers['app.chooseSavePath'];
  /** The runbook library checks its folders (a domain above this one): a bad folder is refused before it is saved. */
  checkRunbookFolders(folders: string[] | undefined): void;
}

/** app.* and settings.*: what the app is, and the operator's settings. */
export function settingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers {
  const { settings, logger } = deps;
  return {
    'app.info': async () => ({
      version: deps.about.version,
      vaultProtection: deps.vault.protection,
      dataDir: deps.about.dataDir,
      operator: deps.operator(),
      logFile: logger.file,
      nativeDialogs: deps.about.nativeDialogs,
      fileWarnings: deps.about.fileWarnings,
    }),
    'app.chooseSavePath': deps.chooseSavePath,
    'settings.get': async () => settings.get(),
    'settings.update': async ({ patch }) => {
      deps.checkRunbookFolders(patch.runbookFolders);
      const updated = settings.update(patch);
      logger.setLevel(updated.logLevel);
      return updated;
    },
  };
}
