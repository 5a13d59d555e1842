/**
 * What the HTML report (its CSS) and the PDF writer both draw with: the colours, and the event
 * kinds the timeline sets apart. One set, so the two renderings of a report cannot drift.
 */
export const reportColors = {
  ink: '#1b1f24',
  muted: '#57606a',
  /** Refusals and cancellations in the timeline. */
  refused: '#a40e26',
  /** A broken chain, the integrity banner, a clock note. */
  alert: '#cf222e',
  /** Under each section heading. */
  rule: '#d0d7de',
  severity: { P0: '#a40e26', P1: '#bc4c00', P2: '#9a6700', P3: '#57606a' },
} as const;

/** Timeline events set in bold. */
export const boldEventKinds: readonly string[] = ['status.changed', 'incident.opened', 'incident.promoted'];
/** Timeline events in the refused colour. */
export const refusedEventKinds: readonly string[] = ['refusal', 'cancel'];
