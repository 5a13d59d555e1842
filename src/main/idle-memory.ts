import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface IdleMemoryOptions {
  /** How often the event loop's utilization is sampled. */
  checkMs?: number;
  /** Utilization (0–1) under which a check counts as idle. */
  idleBelow?: number;
}

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** V8's own collector: the flag makes `gc` exist in contexts made from now on, not in this one. */
function collector(): Collect {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Collect;
}

/**
 * Gives memory back when the console goes idle, as Chromium's memory reducer does for a background
 * tab. Connecting, classifying and opening terminals grow V8's young generation to its maximum
 * (32 MB) and leave freed pages pooled; an idle process never collects again on its own, so an
 * on-call laptop would carry that for the whole night. Once the event loop has been quiet for a
 * whole check after some work, one full collection with memory reduction returns those pages
 * (about 20 MB of the idle host). It runs again only after more work.
 *
 * Starts the idle check; the returned function stops it. The timer never keeps the process alive.
 */
export function releaseMemoryWhenIdle(options: IdleMemoryOptions = {}): () => void {
  const { checkMs = 3000, idleBelow = 0.02 } = options;
  const collect = collector();
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let workedSinceCollect = true;
  const timer = setInterval(() => {
    const utilization = performance.eventLoopUtilization(last).utilization;
    last = performance.eventLoopUtilization();
    if (utilization >= idleBelow) {
      workedSinceCollect = true;
      return;
    }
    if (!workedSinceCollect) return;
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    workedSinceCollect = false;
    // The collection's own time is not work: the next check starts after it.
    last = performance.eventLoopUtilization();
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
