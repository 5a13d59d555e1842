// The rules every SQL text must meet, without zod: the contract's sqlTextSchema applies them at the
// IPC boundary, and the light CLI commands (sql classify) apply them without loading zod at start.

/** The largest SQL text the console accepts (10 MB): larger is refused before anything is sent. */
export const maxSqlTextLength = 10 * 1024 * 1024;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Each rule: the test a SQL text must pass, and what to say when it does not. */
export const sqlTextRules: { ok(text: string): boolean; message: string }[] = [
  {
    ok: (text) => text.length <= maxSqlTextLength,
    message: 'is longer than 10 MB: split it, or run the file with psql',
  },
  { ok: (text) => !text.includes('\u0000'), message: 'contains a NUL byte, which Postgres never accepts: remove it' },
  {
    ok: (text) => !loneSurrogate.test(text),
    message: 'is not valid UTF-8 (a lone surrogate): fix the encoding of the text',
  },
];

/** What is wrong with the text ("sql contains a NUL byte…"), or undefined when it is acceptable. */
export function sqlTextProblem(text: string, field = 'sql'): string | undefined {
  const broken = sqlTextRules.filter((rule) => !rule.ok(text)).map((rule) => `${field} ${rule.message}`);
  return broken.length ? broken.join('; ') : undefined;
}
