import type { Result } from '../../../shared/errors';
import type { EventName, OperationName, PayloadOf } from '../../../shared/contract';
import { unwrap, type Transport } from './transport';

/** What the preload exposes: one method per operation, one subscription method per event. */
export type PreloadApi = Record<OperationName, (input: unknown) => Promise<Result<unknown>>> &
  Record<EventName, (listener: (payload: unknown) => void) => () => void>;

declare global {
  interface Window {
    opsConsole?: PreloadApi;
  }
}

export function electronTransport(api: PreloadApi): Transport {
  return {
    invoke: async (name, input) => unwrap(await api[name](input)) as never,
    on: (name, listener) => api[name]((payload) => listener(payload as PayloadOf<typeof name>)),
  };
}
