import { basename } from 'node:path';
import {
  templateParamSchema,
  templateParamTypes,
  type QueryTemplateView,
  type TemplateParam,
} from '../../shared/template';
import { describeZodError } from '../errors';
import { findBindMarkers } from './bind-markers';

/** A header problem, tied to the line that has it. */
class HeaderError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const headerLine = /^--\s*([A-Za-z][\w-]*)\s*:\s?(.*)$/;
const fields = ['name', 'description', 'param'];

/**
 * A saved query file: a comment header (`-- name: …`, `-- description: …`, `-- param: NAME TYPE
 * [list] [secret] [optional] [default=VALUE]`), then the SQL with `$1…` placeholders, `$n` being the
 * n-th param line. A file whose header is wrong comes back with `error` set (the line and the fix),
 * so the library lists it instead of skipping it; it cannot run until fixed.
 */
export function parseQueryFile(path: string, relativePath: string, text: string): QueryTemplateView {
  const base: QueryTemplateView = {
    id: `file:${relativePath}`,
    name: basename(path).replace(/\.sql$/i, ''),
    description: '',
    sql: '',
    params: [],
    source: 'file',
    path,
  };
  // Filled as the header is read, so a file with a bad line is still listed under its own name.
  const found = { name: base.name, description: [] as string[], params: [] as TemplateParam[] };
  try {
    return { ...base, ...parseText(text, found) };
  } catch (error) {
    if (!(error instanceof HeaderError)) throw error;
    return {
      ...base,
      name: found.name,
      description: found.description.join('\n'),
      sql: text,
      error: `${relativePath} ${error.message}`,
    };
  }
}

function parseText(
  text: string,
  found: { name: string; description: string[]; params: TemplateParam[] },
): Pick<QueryTemplateView, 'name' | 'description' | 'sql' | 'params'> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { description, params } = found;
  let body = lines.length;
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('--')) {
      body = index;
      break;
    }
    const match = headerLine.exec(trimmed);
    if (!match) continue; // a plain comment
    const [, key, value] = match as unknown as [string, string, string];
    const field = key.toLowerCase();
    if (!fields.includes(field))
      throw new HeaderError(
        index + 1,
        `"${key}" is not a header field: use name, description or param (or write the comment without a colon after its first word).`,
      );
    if (field === 'name') found.name = nameOf(value, index + 1);
    if (field === 'description') description.push(value.trim());
    if (field === 'param') params.push(paramOf(value, index + 1, params));
  }
  const sql = lines.slice(body).join('\n').trim();
  if (!sql)
    throw new HeaderError(lines.length, 'there is no SQL below the header: write the query after the comment lines.');
  const highest = Math.max(0, ...findBindMarkers(sql).map((m) => m.index));
  if (highest > params.length)
    throw new HeaderError(
      body + 1,
      `the SQL uses $${highest} but the header declares ${params.length} param line(s): add "-- param: NAME TYPE" lines, one per $n, in order.`,
    );
  return { name: found.name, description: description.join('\n'), sql, params };
}

function nameOf(value: string, line: number): string {
  const name = value.trim();
  if (!name) throw new HeaderError(line, 'name is empty: write "-- name: what this query shows".');
  if (name.length > 200) throw new HeaderError(line, 'name is longer than 200 characters: shorten it.');
  return name;
}

/** `NAME TYPE [list] [secret] [optional] [default=VALUE]`; the default runs to the end of the line. */
function paramOf(value: string, line: number, declared: TemplateParam[]): TemplateParam {
  const defaultAt = value.search(/(^|\s)default=/);
  const words = (defaultAt >= 0 ? value.slice(0, defaultAt) : value).trim().split(/\s+/).filter(Boolean);
  const fallback =
    defaultAt >= 0 ? unquote(value.slice(value.indexOf('default=', defaultAt) + 'default='.length).trim()) : undefined;
  const [name, type, ...flags] = words;
  if (!name || !type)
    throw new HeaderError(
      line,
      `param needs a name and a type: write "-- param: customer_id int" (types: ${templateParamTypes.join(', ')}).`,
    );
  const unknown = flags.filter((f) => !['list', 'secret', 'optional'].includes(f));
  if (unknown.length)
    throw new HeaderError(
      line,
      `param ${name}: "${unknown[0]}" is not a flag: use list, secret, optional or default=VALUE.`,
    );
  if (flags.includes('secret') && fallback !== undefined)
    throw new HeaderError(
      line,
      `param ${name} is secret and cannot have a default (it would sit in the file in clear): remove default=…, the operator types it each time.`,
    );
  if (declared.some((p) => p.name === name))
    throw new HeaderError(line, `param ${name} is declared twice: each $n needs its own name.`);
  const parsed = templateParamSchema.safeParse({
    name,
    type,
    list: flags.includes('list'),
    secret: flags.includes('secret'),
    required: !flags.includes('optional') && fallback === undefined,
    ...(fallback !== undefined ? { default: fallback } : {}),
  });
  if (!parsed.success) throw new HeaderError(line, `param ${describeZodError(parsed.error, name)}.`);
  return parsed.data;
}

function unquote(text: string): string {
  return /^".*"$/.test(text) ? text.slice(1, -1) : text;
}
