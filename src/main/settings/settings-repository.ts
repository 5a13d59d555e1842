import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import type { Db } from '../store/database';

/** Operator settings in SQLite; unknown or invalid stored values fall back to their defaults. */
export class SettingsRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      all: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings'),
      put: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  get(): Settings {
    const stored: Record<string, unknown> = {};
    for (const row of this.statements.all.all()) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // a damaged value: its default applies
      }
    }
    const settings = { ...defaultSettings };
    for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
      const parsed = settingsSchema.shape[key].safeParse(stored[key]);
      if (parsed.success && stored[key] !== undefined) (settings as Record<string, unknown>)[key] = parsed.data;
    }
    return settings;
  }

  /** Applies an already validated patch in one transaction and returns the new settings. */
  update(patch: SettingsPatch): Settings {
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) this.statements.put.run(key, JSON.stringify(value));
      }
    })();
    return this.get();
  }
}
