import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostKeyPrompt } from '../../src/shared/contract';
import { OpsError } from '../../src/main/errors';
import { HostKeyPrompts } from '../../src/main/ssh/host-key-prompts';

const question = { host: 'bastion.prod', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' };

test('a host-key question names its profile, is answered once, then is no longer open', async () => {
  const asked: HostKeyPrompt[] = [];
  const prompts = new HostKeyPrompts((prompt) => asked.push(prompt));
  const trusted = prompts.prompterFor('p-1').ask(question);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.profileId, 'p-1');
  assert.equal(asked[0]!.fingerprint, 'SHA256:abc');
  prompts.answer(asked[0]!.promptId, true);
  assert.equal(await trusted, true);
  assert.throws(
    () => prompts.answer(asked[0]!.promptId, true),
    (e: unknown) => e instanceof OpsError && e.code === 'not_found' && /no longer open/.test(e.message),
  );
});

test('an unanswered question counts as "no" after the timeout, and disposing answers every open one "no"', async () => {
  const prompts = new HostKeyPrompts(() => undefined, 20);
  assert.equal(await prompts.prompterFor('p-1').ask(question), false);
  const lasting = new HostKeyPrompts(() => undefined, 60_000);
  const open = [lasting.prompterFor('a').ask(question), lasting.prompterFor('b').ask(question)];
  lasting.dispose();
  assert.deepEqual(await Promise.all(open), [false, false]);
});
