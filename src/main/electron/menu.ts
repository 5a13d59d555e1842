import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';

/** The standard roles plus "Open data folder" (logs and the store live there). */
export function buildMenu(dataDir: string): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open Logs Folder', click: () => void shell.openPath(join(dataDir, 'logs')) },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
