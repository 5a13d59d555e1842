import type { ProfilesSlice } from './state/profiles';
import type { StateCreator } from 'zustand';
import { isRouteOrSafetyChange } from '../../../shared/profile-constants';
import { transport } from './transport-ref';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar } from './request';
import type { AppState } from './app-state';

export const createProfilesSlice: StateCreator<AppState, [], [], ProfilesSlice> = (set, get) => {
  const show = noticeBar(get);
  return {
    profiles: [],
    profilesLoaded: false,
    demoCreating: false,
    editor: { mode: 'closed' },
    async appStarted() {
      await attempt(show, async () => {
        const info = await transport().invoke('app.info', {});
        set({ info });
        // Said once at start; Settings → Storage lists every entry with what to do.
        if (info.fileWarnings.length)
          get().noticeShown({
            kind: 'error',
            message: `${info.fileWarnings.length} file(s) of the data folder could not be made private to you: ${info.fileWarnings[0]} See Settings → Storage.`,
          });
        await Promise.all([
          get().profilesRequested(),
          get().settingsRequested(),
          get().incidentsRequested(),
          get().runbooksRequested(),
          get().templatesRequested(),
        ]);
        const sessions = await transport().invoke('sessions.list', {});
        for (const s of sessions) get().sessionStateChanged(s);
        await get().workbenchRestoreRequested();
        // Running first: a run that turns pending between the two answers is then in one of them.
        await get().sqlRunningRequested();
        await get().sqlPendingRequested();
        await get().gridsRestored();
        await get().exportsRestored();
        await get().terminalsRestored();
      });
    },
    async profilesRequested() {
      const profiles = await transport().invoke('profiles.list', {});
      set({ profiles, profilesLoaded: true });
    },
    profileSelected: (id) => set({ selectedProfileId: id, editor: { mode: 'closed' }, centreView: 'profile' }),
    editorOpened: (editor) => set({ editor, centreView: 'profile' }),
    async profileSavePreviewed(id, profile) {
      try {
        const preview = await transport().invoke('profiles.previewSave', { id, profile });
        return preview.secretsDropped.length || preview.changes.some(isRouteOrSafetyChange) ? preview : undefined;
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async profileSubmitted(profile, edited, allowDowngrade) {
      try {
        const saved = await transport().invoke('profiles.save', {
          ...(edited ? { id: edited.id, expectedUpdatedAt: edited.updatedAt } : {}),
          profile,
          ...(allowDowngrade ? { allowDowngrade } : {}),
        });
        await get().profilesRequested();
        set({ selectedProfileId: saved.id, editor: { mode: 'closed' } });
        return undefined;
      } catch (error) {
        return noticeFrom(error).message;
      }
    },
    async demoRequested() {
      set({ demoCreating: true });
      await attempt(show, async () => {
        const demo = await transport().invoke('demo.create', {});
        await get().profilesRequested();
        set({ selectedProfileId: demo.profile.id, editor: { mode: 'closed' }, centreView: 'runbook' });
        await get().runbookOpened(demo.runbookPath);
      });
      set({ demoCreating: false });
    },
    async profileRemoveRequested(id) {
      await attempt(show, async () => {
        await transport().invoke('profiles.remove', { id });
        set((s) => ({
          selectedProfileId: s.selectedProfileId === id ? undefined : s.selectedProfileId,
          editor: { mode: 'closed' },
        }));
        await get().profilesRequested();
      });
    },
  };
};
