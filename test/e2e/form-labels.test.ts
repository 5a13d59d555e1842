import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApp, type AppUnderTest } from '../support/app-under-test';

let app: AppUnderTest;

before(async () => {
  app = await openApp();
});
after(async () => {
  await app?.close();
});

test('the Start incident form is filled by its labels; the severity select is named "Severity", not its options or hint', async () => {
  const { page } = app;
  await page.getByTestId('toggle-timeline').click();
  const form = page.getByRole('form', { name: 'Start an incident' });
  await form.getByLabel('Title', { exact: true }).fill('Checkout latency');
  await form.getByRole('combobox', { name: 'Severity', exact: true }).selectOption('P1');
  await form.getByLabel('Commander (optional)').fill('ana');
  await form.getByRole('button', { name: 'Start incident' }).click();
  await page.getByTestId('incident-heading').filter({ hasText: 'P1 · Checkout latency' }).waitFor();
  const [incident] = await app.temp.core.invoke('incidents.list', {});
  assert.equal(incident?.severity, 'P1');
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('mitigated');
  // The status select in the drawer, reached by its label, changes the incident itself.
  let status: string | undefined;
  for (let i = 0; i < 50 && status !== 'mitigated'; i++, await new Promise((r) => setTimeout(r, 100)))
    status = (await app.temp.core.invoke('incidents.list', {}))[0]?.status;
  assert.equal(status, 'mitigated');
});

test('Settings are changed by their labels and saved', async () => {
  const { page } = app;
  await page.getByTestId('open-settings').click();
  await page.getByRole('textbox', { name: 'Operator name', exact: true }).fill('ana');
  await page.getByRole('textbox', { name: 'Row cap', exact: true }).fill('250');
  await page.getByLabel('Runbook folders (one per line)').fill('');
  await page.getByRole('combobox', { name: 'Log level', exact: true }).selectOption('debug');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByTestId('settings-message').filter({ hasText: 'Settings saved.' }).waitFor();
  const settings = await app.temp.core.invoke('settings.get', {});
  assert.equal(settings.operatorName, 'ana');
  assert.equal(settings.defaultRowCap, 250);
  assert.equal(settings.logLevel, 'debug');
  assert.equal(
    await page.getByRole('combobox', { name: 'Team database', exact: true }).count(),
    1,
    "the team form's select is named by its label",
  );
});

test('the runbook library filters are named by their labels alone', async () => {
  const { page } = app;
  await page.getByTestId('open-runbooks').click();
  await page.getByTestId('runbook-item').first().waitFor();
  await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('');
  await page.getByRole('combobox', { name: 'Service', exact: true }).selectOption('postgres');
  const titles = await page.getByTestId('runbook-item').locator('.runbook-item-title').allTextContents();
  assert.ok(titles.includes('Postgres on call') && !titles.includes('Redis on call'), titles.join(', '));
});
