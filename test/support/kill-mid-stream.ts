import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { incidentStack } from './incident-fixture';

/** What a killed recording child had acknowledged: each event's seq and hash, by incident. */
export interface Acknowledged {
  incidentId: string;
  hashes: Map<number, string>;
}

/**
 * Runs `script` (a test file in its child mode, selected by the env variable `childEnv` naming a
 * fresh data folder) which prints "<incidentId> <seq> <hash>" for every acknowledged event, and
 * kills it with SIGKILL once `killAfter` lines arrived: mid-stream, while events are being written.
 */
export async function recordUntilKilled(script: string, childEnv: string, killAfter: number) {
  const dir = incidentStack();
  await dir.close(true);
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, [childEnv]: dir.dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: Acknowledged = { incidentId: '', hashes: new Map() };
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 90_000);
  for await (const line of createInterface({ input: child.stdout! })) {
    const [id, seq, hash] = line.split(' ');
    acknowledged.incidentId = id!;
    assert.equal(acknowledged.hashes.has(Number(seq)), false, `seq ${seq} acknowledged twice`);
    acknowledged.hashes.set(Number(seq), hash!);
    if (acknowledged.hashes.size === killAfter) child.kill('SIGKILL');
  }
  clearTimeout(watchdog);
  assert.equal(await exited, 'SIGKILL');
  assert.ok(acknowledged.hashes.size >= killAfter);
  return { dir: dir.dir, acknowledged };
}

/** Reopens the killed child's store: every acknowledged event is there, unchanged, in a valid chain. */
export function assertAcknowledgedKept(
  reopened: ReturnType<typeof incidentStack>,
  { incidentId, hashes }: Acknowledged,
): { events: number; headHash: string } {
  const stored = new Map(reopened.incidents.service.events(incidentId, 0, 100_000).map((e) => [e.seq, e.hash]));
  for (const [seq, hash] of hashes)
    assert.equal(stored.get(seq), hash, `acknowledged event ${seq} is missing or different`);
  const verification = reopened.incidents.service.verify(incidentId);
  assert.equal(verification.ok, true, JSON.stringify(verification.brokenAt));
  assert.ok(verification.events >= hashes.size);
  return { events: verification.events, headHash: verification.headHash! };
}
