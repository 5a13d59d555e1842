import type { FieldChange } from '../../../../shared/profile-constants';

/** A profile's field-by-field changes, downgrades marked: one table for imports and edits. */
export function ChangesTable({ changes, afterLabel }: { changes: FieldChange[]; afterLabel: string }) {
  if (changes.length === 0) return <p className="hint">No field changes.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Field</th>
          <th>Now</th>
          <th>{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.field} className={change.downgrade ? 'downgrade' : undefined} data-testid="import-change">
            <td>{change.field}</td>
            <td>{change.before}</td>
            <td>
              {change.after}
              {change.downgrade && <strong> — lowers safety: {change.downgrade}</strong>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
