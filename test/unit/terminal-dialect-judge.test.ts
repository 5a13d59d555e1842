import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unjudgedDialect } from '../../src/main/terminals/terminal-registry';

// The runbook judge reads POSIX shell. PowerShell parses `a\;` (a backslash is not an escape
// there, so `;` ends the statement) and ‘ ’ quotes its own way: text the POSIX judge calls a read
// can delete a folder in PowerShell. Until there is a PowerShell judge, such text asks first.

test('text for a PowerShell terminal is unknown, never a read, whatever the POSIX judge says', () => {
  for (const text of [
    'echo a\\; Remove-Item -Recurse -Force C:\\data',
    "echo 'x ‘; Remove-Item -Recurse C:\\data; ‘ y'",
    'Get-Content C:\\x.log -Tail 5',
    'ls -la',
  ]) {
    const verdict = unjudgedDialect(text, 'powershell');
    assert.equal(verdict?.risk, 'unknown', text);
    assert.match(verdict!.reasons[0]!, /POSIX shell only/);
  }
  // A POSIX terminal keeps the POSIX judge; a bare Enter runs nothing.
  assert.equal(unjudgedDialect('echo a\\; Remove-Item -Recurse -Force C:\\data', 'posix'), undefined);
  assert.equal(unjudgedDialect('', 'powershell'), undefined);
});
