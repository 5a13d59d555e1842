import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, session, shell } from 'electron';
import { join } from 'node:path';
import { isAppUrl as isRendererUrl } from '../app-url';
import { createCore, type Core } from '../core';
import { releaseMemoryWhenIdle } from '../idle-memory';
import { resolveDataDir } from '../data-dir';
import { registerContract } from './ipc';
import { buildMenu } from './menu';
import { ElectronPdfRenderer } from './pdf';
import { chooseSavePath } from './save-dialog';
import { hardenSession, hardenWindow } from './security';
import { loadWindowState, trackWindowState } from './window-state';
import { incidentLinkIn, linkScheme, openIncidentLink } from '../team/incident-link';

const rendererUrl = process.env.ELECTRON_RENDERER_URL; // set by electron-vite dev only
const rendererFile = join(import.meta.dirname, '../renderer/index.html');

function isAppUrl(url: string): boolean {
  return isRendererUrl(url, { devServerUrl: rendererUrl, file: rendererFile });
}

function createWindow(core: Core, dataDir: string): BrowserWindow {
  const bounds = loadWindowState(dataDir);
  const window = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 560,
    backgroundColor: '#15171c',
    title: 'Ops Console',
    show: false,
    webPreferences: {
      // electronegativity-justified: PRELOAD_JS_CHECK — the preload exposes one method per contract operation through contextBridge and nothing else (src/preload/index.ts).
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWindow(window, isAppUrl);
  if (bounds.maximized) window.maximize();
  trackWindowState(window, dataDir);
  const unsubscribe = core.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(name, payload);
  });
  window.on('closed', unsubscribe);
  window.once('ready-to-show', () => window.show());
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  return window;
}

/** The desktop entry: one instance, one core, one window; the loopback host is never started. */
export function startDesktopApp(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let core: Core | undefined;
  let window: BrowserWindow | undefined;
  // opsconsole://incident/ID links (team mode): argv on Windows/Linux, open-url on macOS.
  registerIncidentLinks(
    () => core,
    () => window,
  );
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.whenReady().then(() => {
    const dataDir = resolveDataDir();
    core = createCore({
      dataDir,
      version: app.getVersion(),
      pdfRenderer: new ElectronPdfRenderer(),
      // Links from terminals reach the system browser only after the operator confirmed them (https only).
      openExternal: async (url) => {
        // electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — terminals.openLink validated the https URL and the operator confirmed it.
        if (url.startsWith('https://')) await shell.openExternal(url);
      },
      chooseSavePath: (request) => chooseSavePath(window, request),
      runbookSyncIntervalMs: 15 * 60_000,
      teamLive: true,
    });
    hardenSession(session.defaultSession);
    registerContract(ipcMain, core, isAppUrl);
    Menu.setApplicationMenu(buildMenu(dataDir));
    window = createWindow(core, dataDir);
    powerMonitor.on('resume', () => void core?.resume());
    releaseMemoryWhenIdle();
  });
  app.on('window-all-closed', () => app.quit());
  // Quitting with a break-glass transaction or a query open asks first; what was not committed rolls back.
  // The core answers asynchronously and Electron decides synchronously: hold the quit, ask, then quit again.
  let quit: 'undecided' | 'asking' | 'decided' = 'undecided';
  app.on('before-quit', (event) => {
    const asking = core;
    if (quit === 'decided' || !asking || !window || window.isDestroyed()) return;
    event.preventDefault();
    if (quit === 'asking') return; // one question at a time, however often Quit is pressed
    quit = 'asking';
    void mayQuit(asking, window).then((yes) => {
      quit = yes ? 'decided' : 'undecided';
      if (yes) app.quit();
    });
  });
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = undefined;
    void closing.dispose().finally(() => app.exit(0));
  });
}

/**
 * Registers the app for opsconsole:// links and opens the incident a link names (joined from the
 * team database when it is not local). A link before the window exists waits for it.
 */
function registerIncidentLinks(core: () => Core | undefined, window: () => BrowserWindow | undefined): void {
  if (process.defaultApp && process.argv[1]) {
    // electronegativity-justified: PROTOCOL_HANDLER_JS_CHECK — a link only names an incident id (parseIncidentLink refuses anything else); opening it activates or joins that incident, nothing more.
    app.setAsDefaultProtocolClient(linkScheme, process.execPath, [process.argv[1]]);
  } else {
    // electronegativity-justified: PROTOCOL_HANDLER_JS_CHECK — as above: an incident id, activated or joined.
    app.setAsDefaultProtocolClient(linkScheme);
  }
  const open = async (link: string | undefined) => {
    if (!link) return;
    await app.whenReady();
    // The core is built by the whenReady callback registered after this one: let it run first.
    await new Promise((resolve) => setImmediate(resolve));
    const ready = core();
    if (!ready) return;
    try {
      await openIncidentLink(link, {
        isLocal: async (id) => (await ready.invoke('incidents.list', {})).some((incident) => incident.id === id),
        activate: (id) => ready.invoke('incidents.activate', { id }),
        join: (id) => ready.invoke('team.join', { id }),
      });
      window()?.webContents.reload();
    } catch (error) {
      dialog.showErrorBox('Cannot open the incident link', ready.redact((error as Error).message));
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    void open(url);
  });
  app.on('second-instance', (_event, argv) => void open(incidentLinkIn(argv)));
  void open(incidentLinkIn(process.argv));
}

/** Whether to quit: yes when nothing is open, else the operator chooses (what is open rolls back). */
async function mayQuit(core: Core, window: BrowserWindow): Promise<boolean> {
  // A core that cannot say what is open must not keep the app from quitting.
  const open = await core.invoke('app.openWork', {}).catch(() => []);
  if (open.length === 0 || window.isDestroyed()) return true;
  const choice = dialog.showMessageBoxSync(window, {
    type: 'warning',
    buttons: ['Keep working', 'Quit anyway'],
    defaultId: 0,
    cancelId: 0,
    message: 'Quit while work is open?',
    detail: `Quitting now rolls back or ends ${open.join('; ')}. Nothing uncommitted is kept; a shell's recording is.`,
  });
  return choice !== 0;
}
