// Electron entry: everything Electron-specific lives in ./electron.
import { startDesktopApp } from './electron/app';

startDesktopApp();
