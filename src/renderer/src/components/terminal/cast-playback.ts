import type { CastEvent } from '../../../../shared/terminal';

/** Pauses longer than this play back as this long (asciinema's idle_time_limit). */
export const idleLimitSeconds = 2;

/** Event times with long pauses shortened, so a replay shows activity, not waiting. */
export function compressIdle(events: CastEvent[], limit = idleLimitSeconds): CastEvent[] {
  let shift = 0;
  let previous = 0;
  return events.map(([time, type, data]) => {
    const gap = time - previous;
    if (gap > limit) shift += gap - limit;
    previous = time;
    return [time - shift, type, data];
  });
}

/**
 * Plays events into a sink at `speed`, starting at event `from`; returns a stop function.
 * Output and resizes are played; typed input is already visible through the echo.
 */
export function play(
  events: CastEvent[],
  from: number,
  speed: number,
  sink: { output(data: string): void; resize(cols: number, rows: number): void; progress(index: number): void },
): () => void {
  let index = from;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const startTime = events[from]?.[0] ?? 0;
  const startedAt = performance.now();
  const step = () => {
    const elapsed = ((performance.now() - startedAt) / 1000) * speed + startTime;
    while (index < events.length && events[index]![0] <= elapsed) apply(events[index++]!, sink);
    sink.progress(index);
    if (index < events.length) timer = setTimeout(step, Math.max(0, ((events[index]![0] - elapsed) * 1000) / speed));
  };
  step();
  return () => clearTimeout(timer);
}

export function apply(
  [, type, data]: CastEvent,
  sink: { output(data: string): void; resize(cols: number, rows: number): void },
): void {
  if (type === 'o') sink.output(data);
  else if (type === 'r') {
    const match = /^(\d+)x(\d+)$/.exec(data);
    if (match) sink.resize(Number(match[1]), Number(match[2]));
  }
}
