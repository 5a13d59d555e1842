import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runbookFolderProblem } from '../../src/main/runbooks/folder-check';
import { tempCore } from '../support/temp-core';

test('runbook folders refuse /, the home folder itself, folders above it and system folders, naming why', () => {
  const home = mkdtempSync(join(tmpdir(), 'opsconsole-home-'));
  try {
    mkdirSync(join(home, 'runbooks'));
    symlinkSync('/', join(home, 'everything'));
    const problem = (folder: string) => runbookFolderProblem(folder, home);
    assert.match(problem('/')!, /root of the disk/);
    assert.match(problem(home)!, /your home folder itself/);
    assert.match(problem('~')!, /your home folder itself/);
    assert.match(problem(join(home, '..'))!, /holds your home folder/);
    assert.match(problem(join(home, 'everything'))!, /root of the disk/, 'a link to / is /');
    for (const system of ['/etc', '/usr/share/doc', '/var', '/proc', '/sys/kernel', '/home', '/Users'])
      assert.ok(problem(system), system);
    assert.match(problem('runbooks')!, /not an absolute path/);
    assert.equal(problem(join(home, 'runbooks')), null);
    assert.equal(problem('~/runbooks'), null);
    assert.equal(problem('/srv/team/runbooks'), null);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('settings.update refuses such a folder with the line and the fix; nothing is saved', async () => {
  const temp = tempCore();
  const good = mkdtempSync(join(tmpdir(), 'opsconsole-runbooks-'));
  try {
    writeFileSync(join(good, 'restart.md'), '# Restart\n');
    await assert.rejects(temp.core.invoke('settings.update', { patch: { runbookFolders: [good, '/'] } }), {
      code: 'invalid_input',
      message: /^runbookFolders\.1 "\/" is the root of the disk .*choose the folder that holds your runbooks/,
    });
    assert.deepEqual((await temp.core.invoke('settings.get', {})).runbookFolders, []);
    const saved = await temp.core.invoke('settings.update', { patch: { runbookFolders: [good] } });
    assert.deepEqual(saved.runbookFolders, [good]);
  } finally {
    await temp.dispose();
    rmSync(good, { recursive: true, force: true });
  }
});
