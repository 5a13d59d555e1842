import { operationNames, type OperationName } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { Core } from '../core';
import { toErrorPayload } from '../errors';

/** The part of Electron's ipcMain this module needs, so it is tested without an Electron binary. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/**
 * The one registration wrapper: every contract operation is handled here and nowhere else.
 * It checks the sender, lets the core validate the input with the operation's zod schema, and
 * maps every failure to `{ok:false,error:{code,message}}` (a thrown Error keeps only its message
 * over IPC).
 */
export function registerContract(
  ipcMain: IpcMainLike,
  core: Core,
  isTrustedSender: (url: string) => boolean,
): () => void {
  for (const name of operationNames) {
    ipcMain.handle(name, async (event, input): Promise<Result<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return {
          ok: false,
          error: { code: 'refused', message: `IPC from an untrusted page (${url || 'unknown'}) was refused.` },
        };
      }
      try {
        return { ok: true, value: (await core.invoke(name as OperationName, input as never)) ?? null };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error, core.redact) };
      }
    });
  }
  return () => operationNames.forEach((name) => ipcMain.removeHandler(name));
}
