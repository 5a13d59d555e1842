import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startSshd, type SshdServer } from '../harness/index';

const root = fileURLToPath(new URL('../..', import.meta.url));
const libfaketime = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
  '/usr/local/lib/faketime/libfaketimeMT.so.1',
].find(existsSync);

let sshd: SshdServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'watchdog-clock-'));
before(async () => {
  if (libfaketime) sshd = await startSshd();
});
after(async () => {
  await sshd?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'the wall clock set back an hour during a session: the SSH watchdog still fires on time, and the export marks the jump',
  { timeout: 90_000 },
  async (t) => {
    if (!libfaketime || !sshd)
      return t.skip(
        'libfaketime is not installed (apt-get install faketime; scripts/ensure-system.mjs lists it): the clock drill needs it',
      );
    // libfaketime reads the offset from this file (again after at most a second): the parent moves the child's wall clock at will.
    const clockFile = join(dir, 'faketime.rc');
    writeFileSync(clockFile, '+0\n');
    const child = spawn(
      join(root, 'node_modules/.bin/node'),
      ['--import', 'tsx', join(root, 'test/support/watchdog-drill-child.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          LD_PRELOAD: libfaketime,
          FAKETIME_TIMESTAMP_FILE: clockFile,
          FAKETIME_CACHE_DURATION: '1',
          // The kernel never moves the monotonic clock back (NTP and manual changes move the wall clock only).
          FAKETIME_DONT_FAKE_MONOTONIC: '1',
          DRILL_SSHD: JSON.stringify({
            host: sshd.host,
            port: sshd.port,
            user: sshd.user,
            clientKeyPath: sshd.clientKeyPath,
          }),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const frozen: number[] = [];
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async () => JSON.parse((await lines.next()).value as string);
      const ready = await next();
      assert.equal(ready.ready, true);

      writeFileSync(clockFile, '-1h\n');
      // libfaketime rereads the offset after its cache (1 s) expires: on a loaded machine that may
      // take longer, so ask the child until its wall clock has moved back (at most 20 s).
      for (const started = Date.now(); Date.now() - started < 20_000;) {
        await new Promise((r) => setTimeout(r, 500));
        child.stdin!.write('clock\n');
        if ((await next()).wall < ready.wall - 3_500_000) break;
      }
      frozen.push(...sshd.sessionPids());
      sshd.freezeSessions(true);
      child.stdin!.write('frozen\n');
      const result = await next();

      assert.ok(
        result.wallAtFreeze < ready.wall - 3_500_000,
        `the child's wall clock moved back an hour (ready at ${ready.wall}, freeze at ${result.wallAtFreeze})`,
      );
      assert.ok(
        result.states.includes('reconnecting'),
        `the watchdog declared the session dead: ${result.states.join(' → ')}`,
      );
      // Dead after 8 s of silence, checked every second: about 10 s, never the 41 s a wall-clock watchdog took.
      assert.ok(result.detectedMs <= 11_000, `detected ${result.detectedMs} ms after the freeze`);
      assert.ok(
        result.clockNotes.some((note: string) => /^wall clock moved back (59|60) min/.test(note)),
        `the export marks the jump: ${JSON.stringify(result.clockNotes)}`,
      );
    } finally {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      child.kill();
    }
  },
);
