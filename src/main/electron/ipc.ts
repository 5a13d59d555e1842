import { operationNames, type OperationName } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { answer, type BoundaryCore } from '../boundary';

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
 * It checks the sender, then hands the request to the boundary (../boundary.ts) that the
 * WebSocket host shares: the operation's zod schema, error coding and redaction, logging.
 */
export function registerContract(
  ipcMain: IpcMainLike,
  core: BoundaryCore,
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
      return answer(core, name as OperationName, input);
    });
  }
  return () => operationNames.forEach((name) => ipcMain.removeHandler(name));
}
