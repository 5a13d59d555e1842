import type { XtermHandle } from './create-xterm';

/** The mounted xterm of each terminal, for the dock's toolbar (search, copy, paste, focus). */
export const terminalHandles = new Map<string, XtermHandle>();

export async function copySelection(terminalId: string): Promise<boolean> {
  const handle = terminalHandles.get(terminalId);
  const text = handle?.term.getSelection() ?? '';
  if (!text) return false;
  await navigator.clipboard.writeText(text);
  return true;
}

/** Pastes through xterm, so a shell that asked for bracketed paste gets it. */
export async function pasteClipboard(terminalId: string): Promise<void> {
  const handle = terminalHandles.get(terminalId);
  if (!handle) return;
  const text = await navigator.clipboard.readText();
  if (text) handle.term.paste(text);
  handle.term.focus();
}
