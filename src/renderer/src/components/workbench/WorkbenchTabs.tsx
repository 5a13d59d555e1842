import type { WorkbenchTab } from '../../../../shared/contract';
import { useApp } from '../../store';
import { tabsOf } from '../../store/workbench-slice';
import { RedisBrowser } from '../redis-browser/RedisBrowser';
import { RedisConsole } from '../sql/RedisConsole';
import { SqlConsole } from '../sql/SqlConsole';
import '../redis-browser/redis-browser.css';

function TabBody({ profileId, tab }: { profileId: string; tab: WorkbenchTab }) {
  if (tab.kind === 'sql') return <SqlConsole profileId={profileId} />;
  if (tab.kind === 'redis') return <RedisConsole profileId={profileId} />;
  return <RedisBrowser profileId={profileId} />;
}

/**
 * Several SQL, Redis and key-browser tabs per profile. The bodies are the consoles themselves;
 * the tab strip only chooses which one is shown (see workbench-slice for how panes follow tabs).
 */
export function WorkbenchTabs({ profileId }: { profileId: string }) {
  // Selectors return stored references only (a fresh object per call would re-render forever).
  const saved = useApp((s) => s.workbenchTabs[profileId]);
  const profile = useApp((s) => s.profiles.find((p) => p.id === profileId));
  const tabs = saved?.tabs.length ? saved : tabsOf(useApp.getState(), profileId);
  const { workbenchTabAdded, workbenchTabChosen, workbenchTabClosed } = useApp.getState();
  const active = tabs.tabs.find((t) => t.id === tabs.active) ?? tabs.tabs[0];
  if (!active) return <p className="empty">This profile has no Postgres or Redis settings. Edit it to add them.</p>;
  return (
    <section className="workbench" aria-label="Workbench">
      <div className="workbench-tabs" role="toolbar" aria-label="Tabs" data-testid="workbench-tabs">
        {tabs.tabs.map((tab) => (
          <span key={tab.id} className="tab-wrap">
            <button
              type="button"
              aria-pressed={tab.id === active.id}
              className={`tab${tab.id === active.id ? ' active' : ''}`}
              onClick={() => workbenchTabChosen(profileId, tab.id)}
              data-testid="workbench-tab"
              data-tab={tab.id}
            >
              {tab.title}
            </button>
            {tabs.tabs.length > 1 && (
              <button
                type="button"
                className="tab-close"
                aria-label={`Close ${tab.title}`}
                onClick={() => workbenchTabClosed(profileId, tab.id)}
                data-testid="workbench-tab-close"
              >
                ×
              </button>
            )}
          </span>
        ))}
        {profile?.postgres && (
          <button type="button" onClick={() => workbenchTabAdded(profileId, 'sql')} data-testid="workbench-add-sql">
            + SQL
          </button>
        )}
        {profile?.redis && (
          <button type="button" onClick={() => workbenchTabAdded(profileId, 'redis')} data-testid="workbench-add-redis">
            + Redis
          </button>
        )}
        {profile?.redis && (
          <button
            type="button"
            onClick={() => workbenchTabAdded(profileId, 'browser')}
            data-testid="workbench-add-browser"
          >
            + Keys
          </button>
        )}
      </div>
      <TabBody profileId={profileId} tab={active} />
    </section>
  );
}
