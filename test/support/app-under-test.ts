import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../src/host/host';
import type { CoreDeps } from '../../src/main/core';
import { launchChromium } from './browser';
import { tempCore, type TempCore } from './temp-core';

const rendererDir = join(fileURLToPath(new URL('../..', import.meta.url)), 'out', 'renderer');

export interface AppUnderTest {
  temp: TempCore;
  host: RunningHost;
  browser: Browser;
  page: Page;
  /** Browser console errors and page errors seen so far (CSP violations included). */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** The real core and host serving the built renderer, driven by Chromium. */
export async function openApp(deps: Partial<CoreDeps> = {}): Promise<AppUnderTest> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      'The renderer is not built: run npm test (it builds it) or `npx vite build --config vite.renderer.config.mts`.',
    );
  }
  // The window never names a path: exports go through app.chooseSavePath's save token.
  const temp = tempCore({ acceptExportPaths: false, ...deps });
  const host = await startHost({ core: temp.core, staticDir: rendererDir });
  const browser = await launchChromium();
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(host.url);
  return {
    temp,
    host,
    browser,
    page,
    consoleErrors,
    async close() {
      await browser.close();
      await host.close();
      await temp.dispose();
    },
  };
}
