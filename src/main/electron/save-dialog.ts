import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { SavePathRequest } from '../core';

/**
 * The system's save dialog, over the main window: it proposes the file name in the Downloads
 * folder and asks before replacing a file, so the caller may overwrite what was chosen.
 */
export async function chooseSavePath(
  window: BrowserWindow | undefined,
  request: SavePathRequest,
): Promise<string | null> {
  const options = {
    title: request.title,
    defaultPath: join(app.getPath('downloads'), request.defaultName),
    filters: request.filters,
    properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
  };
  const choice =
    window && !window.isDestroyed()
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
  return choice.canceled || !choice.filePath ? null : choice.filePath;
}
