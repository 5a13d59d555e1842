/** The right-hand drawer: the incident timeline. */
export function Drawer() {
  return (
    <aside className="drawer" aria-label="Incident timeline" data-testid="timeline-drawer">
      <h2>Timeline</h2>
      <p className="empty">No incident is open. Everything you run is still recorded.</p>
    </aside>
  );
}
