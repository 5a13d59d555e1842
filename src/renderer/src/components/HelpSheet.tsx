import { shortcuts } from '../commands';
import { useApp } from '../store';
import { Modal } from './Modal';
import { focusOnMount } from '../focus-on-mount';

export function HelpSheet() {
  const open = useApp((s) => s.helpOpen);
  const helpToggled = useApp((s) => s.helpToggled);
  if (!open) return null;
  return (
    <Modal
      testId="help-sheet"
      title={{ id: 'help-title', text: 'Keyboard shortcuts' }}
      onBackdropClick={() => helpToggled(false)}
      actions={
        <button ref={focusOnMount} onClick={() => helpToggled(false)}>
          Close
        </button>
      }
    >
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
    </Modal>
  );
}
