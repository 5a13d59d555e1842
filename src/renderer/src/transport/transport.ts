import type { ErrorPayload, Result } from '../../../shared/errors';
import type { EventName, InputOf, OperationName, OutputOf, PayloadOf } from '../../../shared/contract';

/** An error that crossed the boundary: its stable code and a message for the operator. */
export class TransportError extends Error {
  readonly code: ErrorPayload['code'];
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.code = payload.code;
  }
}

/** How the renderer reaches the core; it never knows which one it has. */
export interface Transport {
  invoke<K extends OperationName>(name: K, input: InputOf<K>): Promise<OutputOf<K>>;
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TransportError(result.error);
}
