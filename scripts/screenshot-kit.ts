import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where the README's screenshots live. */
export const screenshotsDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

/** The two helpers every screenshot script uses: a runbook step by id, and a saved shot by name. */
export function screenshotKit(page: Page) {
  return {
    step: (id: string) => page.locator(`[data-testid="runbook-step"][data-step-id="${id}"]`),
    shot: async (name: string) => {
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(screenshotsDir, `${name}.png`) });
      process.stderr.write(`saved docs/screenshots/${name}.png\n`);
    },
  };
}
