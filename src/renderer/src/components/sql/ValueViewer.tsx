import { useLayoutEffect, useRef } from 'react';
import type { SqlField } from '../../../../shared/contract';
import { Modal } from '../Modal';

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
  useLayoutEffect(() => close.current?.focus(), []);
  let shown = value;
  if (field.type === 'json' || field.type === 'jsonb') {
    try {
      shown = JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      // not JSON after all: show it as it came
    }
  }
  return (
    <Modal
      className="modal value-viewer"
      testId="value-viewer"
      onEscape={onClose}
      title={{
        id: 'value-viewer-title',
        text: (
          <>
            {field.name} <small>{field.type}</small> · row {row + 1} · {value.length.toLocaleString('en-US')} characters
          </>
        ),
      }}
      actions={
        <>
          <button type="button" onClick={() => void navigator.clipboard.writeText(value)}>
            Copy value
          </button>
          <button type="button" ref={close} onClick={onClose} data-testid="value-viewer-close">
            Close
          </button>
        </>
      }
    >
      <pre className="value-viewer-text" tabIndex={0} aria-label="The whole value" data-testid="value-viewer-text">
        {shown}
      </pre>
    </Modal>
  );
}
