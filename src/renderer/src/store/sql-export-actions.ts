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
    sqlExportProgressed(progress) {
      for (const [profileId, pane] of Object.entries(get().sqlPanes)) {
        if (pane.exporting?.exportId === progress.exportId && pane.exporting.running)
          patch(profileId, { exporting: { ...pane.exporting, progress } });
      }
    },
  };
}
