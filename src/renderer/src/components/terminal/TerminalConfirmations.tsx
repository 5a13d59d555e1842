import { useApp } from '../../store';
import { Modal } from '../Modal';
import { focusOnMount } from '../../focus-on-mount';

/** Asks before a command that is not a plain read is sent, and before a link leaves the app. */
export function TerminalConfirmations() {
  const pendingSend = useApp((s) => s.pendingSend);
  const pendingLink = useApp((s) => s.pendingLink);
  const { terminalSendConfirmed, terminalSendCancelled, terminalLinkConfirmed, terminalLinkCancelled } =
    useApp.getState();
  if (pendingSend) {
    return (
      <Modal
        role="alertdialog"
        testId="terminal-send-confirm"
        title={{ id: 'send-title', text: 'Send a command that is not a plain read?' }}
        actions={
          <>
            <button onClick={terminalSendCancelled} ref={focusOnMount}>
              Cancel
            </button>
            <button
              className="danger"
              onClick={() => void terminalSendConfirmed()}
              data-testid="terminal-send-confirm-yes"
            >
              {pendingSend.run ? 'Send and run' : 'Paste'}
            </button>
          </>
        }
      >
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
      </Modal>
    );
  }
  if (pendingLink) {
    return (
      <Modal
        role="alertdialog"
        testId="terminal-link-confirm"
        title={{ id: 'link-title', text: 'Open this link in your browser?' }}
        actions={
          <>
            <button onClick={terminalLinkCancelled} ref={focusOnMount}>
              Cancel
            </button>
            <button className="primary" onClick={() => void terminalLinkConfirmed()}>
              Open
            </button>
          </>
        }
      >
        <p className="terminal-confirm-link">{pendingLink}</p>
      </Modal>
    );
  }
  return null;
}
