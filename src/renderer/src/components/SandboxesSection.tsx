import { useEffect } from 'react';
import { useApp } from '../store';

/** Settings → Sandboxes: the embedded databases kept in the data folder, each droppable. */
export function SandboxesSection() {
  const sandboxes = useApp((s) => s.sandboxes);
  useEffect(() => void useApp.getState().sandboxesRequested(), []);
  return (
    <section aria-labelledby="sandboxes-title">
      <h3 id="sandboxes-title">Sandboxes</h3>
      <p className="hint">
        Embedded Postgres databases in the data folder: the demo's, and each profile's rehearsal copy (shape and
        synthetic rows, never production data unless sample mode is on). Dropping one frees its disk; it is rebuilt on
        next use.
      </p>
      {sandboxes.length === 0 ? (
        <p className="empty" data-testid="sandboxes-empty">
          No sandboxes yet.
        </p>
      ) : (
        <table data-testid="sandboxes">
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Engine</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sandboxes.map((s) => (
              <tr key={`${s.profileId}.${s.kind}`}>
                <td>{s.profileName}</td>
                <td>
                  {s.kind}
                  {s.open ? ' (open)' : ''}
                </td>
                <td>{(s.sizeBytes / 1024 / 1024).toFixed(1)} MB</td>
                <td>
                  {s.engineVersion}
                  {s.current ? '' : ' (older: rebuilt on next use)'}
                </td>
                <td>
                  <button
                    className="danger"
                    onClick={() => void useApp.getState().sandboxDropped(s.profileId, s.kind)}
                    aria-label={`Drop the ${s.kind} sandbox of ${s.profileName}`}
                    data-testid="sandbox-drop"
                  >
                    Drop
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
