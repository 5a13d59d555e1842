import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** What a tool hands back before it becomes an MCP reply: the data, and a compact text for reading. */
export interface ToolReply {
  data: Record<string, unknown>;
  text: string;
  /** Rows returned (counted against the row budget and recorded). */
  rows?: number;
}

/** A result table as an assistant receives it: masked columns, capped cells, and what was cut. */
export interface MaskedTable {
  columns: string[];
  rows: unknown[][];
  maskedColumns: string[];
  cutCells: number;
}

/** The shared masking module, loaded with the first table: its RE2 engine is not needed to answer the handshake. */
export const maskPatterns = () => import('../shared/mask-patterns');

/** Masks the columns whose names match the profile's patterns (the defaults when it sets none) and cuts cells longer than `cellCap`. */
export async function maskTable(
  columns: string[],
  rows: unknown[][],
  patterns: readonly string[] | undefined,
  cellCap: number,
): Promise<MaskedTable> {
  const { defaultMaskPatterns, isMaskedColumn, maskedValue } = await maskPatterns();
  const masked = columns.map((c) => isMaskedColumn(c, patterns ?? defaultMaskPatterns));
  let cutCells = 0;
  const cell = (value: unknown, i: number): unknown => {
    if (masked[i] && value !== null) return maskedValue;
    if (typeof value === 'string' && value.length > cellCap) {
      cutCells++;
      return `${value.slice(0, cellCap)}… [cut at ${cellCap} characters]`;
    }
    return value;
  };
  return {
    columns,
    rows: rows.map((row) => row.map(cell)),
    maskedColumns: columns.filter((_, i) => masked[i]),
    cutCells,
  };
}

/** A compact text table: header, then one line per row, cells separated by " | ". */
export function textTable(columns: string[], rows: unknown[][]): string {
  // One row per line: newlines and other control bytes in data are shown escaped.
  const escape = (text: string) =>
    text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const show = (v: unknown) =>
    v === null || v === undefined ? 'NULL' : escape(typeof v === 'string' ? v : JSON.stringify(v));
  return [columns.join(' | '), ...rows.map((r) => r.map(show).join(' | '))].join('\n');
}

/** Every string of a value passed through the redactor (keys too: a secret may be a hash field). */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)]));
  return value;
}

const bytesOf = (result: CallToolResult) => Buffer.byteLength(JSON.stringify(result));

/**
 * The MCP reply: structured content and text, redacted, never larger than `limit` bytes. A reply
 * over the limit loses rows from its end (said in both forms) until it fits.
 */
export function toCallResult(reply: ToolReply, redact: (text: string) => string, limit: number): CallToolResult {
  let data = redactDeep(reply.data, redact) as Record<string, unknown>;
  let result: CallToolResult = { content: [{ type: 'text', text: redact(reply.text) }], structuredContent: data };
  if (bytesOf(result) <= limit) return result;
  const rows = Array.isArray(data.rows) ? (data.rows as unknown[][]) : undefined;
  let keep = rows?.length ?? 0;
  while (rows && keep > 0) {
    keep = Math.floor(keep / 2);
    const note = `Reply cut to ${keep} of ${rows.length} rows to stay under ${Math.round(limit / 1024)} kB: select fewer columns or add a LIMIT.`;
    data = { ...data, rows: rows.slice(0, keep), replyCut: note };
    const columns = (data.columns as string[] | undefined) ?? [];
    result = {
      content: [{ type: 'text', text: `${note}\n${redact(textTable(columns, rows.slice(0, keep)))}` }],
      structuredContent: data,
    };
    if (bytesOf(result) <= limit) return result;
  }
  const note = `The reply was larger than ${Math.round(limit / 1024)} kB and was dropped: ask for less (fewer columns, a LIMIT, a narrower key pattern).`;
  return { content: [{ type: 'text', text: note }], structuredContent: { replyCut: note } };
}
