import { z } from 'zod';
import { profileDocumentSchema, profilesExportFormat, profilesExportVersion } from '../../shared/profile';
import { OpsError, describeZodError } from '../errors';

/** The largest profiles file accepted: thousands of profiles fit in far less. */
export const maxProfileFileBytes = 2 * 1024 * 1024;

const importFileSchema = z
  .object({
    format: z.literal(profilesExportFormat, {
      error: `must be "${profilesExportFormat}": this is not an Ops Console profiles export`,
    }),
    version: z.number({ error: `must be the format version number (${profilesExportVersion})` }).int(),
    exportedAt: z.string().optional(),
    profiles: z
      .array(profileDocumentSchema, { error: 'must be a list of profiles' })
      .max(5000, 'has more than 5000 profiles: split the file'),
  })
  .strict();
export type ProfilesFile = z.output<typeof importFileSchema>;

/**
 * Decodes a file's bytes as UTF-8 JSON, refusing what is clearly not a profiles file: too large,
 * binary (NUL bytes or invalid UTF-8), or malformed JSON (with the line and column).
 */
export function parseJsonFile(content: Uint8Array | string, what: string): unknown {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (bytes.byteLength > maxProfileFileBytes) {
    throw new OpsError(
      'invalid_input',
      `${what} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, more than the ${maxProfileFileBytes / 1024 / 1024} MB a profiles file can be: choose an Ops Console profiles export (.json).`,
    );
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error('NUL byte');
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // A file read as text by the UI has its invalid bytes turned into U+FFFD already.
    if (typeof content === 'string' && text.includes('\uFFFD')) throw new Error('replacement characters');
  } catch {
    throw new OpsError(
      'invalid_input',
      `${what} is a binary file, not JSON text: choose an Ops Console profiles export (.json).`,
    );
  }
  text = text.replace(/^\uFEFF/, '');
  if (!text.trim())
    throw new OpsError('invalid_input', `${what} is empty: choose an Ops Console profiles export (.json).`);
  try {
    return JSON.parse(text);
  } catch {
    throw new OpsError(
      'invalid_input',
      `${what} is not valid JSON (${jsonErrorAt(text)}): fix the file or export the profiles again.`,
    );
  }
}

/**
 * Where JSON.parse gave up, as line and column. The engine's own message quotes the text around
 * the error, which could be a secret in a wrongly chosen file (.env, a key): never repeat it.
 * The longest prefix that is still valid-so-far ends just before the offending character.
 */
function jsonErrorAt(text: string): string {
  const validSoFar = (prefix: string) => {
    try {
      JSON.parse(prefix);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message)?.[1];
      return /end of JSON|Unterminated/i.test(message) || (position !== undefined && Number(position) >= prefix.length);
    }
  };
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (validSoFar(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  const ended = validSoFar(text);
  const offset = ended ? text.length : bad - 1;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const character = text[offset] ?? '';
  return ended || !character
    ? `the text ends early, line ${line} column ${column}`
    : `unexpected ${/[\x21-\x7e]/.test(character) ? `"${character}"` : 'character'} at line ${line} column ${column}`;
}

/** Validates a parsed profiles export; every error names the field (profiles.2.ssh.port …). */
export function readProfilesFile(content: Uint8Array | string, what = 'The file'): ProfilesFile {
  const data = parseJsonFile(content, what);
  if (
    typeof data === 'object' &&
    data !== null &&
    'version' in data &&
    typeof data.version === 'number' &&
    data.version > profilesExportVersion
  ) {
    throw new OpsError(
      'invalid_input',
      `version ${data.version}: the file was written by a newer Ops Console (this one reads version ${profilesExportVersion}). Update the app, or export again from this version.`,
    );
  }
  const parsed = importFileSchema.safeParse(data);
  if (!parsed.success)
    throw new OpsError('invalid_input', `${what} is not a valid profiles export: ${describeZodError(parsed.error)}.`);
  const seen = new Map<string, number>();
  parsed.data.profiles.forEach((profile, i) => {
    const key = profile.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined)
      throw new OpsError(
        'invalid_input',
        `profiles.${i}.name "${profile.name}" appears twice in the file (also profiles.${first}.name): names must be unique, rename one.`,
      );
    seen.set(key, i);
  });
  return parsed.data;
}

/** One profile document (`--file profile.json`): the fields of a profile, never a secret. */
export function readProfileDocument(
  content: Uint8Array | string,
  what = 'The file',
): z.output<typeof profileDocumentSchema> {
  const data = parseJsonFile(content, what);
  if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format === profilesExportFormat) {
    throw new OpsError(
      'invalid_input',
      `${what} is a profiles export (several profiles), not one profile: import it with \`opsconsole profiles import ${what}\`.`,
    );
  }
  const parsed = profileDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const hint =
      typeof data === 'object' && data !== null && 'secrets' in data
        ? ' Secrets are never read from files: use --pg-password-stdin (or OPSCONSOLE_PG_PASSWORD) and the like.'
        : '';
    throw new OpsError('invalid_input', `${what} is not a valid profile: ${describeZodError(parsed.error)}.${hint}`);
  }
  return parsed.data;
}
