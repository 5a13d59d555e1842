/**
 * The child of the watchdog clock drill (test/integration/clock-faults-watchdog.test.ts): run
 * under libfaketime, whose wall clock the parent moves back while an SSH session is open. It
 * connects, says "ready", waits for "frozen" on stdin (the parent has moved the clock back and
 * frozen the server), then reports on stdout how long the watchdog took by the monotonic clock,
 * what the wall clock did meanwhile, and what the incident export says about the jump.
 */
import { createInterface } from 'node:readline';
import type { SessionStateEvent } from '../../src/shared/contract';
import { harnessProfile } from './profiles';
import { tempCore } from './temp-core';

const server = JSON.parse(process.env.DRILL_SSHD!) as {
  host: string;
  port: number;
  user: string;
  clientKeyPath: string;
};
const temp = tempCore({ hostKeyPrompter: { ask: async () => true } });
const states: SessionStateEvent[] = [];
temp.core.subscribe((name, payload) => {
  if (name === 'onSessionState') states.push(payload as SessionStateEvent);
});
const say = (message: object) => process.stdout.write(JSON.stringify(message) + '\n');

const { id } = await temp.core.invoke('incidents.start', { title: 'clock back during a session', severity: 'P3' });
const profile = await temp.core.invoke('profiles.save', {
  profile: harnessProfile('drill', { sshd: server }),
});
await temp.core.invoke('sessions.connect', { profileId: profile.id });
say({ ready: true, wall: Date.now() });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  // "clock": the parent asks what the wall clock says now (libfaketime rereads its offset file lazily).
  if (line.trim() === 'clock') say({ wall: Date.now() });
  if (line.trim() !== 'frozen') continue;
  const started = performance.now();
  const wallAtFreeze = Date.now();
  const seen = states.length;
  while (!states.slice(seen).some((s) => s.state === 'reconnecting') && performance.now() - started < 45_000)
    await new Promise((r) => setTimeout(r, 50));
  const detectedMs = Math.round(performance.now() - started);
  await temp.core.invoke('sessions.disconnect', { profileId: profile.id });
  await temp.core.invoke('incidents.note', { id, text: 'after the watchdog fired' });
  const report = await temp.core.invoke('incidents.report', { id, foldReads: false });
  const clockNotes = report.timeline.map((e) => (e as { clockNote?: string }).clockNote).filter(Boolean);
  say({ detectedMs, wallAtFreeze, states: states.slice(seen).map((s) => s.state), clockNotes });
  break;
}
lines.close();
await temp.dispose();
