import { useEffect, useRef } from 'react';
import { isOpenableLink } from '../../../../shared/terminal';
import { useApp } from '../../store';
import { terminalOutput } from '../../store/terminal-output';
import { createXterm, safeFit, type XtermHandle } from './create-xterm';
import { copySelection, pasteClipboard, terminalHandles } from './terminal-handles';

/**
 * One terminal's xterm. Output is written as it arrives and acknowledged once written (the
 * core pauses the shell when too much is unacknowledged); keystrokes go to the shell; the pty
 * follows the pane's size. Ctrl+Shift+C / Ctrl+Shift+V copy and paste.
 */
export function TerminalView({
  terminalId,
  active,
  visible = active,
}: {
  terminalId: string;
  active: boolean;
  visible?: boolean;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<XtermHandle | undefined>(undefined);
  const prefs = useApp((s) => s.terminalPrefs);

  useEffect(() => {
    const host = hostRef.current!;
    const { terminalInputTyped, terminalResized, terminalOutputWritten, terminalLinkClicked, noticeShown } =
      useApp.getState();
    const { fontSize, scrollback, gpu } = useApp.getState().terminalPrefs;
    const handle = createXterm(host, { fontSize, scrollback, gpu }, (url) => {
      if (isOpenableLink(url)) terminalLinkClicked(url);
      else
        noticeShown({
          kind: 'info',
          message: `Only https links open from a terminal; ${url.slice(0, 200)} was not opened. Copy it if you need it.`,
        });
    });
    handleRef.current = handle;
    terminalHandles.set(terminalId, handle);
    const { term } = handle;
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC') void copySelection(terminalId);
      else if (event.code === 'KeyV') void pasteClipboard(terminalId);
      else return true;
      return false;
    });
    const typed = term.onData((data) => terminalInputTyped(terminalId, data));
    const binary = term.onBinary((data) => terminalInputTyped(terminalId, data));
    const resized = term.onResize(({ cols, rows }) => terminalResized(terminalId, cols, rows));
    // A replayed screen (the window reloaded) was never counted as unacknowledged: it is not acknowledged.
    const detach = terminalOutput.attach(terminalId, (data, replay) =>
      term.write(data, replay ? undefined : () => terminalOutputWritten(terminalId, data.length)),
    );
    const observer = new ResizeObserver(() => safeFit(handle));
    observer.observe(host);
    safeFit(handle);
    return () => {
      observer.disconnect();
      detach();
      typed.dispose();
      binary.dispose();
      resized.dispose();
      terminalHandles.delete(terminalId);
      handle.dispose();
    };
  }, [terminalId]);

  useEffect(() => {
    const handle = handleRef.current;
    if (!handle) return;
    handle.term.options.fontSize = prefs.fontSize;
    handle.term.options.scrollback = prefs.scrollback;
    safeFit(handle);
  }, [prefs.fontSize, prefs.scrollback]);

  useEffect(() => {
    const handle = handleRef.current;
    if (!visible || !handle) return;
    safeFit(handle);
    if (active) handle.term.focus();
  }, [active, visible]);

  return (
    <div
      className={`terminal-host${visible ? ' visible' : ''}${active ? ' active' : ''}`}
      ref={hostRef}
      onMouseDown={() => !active && useApp.getState().terminalActivated(terminalId)}
      data-testid={`terminal-${terminalId}`}
      data-active={active}
    />
  );
}
