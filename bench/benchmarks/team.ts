import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdServer } from '../../test/harness/index';
import { harnessProfile } from '../../test/support/profiles';
import { startTeamPostgres, type TeamPostgresServer } from '../../test/harness/postgres-team';
import { tempCore, type TempCore } from '../../test/support/temp-core';
import type { IncidentEvent } from '../../src/shared/incident';
import { result, round, type Benchmark } from '../types';

interface Stage {
  team: TeamPostgresServer;
  sshd: SshdServer;
  knownHosts: string;
  close(): Promise<void>;
}

async function stage(): Promise<Stage> {
  const [team, sshd] = await Promise.all([startTeamPostgres(), startSshd()]);
  const dir = mkdtempSync(join(tmpdir(), 'opsconsole-bench-team-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLine + '\n');
  return {
    team,
    sshd,
    knownHosts,
    close: async () => (
      await Promise.all([team.stop(), sshd.dispose()]),
      rmSync(dir, { recursive: true, force: true })
    ),
  };
}

/** A responder whose team database is reached through a profile's SSH session (one hop). */
async function responderOverSsh(s: Stage, name: string, live: boolean): Promise<TempCore> {
  const temp = tempCore({ teamLive: live, knownHostsFiles: [s.knownHosts], operator: name });
  await temp.core.invoke('profiles.save', {
    profile: harnessProfile(
      'team-db',
      {
        sshd: s.sshd,
        pg: { port: s.team.port, database: 'app', user: s.team.teamUser, password: s.team.teamPassword },
      },
      'staging',
      { postgres: { sslmode: 'disable' } },
    ),
  });
  await temp.core.invoke('team.connect', { profile: 'team-db', confirm: 'team-db', displayName: name });
  return temp;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One note at a time from A; the time until B's core announces it (LISTEN/NOTIFY, fetched from the table). */
async function fanout(s: Stage, n: number): Promise<number[]> {
  const a = await responderOverSsh(s, 'alice', true);
  const b = await responderOverSsh(s, 'bob', true);
  try {
    const { id } = await a.core.invoke('incidents.start', { title: 'bench fanout', severity: 'P2' });
    await a.core.invoke('team.sync', {});
    await b.core.invoke('team.join', { id });
    const latencies: number[] = [];
    for (let i = 0; i < n; i++) {
      const text = `fanout ${i}`;
      const arrived = new Promise<void>((resolve) => {
        const stop = b.core.subscribe((name, payload) => {
          if (name === 'onIncidentEvent' && (payload as IncidentEvent).payload.text === text) (stop(), resolve());
        });
      });
      const started = performance.now();
      await a.core.invoke('incidents.note', { id, text });
      await arrived;
      latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    await a.dispose();
    await b.dispose();
  }
}

/** 10,000 events recorded while the team database is down, then one sync after it is back. */
async function catchup(s: Stage, n: number): Promise<number> {
  const a = await responderOverSsh(s, 'alice', false);
  try {
    const { id } = await a.core.invoke('incidents.start', { title: 'bench catch-up', severity: 'P2' });
    await a.core.invoke('team.sync', {});
    s.team.pause();
    // Through the contract, as the operator adds them: the real recorder fills the outbox (not timed).
    for (let i = 0; i < n; i++) await a.core.invoke('incidents.note', { id, text: `offline ${i}` });
    s.team.resume();
    const started = performance.now();
    const synced = await a.core.invoke('team.sync', {});
    const seconds = (performance.now() - started) / 1000;
    if (synced.outbox !== 0 || synced.shipped < n)
      throw new Error(`catch-up left ${synced.outbox} in the outbox (shipped ${synced.shipped})`);
    return seconds;
  } finally {
    s.team.resume();
    await a.dispose();
  }
}

export const teamBenchmarks: Benchmark[] = [
  {
    id: 'team',
    description:
      'Team mode: one event from A visible at B through the team database behind one SSH hop (p95 over 1,000 events); 10,000 events recorded offline shipped after reconnect',
    async run({ log }) {
      const s = await stage();
      try {
        const latencies = await fanout(s, 1000);
        const p95 = percentile(latencies, 95);
        log(
          `  fanout p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
        );
        const seconds = await catchup(s, 10_000);
        log(`  catch-up of 10,000 events ${seconds.toFixed(2)} s`);
        return [
          result({
            id: 'team.fanout_p95_ms',
            unit: 'ms',
            value: round(p95, 1),
            anchor: null,
            goal: { of: 'value', op: '<', limit: 500 },
            note: '1,000 notes, A and B each through a profile over one SSH hop',
          }),
          result({
            id: 'team.catchup_10k_s',
            unit: 's',
            value: seconds,
            anchor: null,
            goal: { of: 'value', op: '<', limit: 5 },
            note: 'one team sync after the team database came back',
          }),
        ];
      } finally {
        await s.close();
      }
    },
  },
];
