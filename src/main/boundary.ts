import { operations, type Handlers, type InputOf, type OperationName, type OutputOf } from '../shared/contract';
import type { Result } from '../shared/errors';
import { OpsError, parseInput, toErrorPayload } from './errors';
import type { Logger } from './logging/logger';

/** Runs one contract operation: what the CLI calls directly and the IPC and host transports wrap. */
type Invoke = <K extends OperationName>(name: K, input: InputOf<K>) => Promise<OutputOf<K>>;

/**
 * The one invoke path of every transport: the operation's zod schema checks the input (the error
 * names each bad field), then its handler runs. Operation names, codes and timings are logged;
 * inputs never are, since they may carry secrets.
 */
export function boundaryInvoke(handlers: Handlers, logger: Pick<Logger, 'debug' | 'info' | 'error'>): Invoke {
  return async (name, input) => {
    const spec = operations[name];
    if (!spec) throw new OpsError('invalid_input', `Unknown operation "${String(name)}".`);
    const handler = handlers[name] as (input: unknown) => Promise<OutputOf<typeof name>>;
    const started = performance.now();
    try {
      const value = await handler(parseInput(spec.input, input, 'input'));
      logger.debug('operation', { op: name, ms: Math.round(performance.now() - started) });
      return value;
    } catch (error) {
      const { code, message } = toErrorPayload(error);
      logger[code === 'internal' ? 'error' : 'info']('operation failed', {
        op: name,
        code,
        message,
        ms: Math.round(performance.now() - started),
      });
      throw error;
    }
  };
}

/** What a transport needs of the core: the invoke path and the redactor for error texts. */
export interface BoundaryCore {
  invoke: Invoke;
  redact(text: string): string;
}

/**
 * Answers one request from across a process boundary (IPC, the WebSocket host): the value, or
 * `{ok:false,error:{code,message}}` with known secrets removed from the message (a thrown Error
 * keeps only its message over IPC). `undefined` becomes `null` so every answer survives JSON.
 */
export async function answer(core: BoundaryCore, name: OperationName, input: unknown): Promise<Result<unknown>> {
  try {
    return { ok: true, value: (await core.invoke(name, input as never)) ?? null };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error, core.redact) };
  }
}
