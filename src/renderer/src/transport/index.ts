import { electronTransport } from './electron-transport';
import type { Transport } from './transport';
import { websocketTransport } from './websocket-transport';

/** The preload's API inside Electron; otherwise the loopback host named by the page's #token. */
export function createTransport(): Transport {
  if (window.opsConsole) return electronTransport(window.opsConsole);
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return websocketTransport(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
}

export type { Transport } from './transport';
