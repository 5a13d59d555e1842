import { useEffect, useRef } from 'react';
import type { SqlField } from '../../../../shared/contract';

/** A long value in full (JSON pretty-printed when it parses), with copy; Escape closes it. */
export function ValueViewer({
  field,
  row,
  value,
  onClose,
}: {
  field: SqlField;
  row: number;
  value: string;
  onClose(): void;
}) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  let shown = value;
  if (field.type === 'json' || field.type === 'jsonb') {
    try {
      shown = JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      // not JSON after all: show it as it came
    }
  }
  return (
    <div className="modal-backdrop">
      <div
        className="modal value-viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="value-viewer-title"
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
        data-testid="value-viewer"
      >
        <h2 id="value-viewer-title">
          {field.name} <small>{field.type}</small> · row {row + 1} · {value.length.toLocaleString('en-US')} characters
        </h2>
        <pre className="value-viewer-text" tabIndex={0} aria-label="The whole value" data-testid="value-viewer-text">
          {shown}
        </pre>
        <div className="actions">
          <button type="button" onClick={() => void navigator.clipboard.writeText(value)}>
            Copy value
          </button>
          <button type="button" ref={close} onClick={onClose} data-testid="value-viewer-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
