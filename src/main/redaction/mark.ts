/** What a masked secret reads as, everywhere: timeline, log, exports, the UI. */
export const redactedMark = '[redacted]';
