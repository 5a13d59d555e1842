import {
  profileTabsSchema,
  workbenchSessionSchema,
  type ProfileTabs,
  type WorkbenchSession,
} from '../../shared/contract';
import type { Db } from '../store/database';

const appScope = '';

/**
 * The workbench session in SQLite: one row per profile (its tabs) and one for the app (the open
 * runbook, the selected profile). A row that no longer parses is skipped, never fatal: a damaged
 * session must not keep the app from starting.
 */
export class WorkbenchSessionRepository {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      all: db.prepare<[], { scope: string; state: string }>('SELECT scope, state FROM workbench_session'),
      clear: db.prepare('DELETE FROM workbench_session'),
      put: db.prepare('INSERT INTO workbench_session (scope, state, updated_at) VALUES (?, ?, ?)'),
    };
  }

  load(profileIds: Set<string>): WorkbenchSession {
    const session: WorkbenchSession = { profiles: {} };
    for (const row of this.statements.all.all()) {
      const value = parseJson(row.state);
      if (row.scope === appScope) {
        const app = workbenchSessionSchema.pick({ runbookPath: true, selectedProfileId: true }).safeParse(value);
        if (app.success) Object.assign(session, app.data);
        continue;
      }
      const tabs = profileTabsSchema.safeParse(value);
      if (tabs.success && profileIds.has(row.scope)) session.profiles[row.scope] = tabs.data;
    }
    if (session.selectedProfileId && !profileIds.has(session.selectedProfileId)) delete session.selectedProfileId;
    return session;
  }

  /** Replaces the whole session in one transaction. */
  save(session: WorkbenchSession, mask: (tabs: ProfileTabs) => ProfileTabs): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.statements.clear.run();
      const { profiles, ...app } = session;
      this.statements.put.run(appScope, JSON.stringify(app), at);
      for (const [profileId, tabs] of Object.entries(profiles))
        this.statements.put.run(profileId, JSON.stringify(mask(tabs)), at);
    })();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
