import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CastRecorder } from '../../src/main/terminals/cast-recorder';
import { OutputPump } from '../../src/main/terminals/output-pump';
import { bracketedPasteSwitch, fillParameters, pasteBytes } from '../../src/main/terminals/send-command';
import { flagCommand, isOpenableLink, parseCast } from '../../src/shared/terminal';

const dir = mkdtempSync(join(tmpdir(), 'opsconsole-cast-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let clock = 0;
function recorder(name: string, redact = (t: string) => t) {
  const path = join(dir, name + '.cast');
  const rec = new CastRecorder({
    path,
    header: { version: 2, width: 80, height: 24 },
    redact,
    limitBytes: 10_000,
    nowMs: () => clock,
  });
  return { rec, read: async () => (await rec.close(), parseCast(readFileSync(path, 'utf8'))) };
}
const inputs = (events: [number, string, string][]) =>
  events
    .filter(([, t]) => t === 'i')
    .map(([, , d]) => d)
    .join('');

test('echoed typing is recorded as typed; a line typed blind (no echo) is masked', async () => {
  const { rec, read } = recorder('echo');
  for (const key of 'ls') {
    rec.input(key);
    clock += 10;
    rec.output(key);
  }
  rec.input('\r');
  rec.output('\r\nfile\r\n$ ');
  rec.input('s3cret\r'); // echo off: the shell prints only what follows
  clock += 10;
  rec.output('\r\nok\r\n$ ');
  const cast = await read();
  assert.equal(inputs(cast.events), 'ls\r******\r');
  assert.ok(
    cast.events.every(([time], i) => i === 0 || time >= cast.events[i - 1]![0]),
    'times never go back',
  );
});

test('after a password prompt, typing is masked at once, until Enter', async () => {
  const { rec, read } = recorder('prompt');
  rec.output('[sudo] password for ops: ');
  rec.input('hunter2');
  rec.input('\r');
  rec.output('\r\n$ ');
  rec.input('id');
  rec.output('id');
  const cast = await read();
  assert.equal(inputs(cast.events), '*******\rid');
});

test('secret values are masked in input and output, even split across chunks', async () => {
  const { rec, read } = recorder('secrets', (t) => t.replaceAll('vault-pw', '[redacted]'));
  rec.addSecrets(['tok-123456']);
  rec.inputMasked(rec.mask('curl -H "X: tok-123456"\r'));
  rec.output('curl -H "X: tok-12');
  rec.output('3456"\r\nvault-pw\r\n');
  const text = JSON.stringify(await read());
  assert.equal(text.includes('tok-123456'), false);
  assert.equal(text.includes('tok-12'), false, 'the first half never reached the file alone');
  assert.equal(text.includes('vault-pw'), false);
  assert.match(text, /\*{8}/);
});

test('output past the size cap is dropped with a marker', async () => {
  const { rec, read } = recorder('cap');
  for (let i = 0; i < 100; i++) rec.output('x'.repeat(500));
  const cast = await read();
  assert.ok(cast.events.some(([, t, d]) => t === 'm' && /truncated/.test(d)));
  assert.ok(cast.events.length < 40);
});

test('parseCast rejects what is not asciicast v2', () => {
  assert.throws(() => parseCast('{"version":1,"width":80,"height":24}\n'), /version must be 2/);
  assert.throws(() => parseCast('{"version":2,"width":80,"height":24}\n[1,"x","a"]\n'), /Line 2/);
  assert.throws(() => parseCast('{"version":2,"width":80,"height":24}\n[2,"o","a"]\n[1,"o","b"]\n'), /not before/);
});

test('the pump batches output, pauses above the high watermark and resumes below the low one', async () => {
  const calls: string[] = [];
  const sent: string[] = [];
  const pump = new OutputPump(
    { pause: () => calls.push('pause'), resume: () => calls.push('resume') },
    (d) => sent.push(d),
    { highWatermark: 100, lowWatermark: 20, batchMs: 5, batchChars: 50 },
  );
  pump.push('a'.repeat(10));
  pump.push('b'.repeat(10));
  assert.equal(sent.length, 0, 'small output waits for the batch timer');
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sent, ['a'.repeat(10) + 'b'.repeat(10)]);
  for (let i = 0; i < 3; i++) pump.push('c'.repeat(50));
  assert.deepEqual(calls, ['pause']);
  pump.ack(100);
  assert.deepEqual(calls, ['pause'], 'still above the low watermark');
  pump.ack(60);
  assert.deepEqual(calls, ['pause', 'resume']);
  assert.equal(pump.stats().peakBuffered, 170);
});

test('a window taking the pump over gets the last output from a line start, and a shell paused for the gone window resumes', () => {
  const calls: string[] = [];
  const pump = new OutputPump(
    { pause: () => calls.push('pause'), resume: () => calls.push('resume') },
    () => undefined,
    { highWatermark: 100, lowWatermark: 20, batchMs: 5, batchChars: 10 },
    30,
  );
  // 15 lines of 8 characters, sent two at a time; the 15th still waits for its batch.
  for (let line = 1; line <= 15; line++) pump.push(`line ${String(line).padStart(2, '0')}\n`);
  assert.deepEqual(calls, ['pause'], 'nobody acknowledged: paused above the high watermark');
  const screen = pump.takeOver();
  assert.equal(screen, 'line 12\nline 13\nline 14\n', 'what was sent, at most 30 characters, cut at a line start');
  assert.deepEqual(calls, ['pause', 'resume'], 'what the gone window never acknowledged is forgotten');
  assert.equal(pump.stats().unacked, 0);
  pump.push('tail\n');
  assert.equal(pump.takeOver(), 'line 13\nline 14\nline 15\ntail\n', 'the tail goes on from there');
});

test('send: parameters filled, paste bracketed when the shell asked, Enter only on run', () => {
  assert.equal(
    fillParameters('kill {{pid}}; echo <pid> ${pid} $pid $pidx', [{ name: 'pid', value: '42', secret: false }]),
    'kill 42; echo 42 42 42 $pidx',
  );
  assert.equal(pasteBytes('ls', { bracketedPaste: false, run: false }), 'ls');
  assert.equal(pasteBytes('ls', { bracketedPaste: true, run: true }), '\x1b[200~ls\x1b[201~\r');
  assert.throws(() => pasteBytes('a\nb', { bracketedPaste: false, run: false }), /bracketed paste/);
  assert.equal(bracketedPasteSwitch('x\x1b[?2004h$ '), true);
  assert.equal(bracketedPasteSwitch('\x1b[?2004h…\x1b[?2004l'), false);
  assert.equal(bracketedPasteSwitch('plain'), undefined);
});

test('dangerous text is flagged; links must be https', () => {
  for (const text of [
    'rm -rf /',
    'rm -fr dir',
    'rm -r -f x',
    'psql -c "DROP TABLE users"',
    'redis-cli flushall',
    'DELETE FROM users',
    'kubectl delete pod x',
  ]) {
    assert.equal(flagCommand(text).dangerous, true, text);
  }
  for (const text of ['rm file.txt', 'tail -f log', 'DELETE FROM users WHERE id = 1', 'echo dropbox']) {
    assert.equal(flagCommand(text).dangerous, false, text);
  }
  assert.equal(isOpenableLink('https://grafana.example.com/d/abc?x=1'), true);
  assert.equal(isOpenableLink('http://example.com'), false);
  assert.equal(isOpenableLink('https://user:pw@example.com'), false);
  assert.equal(isOpenableLink('javascript:alert(1)'), false);
});
