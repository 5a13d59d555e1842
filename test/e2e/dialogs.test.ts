import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApp, type AppUnderTest } from '../support/app-under-test';

// Every dialog is built on one <Modal>: labelled by its heading, aria-modal, and Tab / Shift+Tab
// go round its own controls instead of wandering to the page behind it.

let app: AppUnderTest;

before(async () => {
  app = await openApp();
  await app.page.getByTestId('new-profile').waitFor();
});
after(async () => {
  await app?.close();
});

/** Whether the focused element is inside the element with this test id. */
const focusInside = (testId: string) =>
  app.page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

test('the help sheet is a labelled modal dialog that keeps focus inside and closes with Escape', async () => {
  const { page } = app;
  await page.keyboard.press('F1');
  const sheet = page.getByTestId('help-sheet');
  await sheet.waitFor();
  assert.equal(await sheet.getAttribute('role'), 'dialog');
  assert.equal(await sheet.getAttribute('aria-modal'), 'true');
  assert.equal(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count(), 1, 'named by its heading');
  assert.ok(await focusInside('help-sheet'), 'focus starts inside');
  for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    assert.ok(await focusInside('help-sheet'), `focus is still inside after ${key}`);
  }
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
});

test('the palette is a modal dialog named for assistive tools, and a click on the backdrop closes it', async () => {
  const { page } = app;
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await palette.waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Command palette' }).count(), 1);
  await page.mouse.click(5, 5);
  await palette.waitFor({ state: 'detached' });
});
