import { TerminalDock } from './terminal/TerminalDock';

/** The bottom dock: terminals on the bastion or the laptop, beside the runbook in the centre. */
export function Dock() {
  return (
    <section className="dock" aria-label="Dock" data-testid="dock">
      <TerminalDock />
    </section>
  );
}
