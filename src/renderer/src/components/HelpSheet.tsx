import { shortcuts } from '../commands';
import { useApp } from '../store';

export function HelpSheet() {
  const open = useApp((s) => s.helpOpen);
  const helpToggled = useApp((s) => s.helpToggled);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onClick={() => helpToggled(false)}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="help-sheet"
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {shortcuts.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button autoFocus onClick={() => helpToggled(false)}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
