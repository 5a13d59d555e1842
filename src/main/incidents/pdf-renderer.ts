/**
 * Turns the report's self-contained HTML into a PDF. The app plugs Electron's printToPDF in
 * here; the CLI and the tests use headless Chromium through playwright-core.
 */
export interface PdfRenderer {
  render(html: string): Promise<Buffer>;
  dispose?(): Promise<void>;
}

/**
 * Chromium keeps only the last --disable-features and Playwright passes its own, so that list
 * (playwright-core 1.65) is repeated with ours: the omnibox pop-ups, which headless Chromium
 * preloads as WebUI pages for every window (about a second of CPU per export, for a window
 * nobody sees, competing with the report's layout on a small machine).
 */
const disabledFeatures = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
];

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${disabledFeatures.join(',')}`,
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
    return chromium.launch({ executablePath: this.executablePath, args: chromiumArgs });
  }
}
