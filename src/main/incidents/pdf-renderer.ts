/**
 * Turns the report's self-contained HTML into a PDF. The app plugs Electron's printToPDF in
 * here; the CLI and the tests use headless Chromium through playwright-core.
 */
export interface PdfRenderer {
  render(html: string): Promise<Buffer>;
  dispose?(): Promise<void>;
}

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Browser = Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>;

/** Headless Chromium (CHROMIUM_PATH, else /usr/bin/chromium), launched on first use and kept until dispose(). */
export class ChromiumPdfRenderer implements PdfRenderer {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium') {}

  async render(html: string): Promise<Buffer> {
    const browser = await (this.browser ??= this.launch());
    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      // The report has no external resource; refuse any request so a hostile note cannot phone home.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footer });
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
    return chromium.launch({ executablePath: this.executablePath, args: chromiumArgs });
  }
}

const footer = '<div style="font-size:8px;width:100%;text-align:center;color:#57606a">page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';
