import type { z } from 'zod';
import type { ErrorCode, ErrorPayload } from '../shared/errors';

/** An error with a stable code; its message says what happened and what to do. */
export class OpsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpsError';
  }
}

/** Turns a zod failure into one sentence per field: "profile.ssh.port must be between 1 and 65535". */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      const message =
        issue.code === 'unrecognized_keys'
          ? `has unknown field(s) ${issue.keys.join(', ')}: remove them`
          : issue.message;
      return path ? `${path} ${message}` : message;
    })
    .join('; ');
}

/** Parses with zod, throwing an OpsError('invalid_input') that names each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root = ''): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new OpsError('invalid_input', describeZodError(parsed.error, root));
  return parsed.data;
}

/**
 * Maps anything thrown to the boundary payload. Unknown errors keep their message only after
 * `redact` has removed known secrets from it.
 */
export function toErrorPayload(error: unknown, redact: (text: string) => string = (t) => t): ErrorPayload {
  if (error instanceof OpsError) return { code: error.code, message: redact(error.message) };
  if (isZodError(error)) return { code: 'invalid_input', message: redact(describeZodError(error)) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: redact(message || 'Unexpected error') };
}

/** zod's error, recognised by shape so this module (loaded by every CLI command) need not load zod. */
function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues);
}
