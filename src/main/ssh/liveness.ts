/**
 * Decides, once a second, whether each hop of a chain is alive. Like OpenSSH's ServerAlive, any
 * byte received counts as an answer (a big transfer on a slow link is not mistaken for a dead
 * server, as a ping-reply counter would), an idle hop is probed, and a hop silent for
 * `deadAfterMs` is dead: within 10 s, as the operator was promised.
 */
export interface LivenessPolicy {
  /** An idle hop is probed after this long without a byte. */
  probeAfterMs: number;
  /** A hop silent this long is dead. */
  deadAfterMs: number;
  /** After the timers stalled (the laptop slept), how long hops get to answer a probe. */
  resumeGraceMs: number;
  /** A gap this long between two ticks (meant to be 1 s apart) means the timers stalled. */
  stallMs: number;
}

export interface LivenessVerdict {
  /** Hops to probe now. */
  probe: number[];
  /** The first dead hop, if any, and how long it was silent. */
  dead?: { hop: number; silentMs: number };
  /** The longest silence across hops: above probeAfterMs + 1 s the session is degraded. */
  silentMs: number;
  degraded: boolean;
  /** The timers stalled since the last tick (sleep, or a blocked event loop). */
  resumed: boolean;
}

export function livenessPolicy(keepaliveIntervalMs: number): LivenessPolicy {
  return { probeAfterMs: Math.min(keepaliveIntervalMs, 3000), deadAfterMs: 8000, resumeGraceMs: 5000, stallMs: 2500 };
}

export class Liveness {
  readonly #heard: number[];
  readonly #probed: number[];
  #lastTick: number;

  constructor(
    private readonly policy: LivenessPolicy,
    hops: number,
    now: number,
  ) {
    this.#heard = Array.from({ length: hops }, () => now);
    this.#probed = Array.from({ length: hops }, () => now);
    this.#lastTick = now;
  }

  heard(hop: number, now: number): void {
    this.#heard[hop] = now;
  }

  tick(now: number): LivenessVerdict {
    const { probeAfterMs, deadAfterMs, resumeGraceMs, stallMs } = this.policy;
    const resumed = now - this.#lastTick > stallMs;
    this.#lastTick = now;
    const probe: number[] = [];
    let dead: LivenessVerdict['dead'];
    let silentMs = 0;
    this.#heard.forEach((heard, hop) => {
      // Time spent asleep is nobody's silence: give every hop the grace to answer a fresh probe.
      if (resumed) this.#heard[hop] = heard = Math.max(heard, now - (deadAfterMs - resumeGraceMs));
      const silent = now - heard;
      silentMs = Math.max(silentMs, silent);
      if (silent > deadAfterMs && !dead) dead = { hop, silentMs: silent };
      if (resumed || (silent >= probeAfterMs && now - this.#probed[hop]! >= probeAfterMs)) {
        this.#probed[hop] = now;
        probe.push(hop);
      }
    });
    return { probe, dead, silentMs, degraded: silentMs > probeAfterMs + 1000, resumed };
  }
}
