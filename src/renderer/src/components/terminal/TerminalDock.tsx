import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';
import { TerminalConfirmations } from './TerminalConfirmations';
import { TerminalToolbar } from './TerminalToolbar';
import './terminal.css';

// xterm loads with the first terminal opened, in a chunk of its own: the window paints first.
const TerminalView = lazy(() => import('./TerminalView').then((m) => ({ default: m.TerminalView })));

const stateLabels = { running: '', lost: 'connection lost', reopenable: 'session back', exited: 'exited' } as const;

/** Terminal tabs for the dock: remote shells on the selected profile's bastion and local shells. */
export function TerminalDock() {
  const order = useApp((s) => s.terminalOrder);
  const terminals = useApp((s) => s.terminals);
  const activeId = useApp((s) => s.activeTerminalId);
  const profile = useApp(useShallow((s) => s.profiles.find((p) => p.id === s.selectedProfileId)));
  const { terminalOpenRequested, terminalActivated, terminalCloseRequested } = useApp.getState();
  const [opening, setOpening] = useState(false);
  const [split, setSplit] = useState(false);
  // Split view shows the active terminal beside the one active before it.
  const previous = useRef<string | undefined>(undefined);
  const current = useRef(activeId);
  useEffect(() => {
    if (current.current !== activeId) previous.current = current.current;
    current.current = activeId;
  }, [activeId]);
  const other = split
    ? ([previous.current, ...order].find((id) => id && id !== activeId && terminals[id]) ?? undefined)
    : undefined;
  const open = async (input: Parameters<typeof terminalOpenRequested>[0]) => {
    setOpening(true);
    await terminalOpenRequested(input);
    setOpening(false);
  };

  return (
    <section className="terminal-dock" aria-label="Terminals" data-testid="terminal-dock">
      {/* A group of toggle buttons, not an ARIA tablist: each terminal also has its close button beside it, which a tablist may not hold. */}
      <div className="terminal-tabs" role="group" aria-label="Open terminals">
        {order.map((id) => {
          const info = terminals[id]!;
          return (
            <div key={id} className={`terminal-tab state-${info.state}${id === activeId ? ' active' : ''}`}>
              <button
                aria-pressed={id === activeId}
                onClick={() => terminalActivated(id)}
                data-testid="terminal-tab"
                title={info.reason}
              >
                {info.kind === 'local' ? '⌂ ' : ''}
                {info.title}
                {stateLabels[info.state] && <span className="terminal-tab-state"> · {stateLabels[info.state]}</span>}
              </button>
              <button
                className="terminal-tab-close"
                aria-label={`Close terminal ${info.title}`}
                onClick={() => terminalCloseRequested(id)}
                data-testid="terminal-close"
              >
                ×
              </button>
            </div>
          );
        })}
        <div className="terminal-open">
          {profile?.ssh && (
            <button
              onClick={() => open({ kind: 'remote', profileId: profile.id })}
              disabled={opening}
              data-testid="terminal-open-remote"
              title={`A shell on ${profile.ssh.host}`}
            >
              + {profile.name}
            </button>
          )}
          <button
            onClick={() => open({ kind: 'local' })}
            disabled={opening}
            data-testid="terminal-open-local"
            title="A shell on this computer"
          >
            + Local
          </button>
          <button
            aria-pressed={split}
            onClick={() => setSplit(!split)}
            disabled={order.length < 2}
            title="Show two terminals side by side"
            data-testid="terminal-split"
          >
            Split
          </button>
        </div>
      </div>
      {activeId && terminals[activeId] && <TerminalToolbar terminalId={activeId} />}
      <div className={`terminal-panes${other ? ' split' : ''}`}>
        {order.length === 0 && <p className="empty">Open a shell on the profile's bastion, or on this computer.</p>}
        <Suspense fallback={null}>
          {order.map((id) => (
            <TerminalView key={id} terminalId={id} active={id === activeId} visible={id === activeId || id === other} />
          ))}
        </Suspense>
        {activeId && <TerminalBanner terminalId={activeId} />}
      </div>
      <TerminalConfirmations />
    </section>
  );
}

/** What the operator can do when the shell is gone: reopen after a reconnect, or close. */
function TerminalBanner({ terminalId }: { terminalId: string }) {
  const info = useApp((s) => s.terminals[terminalId]);
  const exit = useApp((s) => s.terminalExits[terminalId]);
  const { terminalReopenRequested, terminalCloseRequested } = useApp.getState();
  if (!info || info.state === 'running') return null;
  return (
    <div className={`terminal-banner state-${info.state}`} role="status" data-testid="terminal-banner">
      <span>{info.reason ?? exit?.reason}</span>
      {info.kind === 'remote' && info.state !== 'lost' && (
        <button className="primary" onClick={() => terminalReopenRequested(terminalId)} data-testid="terminal-reopen">
          Reopen
        </button>
      )}
      {info.kind === 'local' && info.state === 'exited' && (
        <button onClick={() => terminalReopenRequested(terminalId)} data-testid="terminal-reopen">
          Restart
        </button>
      )}
      <button onClick={() => terminalCloseRequested(terminalId)}>Close</button>
    </div>
  );
}
