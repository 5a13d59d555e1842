import type { Handlers, ProfileTabs } from '../../shared/contract';
import type { Redactor } from '../redaction';
import type { Db } from '../store/database';
import { WorkbenchSessionRepository } from './session-repository';

type WorkbenchHandlers = Pick<Handlers, 'workbench.session' | 'workbench.saveSession'>;

/**
 * Unsaved editor text is kept in the store, which holds no plaintext secret: passwords the parser
 * finds in SQL (ALTER ROLE … PASSWORD), AUTH and friends in Redis lines, and every known secret
 * are masked before the text is written.
 */
function maskTabs(redactor: Pick<Redactor, 'sql' | 'text' | 'redisArgv'>, tabs: ProfileTabs): ProfileTabs {
  return {
    ...tabs,
    tabs: tabs.tabs.map((tab) => {
      if (tab.kind === 'sql') {
        let text: string;
        try {
          text = redactor.sql(tab.text);
        } catch {
          text = redactor.text(tab.text);
        }
        return { ...tab, text };
      }
      const argv = tab.text.split(/\s+/).filter(Boolean);
      const masked = redactor.redisArgv(argv);
      // Only when AUTH-like arguments were masked is the line rebuilt (it would lose its quoting otherwise).
      return { ...tab, text: masked.some((arg, i) => arg !== argv[i]) ? masked.join(' ') : redactor.text(tab.text) };
    }),
  };
}

export function workbenchHandlers(
  db: Db,
  profileIds: () => string[],
  redactor: Pick<Redactor, 'sql' | 'text' | 'redisArgv'>,
): WorkbenchHandlers {
  const repository = new WorkbenchSessionRepository(db);
  return {
    'workbench.session': async () => repository.load(new Set(profileIds())),
    'workbench.saveSession': async ({ session }) => (
      repository.save(session, (tabs) => maskTabs(redactor, tabs)),
      { saved: true as const }
    ),
  };
}
