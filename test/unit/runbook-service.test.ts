import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempCore } from '../support/temp-core';

const folder = mkdtempSync(join(tmpdir(), 'opsconsole-runbook-folder-'));
const temp = tempCore();
after(async () => {
  await temp.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('runbooks contract', () => {
  it('lists the bundled runbooks with their metadata', async () => {
    const list = await temp.core.invoke('runbooks.list', {});
    const postgres = list.find((r) => r.title === 'Postgres on call');
    assert.ok(postgres, list.map((r) => r.title).join(', '));
    assert.equal(postgres.source, 'bundled');
    assert.equal(postgres.service, 'postgres');
    assert.ok(postgres.tags.includes('vacuum'));
    assert.equal(postgres.risk, 'dangerous');
    assert.equal(postgres.errors, 0);
    assert.ok(list.some((r) => r.title === 'Incident response'));
  });

  it('adds the operator folders from Settings and tells when a runbook there changes', async () => {
    mkdirSync(join(folder, 'team'));
    writeFileSync(
      join(folder, 'team', 'api.md'),
      '---\nservice: api\ntags: [http]\n---\n# API\n```bash\ncurl -s https://api.example.com/health\n```\n',
    );
    await temp.core.invoke('settings.update', { patch: { runbookFolders: [folder] } });
    const api = (await temp.core.invoke('runbooks.list', {})).find((r) => r.title === 'API');
    assert.deepEqual([api?.source, api?.service, api?.steps], ['folder', 'api', 1]);
    const changed = new Promise<unknown>((resolve) => {
      const stop = temp.core.subscribe((name, payload) => {
        if (name === 'onRunbooksChanged') (stop(), resolve(payload));
      });
    });
    writeFileSync(join(folder, 'team', 'api.md'), '# API v2\n');
    assert.deepEqual(await changed, { folder });
    const plan = await temp.core.invoke('runbooks.open', { path: join(folder, 'team', 'api.md') });
    assert.equal(plan.title, 'API v2');
  });

  it('opens pasted text, and refuses a path outside the library', async () => {
    const plan = await temp.core.invoke('runbooks.open', {
      text: '# Pasted\n```sql\nSELECT 1;\n```\n',
      name: 'pasted.md',
    });
    assert.equal(plan.steps[0]?.risk, 'read');
    await assert.rejects(
      temp.core.invoke('runbooks.open', { path: '/etc/passwd' }),
      (error: { code: string; message: string }) =>
        error.code === 'not_found' && /not in the runbook library/.test(error.message),
    );
    await assert.rejects(
      temp.core.invoke('runbooks.open', { path: '' }),
      (error: { code: string }) => error.code === 'invalid_input',
    );
  });

  it('lints the library when no path is given, and only the library', async () => {
    const report = await temp.core.invoke('runbooks.lint', {});
    assert.ok(report.files.length >= 5);
    assert.equal(report.errors, 0);
    const one = await temp.core.invoke('runbooks.lint', { paths: [join(folder, 'team')] });
    assert.equal(one.files.length, 1);
    await assert.rejects(
      temp.core.invoke('runbooks.lint', { paths: ['/etc/hostname'] }),
      (error: { code: string }) => error.code === 'not_found',
    );
  });
});
