import type { z } from 'zod';
import { OpsError } from '../main/errors';

/**
 * Checks flag values with the operation's own schema (the core's rules, one place), and says each
 * refusal by the flag the operator typed: `--on-conflict must be one of …`, not `onConflict …`.
 * `flags` maps each field of the schema to its flag and the value given.
 */
export function parseFlags<S extends z.ZodType>(
  schema: S,
  flags: Record<string, [flag: string, value: unknown]>,
): z.output<S> {
  const input = Object.fromEntries(Object.entries(flags).map(([field, [, value]]) => [field, value]));
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      const flag = flags[String(issue.path[0])]?.[0];
      return `${flag ?? field} ${issue.message}`;
    })
    .join('; ');
  throw new OpsError('invalid_input', message);
}
