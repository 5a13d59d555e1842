import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameFingerprint } from '../../src/shared/fingerprint';
import { shortcutLabel } from '../../src/shared/shortcut-label';

test('shortcut labels match the platform: ⌘ on macOS, Ctrl on Linux and Windows', () => {
  assert.equal(shortcutLabel('Ctrl/⌘ K', 'MacIntel'), '⌘ K');
  assert.equal(shortcutLabel('Ctrl/⌘ Shift L', 'Linux x86_64'), 'Ctrl Shift L');
  assert.equal(shortcutLabel('Ctrl/⌘ ,', 'Win32'), 'Ctrl ,');
  assert.equal(shortcutLabel('Esc', 'MacIntel'), 'Esc');
});

test('a pasted published fingerprint is compared as written or without SHA256:, spaces and padding', () => {
  const presented = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
  assert.equal(sameFingerprint('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8', presented), true);
  assert.equal(sameFingerprint(' nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8= ', presented), true);
  assert.equal(sameFingerprint('SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY9', presented), false);
  assert.equal(sameFingerprint('', presented), false, 'nothing pasted is no match');
});
