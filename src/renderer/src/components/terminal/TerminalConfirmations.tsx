import { useApp } from '../../store';

/** Asks before a dangerous command is sent and before a link leaves the app. */
export function TerminalConfirmations() {
  const pendingSend = useApp((s) => s.pendingSend);
  const pendingLink = useApp((s) => s.pendingLink);
  const { terminalSendConfirmed, terminalSendCancelled, terminalLinkConfirmed, terminalLinkCancelled } =
    useApp.getState();
  if (pendingSend) {
    return (
      <div className="modal-backdrop">
        <div
          className="modal"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="send-title"
          data-testid="terminal-send-confirm"
        >
          <h2 id="send-title">Send a dangerous command?</h2>
          <pre className="terminal-confirm-command">{pendingSend.command}</pre>
          <ul>
            {pendingSend.flag.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <p>
            {pendingSend.run
              ? 'It will run as soon as you confirm.'
              : 'It is pasted only: nothing runs until you press Enter in the terminal.'}
          </p>
          <div className="actions">
            <button onClick={terminalSendCancelled} autoFocus>
              Cancel
            </button>
            <button
              className="danger"
              onClick={() => void terminalSendConfirmed()}
              data-testid="terminal-send-confirm-yes"
            >
              {pendingSend.run ? 'Send and run' : 'Paste'}
            </button>
          </div>
        </div>
      </div>
    );
  }
  if (pendingLink) {
    return (
      <div className="modal-backdrop">
        <div
          className="modal"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="link-title"
          data-testid="terminal-link-confirm"
        >
          <h2 id="link-title">Open this link in your browser?</h2>
          <p className="terminal-confirm-link">{pendingLink}</p>
          <div className="actions">
            <button onClick={terminalLinkCancelled} autoFocus>
              Cancel
            </button>
            <button className="primary" onClick={() => void terminalLinkConfirmed()}>
              Open
            </button>
          </div>
        </div>
      </div>
    );
  }
  return null;
}
