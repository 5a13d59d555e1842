import type { WorkbenchSlice } from './state/workbench';
import type { StateCreator } from 'zustand';
import type { ProfileTabs, WorkbenchSession, WorkbenchTab } from '../../../shared/contract';
import { noticeFrom } from './notice-slice';
import { paneOf, redisPaneOf } from './sql-panes';
import type { RedisPane, SqlPane } from './state/sql';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

type Kind = WorkbenchTab['kind'];
const titles: Record<Kind, string> = { sql: 'SQL', redis: 'Redis', browser: 'Keys' };

/** Panes put aside while another tab of their kind is shown (never saved). */
const parked = new Map<string, SqlPane | RedisPane>();

/** The tabs of a profile: saved ones, or one per console the profile has. */
export function tabsOf(state: AppState, profileId: string): ProfileTabs {
  const saved = state.workbenchTabs[profileId];
  if (saved && saved.tabs.length) return saved;
  const profile = state.profiles.find((p) => p.id === profileId);
  const tabs: WorkbenchTab[] = [];
  if (profile?.postgres) tabs.push({ id: 'sql-1', kind: 'sql', title: 'SQL 1', text: paneOf(state, profileId).text });
  if (profile?.redis)
    tabs.push(
      { id: 'redis-1', kind: 'redis', title: 'Redis 1', text: '' },
      { id: 'keys-1', kind: 'browser', title: 'Keys', text: '' },
    );
  return { tabs, active: tabs[0]?.id ?? '' };
}

/** The live text of a tab: its pane's when the pane holds it. */
function liveText(state: AppState, profileId: string, tab: WorkbenchTab): string {
  const bound = state.workbenchBound[profileId] ?? {};
  if (tab.kind === 'sql' && (bound.sql ?? firstOf(state, profileId, 'sql')) === tab.id)
    return paneOf(state, profileId).text;
  if (tab.kind === 'redis' && (bound.redis ?? firstOf(state, profileId, 'redis')) === tab.id)
    return redisPaneOf(state, profileId).line;
  if (tab.kind === 'browser') return state.browserPanes[profileId]?.match ?? tab.text;
  return tab.text;
}

export function firstOf(state: AppState, profileId: string, kind: Kind): string | undefined {
  return (state.workbenchTabs[profileId]?.tabs ?? tabsOf(state, profileId).tabs).find((t) => t.kind === kind)?.id;
}

/** The session as it would be restored: tabs with their live text, the open runbook, the selected profile. */
export function sessionOf(state: AppState): WorkbenchSession {
  const profiles: WorkbenchSession['profiles'] = {};
  for (const profile of state.profiles) {
    const tabs = tabsOf(state, profile.id);
    if (tabs.tabs.length)
      profiles[profile.id] = {
        ...tabs,
        tabs: tabs.tabs.map((tab) => ({ ...tab, text: liveText(state, profile.id, tab).slice(0, 1_000_000) })),
      };
  }
  const runbookPath = state.runbookFromLibrary ? state.runbookPlan?.path : undefined;
  return {
    profiles,
    ...(runbookPath ? { runbookPath } : {}),
    ...(state.selectedProfileId ? { selectedProfileId: state.selectedProfileId } : {}),
  };
}

export const createWorkbenchSlice: StateCreator<AppState, [], [], WorkbenchSlice> = (set, get) => {
  const setTabs = (profileId: string, tabs: ProfileTabs) =>
    set((s) => ({ workbenchTabs: { ...s.workbenchTabs, [profileId]: tabs } }));
  const fresh = (kind: 'sql' | 'redis', text: string): SqlPane | RedisPane =>
    kind === 'sql' ? { ...paneOf({ sqlPanes: {} }, ''), text } : { ...redisPaneOf({ redisPanes: {} }, ''), line: text };

  /** Puts the pane of `kind` aside under its tab and brings `tab`'s back. */
  const bind = (profileId: string, kind: 'sql' | 'redis', tab: WorkbenchTab) => {
    const state = get();
    const current = state.workbenchBound[profileId]?.[kind] ?? firstOf(state, profileId, kind);
    if (current === tab.id) return;
    const panes = kind === 'sql' ? state.sqlPanes : state.redisPanes;
    const tabs = tabsOf(state, profileId);
    if (current && panes[profileId]) {
      parked.set(`${profileId}/${current}`, panes[profileId]!);
      setTabs(profileId, {
        ...tabs,
        tabs: tabs.tabs.map((t) => (t.id === current ? { ...t, text: liveText(state, profileId, t) } : t)),
      });
    }
    const next = parked.get(`${profileId}/${tab.id}`) ?? fresh(kind, tab.text);
    set((s) => ({
      ...(kind === 'sql'
        ? { sqlPanes: { ...s.sqlPanes, [profileId]: next as SqlPane } }
        : { redisPanes: { ...s.redisPanes, [profileId]: next as RedisPane } }),
      workbenchBound: { ...s.workbenchBound, [profileId]: { ...s.workbenchBound[profileId], [kind]: tab.id } },
    }));
  };

  return {
    workbenchTabs: {},
    workbenchBound: {},
    workbenchRestored: false,
    async workbenchRestoreRequested() {
      try {
        const session = await transport().invoke('workbench.session', {});
        set({ workbenchTabs: session.profiles });
        for (const [profileId, tabs] of Object.entries(session.profiles)) {
          for (const kind of ['sql', 'redis'] as const) {
            const tab =
              tabs.tabs.find((t) => t.kind === kind && t.id === tabs.active) ?? tabs.tabs.find((t) => t.kind === kind);
            if (tab)
              set((s) => ({
                ...(kind === 'sql'
                  ? { sqlPanes: { ...s.sqlPanes, [profileId]: fresh('sql', tab.text) as SqlPane } }
                  : { redisPanes: { ...s.redisPanes, [profileId]: fresh('redis', tab.text) as RedisPane } }),
                workbenchBound: {
                  ...s.workbenchBound,
                  [profileId]: { ...s.workbenchBound[profileId], [kind]: tab.id },
                },
              }));
          }
          const browser = tabs.tabs.find((t) => t.kind === 'browser');
          if (browser?.text) get().browserFilterChanged(profileId, { match: browser.text });
        }
        if (session.selectedProfileId && get().profiles.some((p) => p.id === session.selectedProfileId))
          set({ selectedProfileId: session.selectedProfileId });
        if (session.runbookPath) await get().runbookOpened(session.runbookPath);
      } catch (error) {
        get().noticeShown({
          kind: 'error',
          message: `The tabs of the last session could not be restored: ${noticeFrom(error).message}`,
        });
      }
      set({ workbenchRestored: true });
    },
    workbenchTabAdded(profileId, kind) {
      const tabs = tabsOf(get(), profileId);
      const numbers = tabs.tabs.map((t) => Number(/-(\d+)$/.exec(t.id)?.[1] ?? 0));
      const n = Math.max(0, ...numbers) + 1;
      const tab: WorkbenchTab = {
        id: `${kind === 'browser' ? 'keys' : kind}-${n}`,
        kind,
        title: `${titles[kind]} ${tabs.tabs.filter((t) => t.kind === kind).length + 1}`,
        text: '',
      };
      setTabs(profileId, { tabs: [...tabs.tabs, tab], active: tabs.active });
      get().workbenchTabChosen(profileId, tab.id);
    },
    workbenchTabChosen(profileId, tabId) {
      const state = get();
      const tabs = tabsOf(state, profileId);
      const tab = tabs.tabs.find((t) => t.id === tabId);
      if (!tab) return;
      if (tab.kind === 'sql' || tab.kind === 'redis') {
        const pane = tab.kind === 'sql' ? paneOf(state, profileId) : redisPaneOf(state, profileId);
        const busy = pane.running || !!pane.pending;
        if (
          busy &&
          state.workbenchBound[profileId]?.[tab.kind] !== tabId &&
          firstOf(state, profileId, tab.kind) !== tabId
        ) {
          get().noticeShown({
            kind: 'info',
            message: `A ${titles[tab.kind]} command is running or waiting for your decision in another tab: finish it first.`,
          });
          return;
        }
        bind(profileId, tab.kind, tab);
      }
      setTabs(profileId, { ...tabsOf(get(), profileId), active: tabId });
    },
    workbenchTabClosed(profileId, tabId) {
      const tabs = tabsOf(get(), profileId);
      const rest = tabs.tabs.filter((t) => t.id !== tabId);
      if (rest.length === tabs.tabs.length || rest.length === 0) return;
      parked.delete(`${profileId}/${tabId}`);
      const active =
        tabs.active === tabId ? rest[Math.max(0, tabs.tabs.findIndex((t) => t.id === tabId) - 1)]!.id : tabs.active;
      setTabs(profileId, { tabs: rest, active: tabs.active });
      if (tabs.active === tabId) get().workbenchTabChosen(profileId, active);
    },
  };
};

/** Saves the session a moment after anything in it changes (and never before it was restored). */
export function autosaveWorkbench(store: {
  getState(): AppState;
  subscribe(listener: (state: AppState) => void): () => void;
}): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const off = store.subscribe((state) => {
    if (!state.workbenchRestored) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const session = sessionOf(store.getState());
      const text = JSON.stringify(session);
      if (text === last) return;
      last = text;
      void transport()
        .invoke('workbench.saveSession', { session })
        .catch(() => undefined);
    }, 400);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}
