/** The mark for bytes that are not text (a bytea column, a binary Redis value). */
export function BinaryMark() {
  return (
    <span
      className="binary-mark"
      title="Binary: shown as Postgres's hex literal \x…, which copies and pastes back to the same bytes"
      data-testid="binary-mark"
    >
      binary
    </span>
  );
}

/** A bytea cell: its \x… hex literal, marked binary. */
export function BinaryCell({ text }: { text: string }) {
  return (
    <span className="cell-binary" data-testid="sql-cell-binary">
      <BinaryMark />
      {text}
    </span>
  );
}
