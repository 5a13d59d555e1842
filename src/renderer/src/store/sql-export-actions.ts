import type { SqlExportRunning } from '../../../shared/contract';
import type { AppState } from './app-state';
import { noticeFrom } from './notice-slice';
import { noticeBar, request } from './request';
import type { PaneSource } from './sql-panes';
import type { ExportActions, ExportPane } from './state/sql';
import { transport } from './transport-ref';

/** Exports a whole result to a file the operator chose, with progress and cancel. */
export function createExportActions(
  get: () => AppState,
  patch: (profileId: string, change: { exporting: ExportPane }) => void,
  source: (profileId: string) => PaneSource,
): ExportActions {
  return {
    async sqlExportRequested(profileId, format) {
      const extension = format === 'jsonl' ? 'jsonl' : 'csv';
      const choice = await request(noticeBar(get), 'app.chooseSavePath', {
        title: 'Export the result',
        defaultName: `result.${extension}`,
        filters: [{ name: format === 'jsonl' ? 'JSON Lines' : 'CSV', extensions: [extension] }],
      });
      if (!choice) return;
      const { path, saveToken } = choice;
      if (path === null || !saveToken) return;
      const exportId = crypto.randomUUID();
      patch(profileId, { exporting: { exportId, format, path, running: true } });
      const mine = () => get().sqlPanes[profileId]?.exporting?.exportId === exportId;
      try {
        const result = await transport().invoke('sql.export', {
          profileId,
          ...source(profileId),
          format,
          saveToken,
          exportId,
        });
        if (mine()) patch(profileId, { exporting: { exportId, format, path, running: false, result } });
      } catch (error) {
        if (mine())
          patch(profileId, { exporting: { exportId, format, path, running: false, error: noticeFrom(error) } });
      }
    },
    async sqlExportCancelRequested(profileId) {
      const exporting = get().sqlPanes[profileId]?.exporting;
      if (exporting?.running)
        await transport()
          .invoke('sql.cancelExport', { exportId: exporting.exportId })
          .catch(() => undefined);
    },
    async exportsRestored() {
      const running = await transport()
        .invoke('sql.exports', {})
        .catch((): SqlExportRunning[] => []);
      for (const { exportId, profileId, format, path, progress } of running) {
        if (get().sqlPanes[profileId]?.exporting?.running) continue;
        patch(profileId, { exporting: { exportId, format, path, running: true, progress, restored: true } });
        const profile = get().profiles.find((p) => p.id === profileId)?.name ?? profileId;
        get().noticeShown({
          kind: 'info',
          message: `An export of ${profile} to ${path}, started before this window reloaded, is still being written: its progress and Cancel are under "Export to a file" in that profile's SQL console.`,
        });
      }
    },
    sqlExportEnded(ended) {
      const exporting = get().sqlPanes[ended.profileId]?.exporting;
      if (!exporting?.restored || exporting.exportId !== ended.exportId) return;
      const { exportId, format } = exporting;
      const { path, rows, bytes, durationMs, outcome } = ended;
      const base = { exportId, format, path, running: false };
      patch(ended.profileId, {
        exporting:
          outcome === 'failed'
            ? {
                ...base,
                error: {
                  kind: 'error',
                  message: `The export to ${path} failed; nothing was written. Why is in the incident timeline.`,
                },
              }
            : { ...base, result: { exportId, path, format, rows, bytes, durationMs, outcome } },
      });
    },
    sqlExportProgressed(progress) {
      for (const [profileId, pane] of Object.entries(get().sqlPanes)) {
        if (pane.exporting?.exportId === progress.exportId && pane.exporting.running)
          patch(profileId, { exporting: { ...pane.exporting, progress } });
      }
    },
  };
}
