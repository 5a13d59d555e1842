import { chromiumExecutable, headlessChromiumArgs } from './headless-chromium';

/**
 * Prints the report's self-contained HTML to PDF, for the reports the PDF writer of its own
 * (export-pdf.ts) cannot draw faithfully (CJK, right-to-left or shaped scripts, emoji): a browser
 * has the system's fonts and a shaping engine. The app plugs Electron's printToPDF in here; the
 * CLI and the tests use headless Chromium through playwright-core.
 */
export interface PdfRenderer {
  render(html: string): Promise<Buffer>;
  dispose?(): Promise<void>;
}

type Browser = Awaited<ReturnType<(typeof import('playwright-core'))['chromium']['launch']>>;

/** Headless Chromium (chromiumExecutable()), launched on first use and kept until dispose(). */
export class ChromiumPdfRenderer implements PdfRenderer {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly executablePath = chromiumExecutable()) {}

  async render(html: string): Promise<Buffer> {
    const browser = await (this.browser ??= this.launch());
    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      // The report has no external resource; refuse any request so a hostile note cannot phone home.
      await page.route('**/*', (route) => route.abort());
      // Laid out with the print styles from the start: printing then re-breaks lines already
      // shaped, instead of restyling and reshaping every event three times for print and once
      // more back for the screen (half the time for 10,000 events).
      await page.emulateMedia({ media: 'print' });
      await page.setContent(html, { waitUntil: 'load' });
      // Page numbers come from the report's own @page footer (the same in Electron's printToPDF).
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await page.close();
    }
  }

  async dispose(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }

  private async launch(): Promise<Browser> {
    const { chromium } = await import('playwright-core');
    return await chromium.launch({ executablePath: this.executablePath, args: [...headlessChromiumArgs] });
  }
}
