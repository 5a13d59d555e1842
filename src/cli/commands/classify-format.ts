import {
  reasonCatalog,
  reasonCode,
  type Reason,
  type RedisClassification,
  type SqlClassification,
} from '../../shared/risk';

/** One line per reason: the code as printed in JSON, then what it means. */
function reasonLines(reasons: Reason[], indent: string): string[] {
  return reasons.map((reason) => {
    const code = reasonCode(reason);
    return `${indent}${reason}: ${code ? reasonCatalog[code].meaning : 'unlisted reason'}`;
  });
}

function oneLine(text: string, max = 72): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "line 3, column 7" (1-based) of a UTF-16 index. */
function lineColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

/** The readable form of `opsconsole sql classify` (without --json). */
export function formatSqlClassification(sql: string, result: SqlClassification): string {
  const count = result.statements.length;
  const lines = [`risk: ${result.risk} (${count} statement${count === 1 ? '' : 's'})`];
  result.statements.forEach((statement, i) => {
    lines.push(
      '',
      `${i + 1}. ${statement.risk.padEnd(9)} ${oneLine(statement.text)}   [${statement.start}, ${statement.end})`,
    );
    if (statement.error)
      lines.push(`   parse error at ${lineColumn(sql, statement.error.position)}: ${statement.error.message}`);
    lines.push(...reasonLines(statement.reasons, '   - '));
  });
  return lines.join('\n');
}

/** The readable form of `opsconsole redis classify` (without --json). */
export function formatRedisClassification(result: RedisClassification): string {
  const shown = result.argv
    .map((arg) => (/^[\x21-\x7e]+$/.test(arg) && !/["'\\]/.test(arg) ? arg : JSON.stringify(arg)))
    .join(' ');
  return [`risk: ${result.risk}   ${oneLine(shown)}`, ...reasonLines(result.reasons, '  - ')].join('\n');
}
