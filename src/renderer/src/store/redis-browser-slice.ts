import type { BrowserPane, RedisBrowserSlice } from './state/redis-browser';
import type { StateCreator } from 'zustand';
import type { RedisRunResult } from '../../../shared/contract';
import { attempt, type ShowNotice } from './request';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

/** The browser stops listing here: a tree of more keys helps nobody; narrow with MATCH or TYPE. */
export const maxListedKeys = 50_000;

const emptyBrowser: BrowserPane = {
  match: '',
  type: '',
  delimiter: ':',
  keys: [],
  cursor: '0',
  done: false,
  scanning: false,
  paused: false,
  expanded: {},
  valueLoading: false,
  view: 'keys',
};

export function browserPaneOf(state: AppState, profileId: string): BrowserPane {
  return state.browserPanes[profileId] ?? emptyBrowser;
}

export const createRedisBrowserSlice: StateCreator<AppState, [], [], RedisBrowserSlice> = (set, get) => {
  const patch = (profileId: string, change: Partial<BrowserPane> | ((pane: BrowserPane) => Partial<BrowserPane>)) =>
    set((s) => {
      const pane = browserPaneOf(s, profileId);
      return {
        browserPanes: {
          ...s.browserPanes,
          [profileId]: { ...pane, ...(typeof change === 'function' ? change(pane) : change) },
        },
      };
    });
  const pane = (profileId: string) => browserPaneOf(get(), profileId);

  /** One page, merged without duplicates (SCAN may return a key twice). */
  const scanPage = async (profileId: string) => {
    const { cursor, match, type } = pane(profileId);
    const page = await transport().invoke('redis.scan', {
      profileId,
      cursor,
      ...(match ? { match } : {}),
      ...(type ? { type } : {}),
      pageSize: 500,
    });
    patch(profileId, (p) => {
      const seen = new Set(p.keys.map((k) => k.key.b64));
      return {
        keys: [...p.keys, ...page.keys.filter((k) => !seen.has(k.key.b64))],
        cursor: page.cursor,
        done: page.done,
      };
    });
  };

  /** The gate's answer to an edit: ask, refuse, or done (then the key is read again). */
  const editLanded = async (profileId: string, result: RedisRunResult) => {
    const waiting = result.outcome === 'confirmation_required';
    patch(profileId, (p) => ({
      edit: p.edit && {
        ...p.edit,
        running: false,
        pending: waiting ? result : undefined,
        result: waiting ? undefined : result,
        typedName: '',
      },
    }));
    const { selected, edit } = pane(profileId);
    if (result.outcome !== 'ok' || !selected) return;
    // A deleted key leaves the list; any other change is shown by reading the key again.
    if (edit?.edit.op === 'unlink')
      patch(profileId, (p) => ({
        keys: p.keys.filter((k) => k.key.b64 !== selected),
        selected: undefined,
        facts: undefined,
        value: undefined,
      }));
    else await get().browserKeySelected(profileId, selected);
  };

  /** A failure shows in the browser it came from, not the notice bar. */
  const inPane =
    (profileId: string, change: Partial<BrowserPane> = {}): ShowNotice =>
    (error) =>
      patch(profileId, { ...change, error });

  return {
    browserPanes: {},
    browserFilterChanged: (profileId, change) => patch(profileId, change),
    async browserScanRequested(profileId, { fresh, all }) {
      if (pane(profileId).scanning) return;
      patch(
        profileId,
        fresh
          ? { keys: [], cursor: '0', done: false, scanning: true, paused: false, error: undefined, expanded: {} }
          : { scanning: true, paused: false, error: undefined },
      );
      await attempt(inPane(profileId), async () => {
        do await scanPage(profileId);
        while (all && !pane(profileId).done && !pane(profileId).paused && pane(profileId).keys.length < maxListedKeys);
      });
      patch(profileId, { scanning: false });
    },
    browserPaused: (profileId) => patch(profileId, { paused: true }),
    browserFolderToggled: (profileId, path) =>
      patch(profileId, (p) => ({ expanded: { ...p.expanded, [path]: !p.expanded[path] } })),
    async browserKeySelected(profileId, key) {
      // The same key read again (after an edit): what is shown stays until the new answer, forms keep what is typed.
      const same = pane(profileId).selected === key;
      const keep = same ? pane(profileId).edit : undefined;
      patch(profileId, (p) => ({
        selected: key,
        facts: same ? p.facts : undefined,
        value: same ? p.value : undefined,
        valueLoading: true,
        error: undefined,
        edit: keep,
      }));
      await attempt(inPane(profileId, { valueLoading: false }), async () => {
        const [facts, value] = await Promise.all([
          transport().invoke('redis.keyFacts', { profileId, key }),
          transport().invoke('redis.value', { profileId, key, count: 100 }),
        ]);
        if (pane(profileId).selected === key) patch(profileId, { facts, value, valueLoading: false });
      });
    },
    async browserValueMore(profileId) {
      const { selected, value } = pane(profileId);
      if (!selected || !value?.next) return;
      patch(profileId, { valueLoading: true });
      await attempt(inPane(profileId, { valueLoading: false }), async () => {
        const page = await transport().invoke('redis.value', {
          profileId,
          key: selected,
          from: value.next,
          count: 100,
        });
        patch(profileId, (p) => ({
          valueLoading: false,
          value: p.value && { ...page, items: [...p.value.items, ...page.items] },
        }));
      });
    },
    async browserEditRequested(profileId, edit) {
      const key = pane(profileId).selected;
      if (!key) return;
      patch(profileId, { edit: { key, edit, typedName: '', running: true } });
      await attempt(inPane(profileId, { edit: undefined }), async () => {
        await editLanded(profileId, await transport().invoke('redis.edit', { profileId, key, edit }));
      });
    },
    browserEditNameTyped: (profileId, typedName) =>
      patch(profileId, (p) => ({ edit: p.edit && { ...p.edit, typedName } })),
    async browserEditConfirmed(profileId) {
      const edit = pane(profileId).edit;
      if (!edit?.pending) return;
      const confirm = edit.pending.confirmation?.policy === 'type-profile-name' ? { typedName: edit.typedName } : {};
      patch(profileId, { edit: { ...edit, running: true } });
      await attempt(inPane(profileId, { edit: undefined }), async () => {
        await editLanded(
          profileId,
          await transport().invoke('redis.edit', { profileId, key: edit.key, edit: edit.edit, confirm }),
        );
      });
    },
    browserEditDismissed: (profileId) => patch(profileId, { edit: undefined }),
    async browserViewChosen(profileId, view) {
      patch(profileId, { view, error: undefined });
      await attempt(inPane(profileId), async () => {
        if (view === 'info') patch(profileId, { info: await transport().invoke('redis.info', { profileId }) });
        if (view === 'slowlog')
          patch(profileId, { slowlog: await transport().invoke('redis.slowlog', { profileId, count: 50 }) });
        if (view === 'sample')
          patch(profileId, {
            sample: await transport().invoke('redis.sample', {
              profileId,
              budgetMs: 2000,
              ...(pane(profileId).match ? { match: pane(profileId).match } : {}),
            }),
          });
      });
    },
  };
};
