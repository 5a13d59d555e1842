import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { z } from 'zod';

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(600).max(20_000),
  height: z.number().int().min(400).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof stateSchema>;

const defaults: WindowState = { width: 1280, height: 820, maximized: false };

/** The window's last bounds from the data folder; defaults when absent or damaged. */
export function loadWindowState(dataDir: string): WindowState {
  try {
    return stateSchema.parse(JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8')));
  } catch {
    return defaults;
  }
}

/** Saves the bounds whenever the window is moved, resized or closed. */
export function trackWindowState(window: BrowserWindow, dataDir: string): void {
  const save = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    try {
      writeFileSync(join(dataDir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // the data folder is gone or read-only: the next start uses the defaults
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', save);
}
