import { useRef } from 'react';
import type { SqlField } from '../../../../shared/contract';
import type { GridPane, Row } from '../../store/state/sql';

/** Widest a column starts (characters); the viewer shows the rest. */
const widestColumn = 40;
/** A cell's horizontal padding and border, beside its characters. */
const cellChrome = '13px';

/**
 * Fixed column widths, in characters of the grid's monospace font: the header, or the widest
 * value of the first window when it has arrived. Fixed widths keep the browser from measuring
 * every row's content on each frame while the operator scrolls.
 */
function columnLayout(
  resultId: string,
  fields: SqlField[],
  firstRows: Row[] | undefined,
  indexDigits: number,
): ColumnLayout {
  const chars = fields.map((field, j) => {
    let widest = field.name.length + field.type.length + 3;
    for (const row of firstRows ?? []) widest = Math.max(widest, Math.min(widestColumn, row[j]?.length ?? 4));
    return Math.min(widest, widestColumn);
  });
  const all = [indexDigits + 1, ...chars];
  return {
    resultId,
    fromRows: !!firstRows,
    indexDigits,
    parts: all.map((n) => `calc(${n}ch + ${cellChrome})`),
    template: all.map((n) => `calc(${n}ch + ${cellChrome})`).join(' '),
    width: `calc(${all.reduce((a, b) => a + b, 0)}ch + ${all.length} * ${cellChrome})`,
  };
}

export interface ColumnLayout {
  resultId: string;
  fromRows: boolean;
  indexDigits: number;
  /** Each column's width (the index column first). */
  parts: string[];
  template: string;
  width: string;
}

/** The result's column layout, measured once its first rows arrive and kept through sorts and filters. */
export function useColumnLayout(grid: GridPane | undefined): ColumnLayout | undefined {
  const kept = useRef<ColumnLayout>(undefined);
  if (!grid) return undefined;
  const firstRows = grid.blocks[0];
  const indexDigits = Math.max(7, String(grid.status.rowCount).length);
  const current = kept.current;
  if (
    !current ||
    current.resultId !== grid.resultId ||
    (!current.fromRows && firstRows) ||
    current.indexDigits < indexDigits
  ) {
    kept.current = columnLayout(grid.resultId, grid.fields, firstRows, indexDigits);
  }
  return kept.current;
}
