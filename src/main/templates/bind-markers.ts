/**
 * Finds the `$n` bind markers of a SQL text outside string literals, quoted identifiers, comments
 * and dollar-quoted bodies, so identifier parameters can be quoted in and the other markers
 * renumbered. Values never pass through here: only the template's own text.
 */
export interface BindMarker {
  start: number;
  end: number;
  index: number;
}

export function findBindMarkers(sql: string): BindMarker[] {
  const markers: BindMarker[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && !/[\w$]/.test(sql[i - 2] ?? ' ');
      i = skipQuoted(sql, i, "'", escapes);
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
    } else if (c === '$') {
      const marker = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 70));
      if (marker && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
        markers.push({ start: i, end: i + marker[0].length, index: Number(marker[1]) });
        i += marker[0].length;
      } else if (tag && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? sql.length : close + tag[0].length;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  return markers;
}

function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) (depth++, (i += 2));
    else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

/**
 * Replaces the markers of identifier parameters (1-based positions in `identifiers`) with their
 * quoted text and renumbers the remaining markers densely; returns the new text and, for each new
 * `$k`, the original parameter position it binds.
 */
export function spliceIdentifiers(sql: string, identifiers: Map<number, string>): { sql: string; order: number[] } {
  const markers = findBindMarkers(sql);
  const order: number[] = [];
  const renumbered = new Map<number, number>();
  let out = '';
  let last = 0;
  for (const marker of markers) {
    out += sql.slice(last, marker.start);
    last = marker.end;
    const quoted = identifiers.get(marker.index);
    if (quoted !== undefined) {
      out += quoted;
      continue;
    }
    let k = renumbered.get(marker.index);
    if (k === undefined) {
      order.push(marker.index);
      k = order.length;
      renumbered.set(marker.index, k);
    }
    out += `$${k}`;
  }
  return { sql: out + sql.slice(last), order };
}

/** Quotes an identifier the way quote_ident does when it must: always, doubling inner quotes. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
