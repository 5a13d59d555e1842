import { create } from 'zustand';
import type { AppState } from './app-state';
import { createIncidentsSlice } from './incidents-slice';
import { createNoticeSlice } from './notice-slice';
import { createProfileIoSlice } from './profile-io-slice';
import { createProfilesSlice } from './profiles-slice';
import { createRedisWatchSlice } from './redis-watch-slice';
import { createRunbooksSlice } from './runbooks-slice';
import { createSessionsSlice } from './sessions-slice';
import { createSettingsSlice } from './settings-slice';
import { createSqlSlice } from './sql-slice';
import { createTerminalsSlice } from './terminals-slice';
import { createUiSlice } from './ui-slice';
import { transport } from './transport-ref';
import { createTunnelsSlice } from './tunnels-slice';
import { createRehearsalSlice } from './rehearsal-slice';
import { createTeamSlice } from './team-slice';
import { createRedisBrowserSlice } from './redis-browser-slice';
import { autosaveWorkbench, createWorkbenchSlice } from './workbench-slice';
import { forgetStepLinks } from './step-links';
import { createHistorySlice } from './history-slice';
import { createSchemaSlice } from './schema-slice';
import { createExplainSlice } from './explain-slice';

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
    transport().on('onSqlRunEnded', (ended) => useApp.getState().sqlRunEnded(ended)),
    transport().on('onSqlResultProgress', (status) => useApp.getState().sqlResultProgressed(status)),
    transport().on('onSqlExportProgress', (progress) => useApp.getState().sqlExportProgressed(progress)),
    transport().on('onSqlExportEnded', (ended) => useApp.getState().sqlExportEnded(ended)),
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
