import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { IncidentEvent } from '../../src/shared/incident';
import { parseCast } from '../../src/shared/terminal';
import { passwordUser, startSshd, type SshdServer } from '../harness/index';
import { harnessProfile } from '../support/profiles';
import { openApp, type AppUnderTest } from '../support/app-under-test';

let sshd: SshdServer;
let app: AppUnderTest;

before(async () => {
  // A bare bash through sshd's pty: the account's rc files are not under test (see terminal-remote.test.ts).
  sshd = await startSshd({ config: ['ForceCommand exec /bin/bash --noprofile --norc -i'] });
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  app = await openApp({ knownHostsFiles: [knownHosts] });
  const account = passwordUser();
  await app.temp.core.invoke('profiles.save', {
    profile: harnessProfile('bastion-eu', { sshd }, 'staging', { sshAccount: account }),
  });
  // xterm's DOM renderer, so the screen can be read as text (headless Chromium has WebGL too).
  await app.page.evaluate(() => localStorage.setItem('opsconsole.terminalPrefs', JSON.stringify({ gpu: false })));
  await app.page.reload();
});
after(async () => {
  await app?.close();
  await sshd?.dispose();
});

/** The active terminal's screen as text (xterm's DOM renderer draws rows as elements). */
function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const rows = document.querySelector('.terminal-host.active .xterm-rows');
    return [...(rows?.children ?? [])].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

async function waitForScreen(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await screenText(page);
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${pattern} on the terminal screen:\n${text}`);
}

test('open a bastion terminal, type, see the output, resize, send a step, find it in the recording', async () => {
  const { page } = app;
  await page.getByTestId('profile-item-bastion-eu').click();
  if (!(await page.getByTestId('terminal-dock').isVisible())) await page.keyboard.press('Control+j');
  await page.getByTestId('terminal-dock').waitFor();
  await page.getByTestId('terminal-open-remote').click();
  await page.getByTestId('terminal-tab').waitFor();
  const [info] = await app.temp.core.invoke('terminals.list', {});
  assert.equal(info?.kind, 'remote');

  await page.locator('.terminal-host.active').click();
  await page.keyboard.type("export PS1='$ '; echo hel''lo\n");
  await waitForScreen(page, /^hello\s*$/m);

  // 24-bit colour, drawn by the DOM renderer within the CSP (a style on the cell, no violation).
  await page.keyboard.type("printf '\\033[38;2;255;0;0mtrue-red\\033[0m\\n'\n");
  await waitForScreen(page, /^true-red\s*$/m);
  const red = await page.evaluate(() => {
    const cells = [...document.querySelectorAll('.terminal-host.active .xterm-rows span')];
    const cell = cells.find((span) => span.textContent?.startsWith('true-red') && span.getAttribute('style'));
    return cell ? getComputedStyle(cell).color : undefined;
  });
  assert.equal(red, 'rgb(255, 0, 0)', 'the 24-bit colour reached the cell');
  // A selection dragged across the output (its background is a style on the selected cells).
  const box = (await page.locator('.terminal-host.active .xterm-screen').boundingBox())!;
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 60, { steps: 5 });
  await page.mouse.up();
  assert.deepEqual(app.consoleErrors, [], 'colour and selection within the CSP');

  // The pty follows the pane: a bigger window, a bigger terminal, and the shell sees it.
  const before = (await app.temp.core.invoke('terminals.list', {}))[0]!;
  await page.setViewportSize({ width: 1500, height: 1000 });
  const deadline = Date.now() + 5000;
  let after = before;
  while (after.cols === before.cols && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    after = (await app.temp.core.invoke('terminals.list', {}))[0]!;
  }
  assert.ok(after.cols > before.cols, `columns grew from ${before.cols} to ${after.cols}`);
  await page.keyboard.type('stty size\n');
  await waitForScreen(page, new RegExp(`^${after.rows} ${after.cols}\\s*$`, 'm'));

  // A runbook's shell step sent with Run (what the runbook panel calls), with a secret parameter.
  await app.temp.core.invoke('terminals.send', {
    terminalId: info!.terminalId,
    command: 'TOKEN={{token}}; echo "step-$((20+22)) length ${#TOKEN}"',
    parameters: [{ name: 'token', value: 'e2e-very-secret', secret: true }],
    run: true,
  });
  await waitForScreen(page, /^step-42 length 15\s*$/m);

  // Closing the tab ends the recording; it lands in the incident timeline as an attachment.
  await page.getByTestId('terminal-close').click();
  await page.getByTestId('terminal-tab').waitFor({ state: 'detached' });
  let events: IncidentEvent[] = [];
  const until = Date.now() + 5000;
  while (Date.now() < until && !events.some((e) => e.kind === 'terminal.recording')) {
    const active = await app.temp.core.invoke('incidents.active', {});
    events = active ? await app.temp.core.invoke('incidents.events', { id: active.id }) : [];
    if (!events.some((e) => e.kind === 'terminal.recording')) await new Promise((r) => setTimeout(r, 100));
  }
  const recording = events.find((e) => e.kind === 'terminal.recording');
  assert.ok(recording, 'the incident timeline has the terminal recording');
  const { cast } = await app.temp.core.invoke('terminals.recording', { castId: info!.castId });
  const parsed = parseCast(cast);
  assert.ok(
    parsed.events.some(([, type, data]) => type === 'o' && data.includes('step-42')),
    'the step and its output are in the cast',
  );
  assert.equal(cast.includes('e2e-very-secret'), false, 'the secret parameter is masked in the cast');
  assert.deepEqual(app.consoleErrors, [], 'no console errors (CSP violations included)');
});

test('a terminal open when the window reloads comes back with its screen, and a shell paused meanwhile goes on', async () => {
  const { page } = app;
  await page.getByTestId('profile-item-bastion-eu').click();
  if (!(await page.getByTestId('terminal-dock').isVisible())) await page.keyboard.press('Control+j');
  await page.getByTestId('terminal-open-remote').click();
  await page.getByTestId('terminal-tab').waitFor();
  await page.locator('.terminal-host.active').click();
  await page.keyboard.type("export PS1='$ '; echo before-reload-$((6*7))\n");
  await waitForScreen(page, /^before-reload-42\s*$/m);

  // About 2.6 MB of output while no window reads it: far above the high watermark, so the core
  // pauses the shell for the window that is gone. The new window's scripts are held back 2 s.
  await page.route('**/assets/*.js', async (route) => {
    await new Promise((r) => setTimeout(r, 2000));
    await route.continue();
  });
  await page.keyboard.type('sleep 0.3; seq 1 400000; echo after-reload-$((40+2))\n');
  await page.reload();
  await page.unroute('**/assets/*.js');
  await page.getByTestId('terminal-tab').waitFor();
  await waitForScreen(page, /^after-reload-42\s*$/m, 20_000);
  assert.equal((await app.temp.core.invoke('terminals.list', {})).length, 1, 'the same shell, not a new one');
  // Reloaded once more with the shell quiet: what is on the screen can only be the core's replay.
  await page.reload();
  await page.getByTestId('terminal-tab').waitFor();
  await waitForScreen(page, /^399999\s*\n400000\s*\nafter-reload-42\s*$/m);

  // The window drives it as before: typing reaches the shell.
  await page.locator('.terminal-host.active').click();
  await page.keyboard.type('echo still-$((1+1))\n');
  await waitForScreen(page, /^still-2\s*$/m);
  await page.getByTestId('terminal-close').click();
  await page.getByTestId('terminal-tab').waitFor({ state: 'detached' });
  assert.deepEqual(app.consoleErrors, [], 'no console errors');
});

test('with the GPU on, the WebGL renderer arrives in its own chunk after the terminal opens, within the CSP', async () => {
  const { page } = app;
  await page.evaluate(() => localStorage.setItem('opsconsole.terminalPrefs', JSON.stringify({ gpu: true })));
  const webglChunks: string[] = [];
  page.on('request', (request) => /addon-webgl/.test(request.url()) && webglChunks.push(request.url()));
  await page.reload();
  await page.getByTestId('profile-item-bastion-eu').click();
  if (!(await page.getByTestId('terminal-dock').isVisible())) await page.keyboard.press('Control+j');
  await page.getByTestId('terminal-open-remote').click();
  await page.locator('.terminal-host.active[data-renderer="webgl"]').waitFor({ state: 'attached' });
  assert.equal(webglChunks.length, 1, 'fetched once, when a terminal first needs it');
  assert.deepEqual(app.consoleErrors, [], 'no console errors (CSP violations included)');
});
