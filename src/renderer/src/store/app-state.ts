import type { ExplainSlice } from './state/explain';
import type { HistorySlice } from './state/history';
import type { IncidentsSlice } from './state/incidents';
import type { NoticeSlice } from './state/notice';
import type { ProfileIoSlice } from './state/profile-io';
import type { ProfilesSlice } from './state/profiles';
import type { RedisBrowserSlice } from './state/redis-browser';
import type { RedisWatchSlice } from './state/redis-watch';
import type { RehearsalSlice } from './state/rehearsal';
import type { RunbooksSlice } from './state/runbooks';
import type { SchemaSlice } from './state/schema';
import type { SessionsSlice } from './state/sessions';
import type { SettingsSlice } from './state/settings';
import type { SqlSlice } from './state/sql';
import type { TeamSlice } from './state/team';
import type { TerminalsSlice } from './state/terminals';
import type { TunnelsSlice } from './state/tunnels';
import type { UiSlice } from './state/ui';
import type { WorkbenchSlice } from './state/workbench';

/**
 * The renderer's one store, made of slices; actions are named as events. It imports only the
 * slices' types (store/state/), never their creators, so no slice file imports back into a file
 * that imports it.
 */
export type AppState = ProfilesSlice &
  SessionsSlice &
  SqlSlice &
  NoticeSlice &
  SettingsSlice &
  UiSlice &
  IncidentsSlice &
  TerminalsSlice &
  ProfileIoSlice &
  TunnelsSlice &
  RunbooksSlice &
  RedisWatchSlice &
  RehearsalSlice &
  TeamSlice &
  RedisBrowserSlice &
  WorkbenchSlice &
  HistorySlice &
  SchemaSlice &
  ExplainSlice;

/** The store's `set`, as every slice creator receives it. */
export type SetState = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
