import { create } from 'zustand';
import { createIncidentsSlice, type IncidentsSlice } from './incidents-slice';
import { createNoticeSlice, type NoticeSlice } from './notice-slice';
import { createProfileIoSlice, type ProfileIoSlice } from './profile-io-slice';
import { createProfilesSlice, type ProfilesSlice } from './profiles-slice';
import { createRedisWatchSlice, type RedisWatchSlice } from './redis-watch-slice';
import { createRunbooksSlice, type RunbooksSlice } from './runbooks-slice';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createSqlSlice, type SqlSlice } from './sql-slice';
import { createTerminalsSlice, type TerminalsSlice } from './terminals-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { transport } from './transport-ref';
import { createTunnelsSlice, type TunnelsSlice } from './tunnels-slice';
import { createRehearsalSlice, type RehearsalSlice } from './rehearsal-slice';
import { createTeamSlice, type TeamSlice } from './team-slice';
import { createRedisBrowserSlice, type RedisBrowserSlice } from './redis-browser-slice';
import { autosaveWorkbench, createWorkbenchSlice, type WorkbenchSlice } from './workbench-slice';
import { forgetStepLinks } from './step-links';
import { createHistorySlice, type HistorySlice } from './history-slice';
import { createSchemaSlice, type SchemaSlice } from './schema-slice';
import { createExplainSlice, type ExplainSlice } from './explain-slice';

/** The renderer's one store, made of slices; actions are named as events. */
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

export const useApp = create<AppState>()((...a) => ({
  ...createProfilesSlice(...a),
  ...createSessionsSlice(...a),
  ...createSqlSlice(...a),
  ...createNoticeSlice(...a),
  ...createSettingsSlice(...a),
  ...createUiSlice(...a),
  ...createIncidentsSlice(...a),
  ...createTerminalsSlice(...a),
  ...createProfileIoSlice(...a),
  ...createTunnelsSlice(...a),
  ...createRunbooksSlice(...a),
  ...createRedisWatchSlice(...a),
  ...createRehearsalSlice(...a),
  ...createTeamSlice(...a),
  ...createRedisBrowserSlice(...a),
  ...createWorkbenchSlice(...a),
  ...createHistorySlice(...a),
  ...createSchemaSlice(...a),
  ...createExplainSlice(...a),
}));

/** Routes the core's events into the store; returns the unsubscribe function. */
export function connectEvents(): () => void {
  const offs = [
    transport().on('onSessionState', (event) => useApp.getState().sessionStateChanged(event)),
    transport().on('onHostKeyPrompt', (prompt) => useApp.getState().hostKeyPromptReceived(prompt)),
    transport().on('onSqlRunSettled', (result) => {
      useApp.getState().sqlRunSettled(result);
      useApp.getState().runbookSqlRunSettled(result);
    }),
    transport().on('onSqlResultProgress', (status) => useApp.getState().sqlResultProgressed(status)),
    transport().on('onSqlExportProgress', (progress) => useApp.getState().sqlExportProgressed(progress)),
    transport().on('onRunbooksChanged', (event) => {
      forgetStepLinks();
      void useApp.getState().runbooksChanged(event);
    }),
    transport().on('onIncidentEvent', (event) => useApp.getState().incidentEventReceived(event)),
    transport().on('onConnectionTestStep', (step) => useApp.getState().connectionTestStepReceived(step)),
    transport().on('onTerminalData', (event) => useApp.getState().terminalOutputReceived(event)),
    transport().on('onTerminalExit', (event) => useApp.getState().terminalExited(event)),
    transport().on('onTerminalState', (info) => useApp.getState().terminalStateChanged(info)),
    transport().on('onRedisWatch', (event) => useApp.getState().redisWatchEventReceived(event)),
    transport().on('onTeamState', () => useApp.getState().teamStateChanged()),
    autosaveWorkbench(useApp),
  ];
  return () => offs.forEach((off) => off());
}
