import { z } from 'zod';
import { operation } from './define';
import { settingsPatchSchema, type Settings } from '../settings';

export const settingsOperations = {
  /** The operator's settings (defaults filled in). */
  'settings.get': operation<Settings>()(z.object({}).strict(), 'Read settings'),
  /** Changes some settings; each field is validated and the whole change is kept or refused. */
  'settings.update': operation<Settings>()(z.object({ patch: settingsPatchSchema }).strict(), 'Change settings'),
};
