import { BrowserWindow } from 'electron';
import type { PdfRenderer } from '../incidents/pdf-renderer';

/** Incident reports to PDF with Electron's own printToPDF, in a hidden window with no preload. */
export class ElectronPdfRenderer implements PdfRenderer {
  async render(html: string): Promise<Buffer> {
    const window = new BrowserWindow({
      show: false,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    try {
      await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    } finally {
      window.destroy();
    }
  }
}
