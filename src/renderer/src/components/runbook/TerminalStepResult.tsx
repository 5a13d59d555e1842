import { useApp } from '../../store';
import type { StepRun } from '../../store/state/runbooks';

/** A terminal step's exit status and the tail of its output; the whole output is in the terminal's recording. */
export function TerminalStepOutput({ run }: { run: StepRun }) {
  const terminal = run.terminal;
  if (!terminal) return null;
  return (
    <div className="runbook-terminal-result" data-testid="runbook-terminal-result">
      <p className="result-meta">
        Exit status <strong data-testid="runbook-terminal-exit">{terminal.exitStatus}</strong> in terminal{' '}
        {terminal.terminalTitle}. The full output is kept in that terminal&apos;s recording (in the timeline once the
        terminal closes).
      </p>
      <pre
        className="runbook-code"
        data-testid="runbook-terminal-output"
        aria-label="Output of the command (last lines)"
      >
        {terminal.output || '(no output)'}
      </pre>
    </div>
  );
}

/** "Open a terminal on PROFILE": a shell step needs one, and this opens it where the step is. */
export function OpenTerminalButton() {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.selectedProfileId));
  const open = useApp((s) => s.terminalOpenRequested);
  if (!open) return null;
  const onProfile = !!profile?.ssh;
  return (
    <button
      type="button"
      onClick={() => {
        useApp.getState().dockToggled?.(true);
        void open(onProfile ? { kind: 'remote', profileId: profile!.id } : { kind: 'local' });
      }}
      data-testid="runbook-step-open-terminal"
    >
      {onProfile ? `Open a terminal on ${profile!.name}` : 'Open a local terminal'}
    </button>
  );
}
