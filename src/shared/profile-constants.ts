// The profile vocabulary without its zod schemas: the window's first paint (the sidebar) needs
// these names, not the validator (issue 28: zod stays out of the entry chunk). profile.ts
// re-exports them, so every other import is unchanged.

/** Environment kinds; production is the one every safety rule keys on. */
export const environmentKinds = ['production', 'staging', 'development', 'custom'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

/** As libpq documents them: prefer tries TLS and falls back; require encrypts; verify-* check the certificate. */
export const pgSslModes = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type PgSslMode = (typeof pgSslModes)[number];

/**
 * standard: writes after a preview and a confirmation; production: the confirmation is typing the
 * profile's name; read-only: no write is ever sent (break-glass is refused outright).
 */
export const safetyLevels = ['standard', 'production', 'read-only'] as const;
export type SafetyLevel = (typeof safetyLevels)[number];

/** One field that differs between a stored profile and what replaces it. */
export interface FieldChange {
  /** Dotted path: "environment", "ssh.jumps.0.host", "postgres.sslmode". */
  field: string;
  /** The value as text ("(none)" when absent). */
  before: string;
  after: string;
  /** Set when the change lowers the profile's safety: why, in a few words. */
  downgrade?: string;
}

const routeOrSafetyField =
  /^(environment|safety|allowAssistants|rehearsalSample|maskPatterns|ssh\.|postgres\.(host|port|user|database|readUser|sslmode|sslCa|readOnlyByDefault|legacyPasswordAuth)|redis\.(host|port|username|tls))/;

/** Whether a change moves where the profile connects or how safely: such an edit is shown and asked before it is saved. */
export function isRouteOrSafetyChange(change: FieldChange): boolean {
  return Boolean(change.downgrade) || routeOrSafetyField.test(change.field);
}
