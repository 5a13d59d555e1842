import type { Result } from '../../../shared/errors';
import type { EventName } from '../../../shared/contract';
import { TransportError, unwrap, type Transport } from './transport';

/** The loopback host's WebSocket (browser renderer: e2e tests and development). */
export function websocketTransport(url: string): Transport {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () =>
        reject(
          new TransportError({ code: 'internal', message: 'Cannot reach the Ops Console host: is it still running?' }),
        ),
      { once: true },
    );
  });
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      result?: Result<unknown>;
      event?: EventName;
      payload?: unknown;
    };
    if (data.event) for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    else if (data.id !== undefined && data.result) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { code: 'internal', message: 'The connection to the Ops Console host closed.' } });
    pending.clear();
  });
  return {
    async invoke(name, input) {
      await opened;
      const id = nextId++;
      const result = new Promise<Result<unknown>>((resolve) => pending.set(id, resolve));
      socket.send(JSON.stringify({ id, op: name, input }));
      return unwrap(await result) as never;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
