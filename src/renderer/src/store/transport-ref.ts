import type { Transport } from '../transport';

let current: Transport | undefined;

/** Set once at start-up, before the first render; actions reach the core only through it. */
export function setTransport(transport: Transport): void {
  current = transport;
}

export function transport(): Transport {
  if (!current) throw new Error('The transport is not set: call setTransport() before rendering.');
  return current;
}
