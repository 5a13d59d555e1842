import { existsSync } from 'node:fs';

/**
 * How the console starts a headless Chromium (the PDF fallback in the CLI; the tests and the
 * benchmarks drive the renderer with the same). Chromium keeps only the last --disable-features
 * and Playwright passes its own, so that list (playwright-core 1.65) is repeated with ours: the
 * omnibox pop-ups, which headless Chromium preloads as WebUI pages for every window (hundreds of
 * chrome:// requests and about a second of CPU, for a window nobody sees, competing with the page
 * on a small machine; an Electron window has no omnibox at all).
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

export const headlessChromiumArgs: readonly string[] = [
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

/**
 * Debian's /usr/bin/chromium is a shell script that forks grep, findmnt, ls, tr and cut before
 * it execs this binary (about 0.1 s of CPU per start on a loaded machine). Its flags are of no
 * use headless, and the one that matters (--disable-dev-shm-usage) Playwright passes itself.
 */
const debianChromium = '/usr/lib/chromium/chromium';

/** CHROMIUM_PATH, else Debian's Chromium binary itself when present, else /usr/bin/chromium. */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return existsSync(debianChromium) ? debianChromium : '/usr/bin/chromium';
}
