/** The bottom dock: results and terminals live here, beside the runbook in the centre. */
export function Dock() {
  return (
    <section className="dock" aria-label="Dock" data-testid="dock">
      <p className="empty">Terminals and exported results appear here.</p>
    </section>
  );
}
