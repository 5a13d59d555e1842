import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { result, type BenchResult } from './types';

// `--contend`: the laptop is never idle. Each selected benchmark runs once more while a CPU hog
// (a busy loop in its own process, so one core stays taken) competes with it; the copies are
// reported under `ID@contended` with their own pass, against the goal's contended limit if any.

/** Starts a process that keeps one core busy until stopped. */
export async function startCpuHog(): Promise<{ stop(): Promise<void> }> {
  const hog: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  await once(hog, 'spawn');
  return {
    async stop() {
      if (hog.exitCode !== null || hog.signalCode !== null) return;
      const exited = once(hog, 'exit');
      hog.kill('SIGKILL');
      await exited;
    },
  };
}

/** The contended copy of a result: `@contended` appended to its id, pass against the contended limit. */
export function asContended(r: BenchResult): BenchResult {
  const { contendedLimit, ...goal } = r.goal;
  return result({
    ...r,
    id: `${r.id}@contended`,
    goal: { ...goal, limit: contendedLimit ?? goal.limit },
    ratio: r.ratio,
  });
}
