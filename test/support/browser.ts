import { chromium, type Browser } from 'playwright-core';
import { chromiumExecutable, headlessChromiumArgs } from '../../src/main/incidents/headless-chromium';

/**
 * Debian's Chromium (CHROMIUM_PATH overrides), headless, as the console starts it for printing:
 * no background network chatter, and none of the omnibox WebUI pages headless Chromium otherwise
 * loads beside every new page (they competed with the page under test for the machine's cores).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: [...headlessChromiumArgs] });
}
