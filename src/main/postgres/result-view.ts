import type { RowStore } from './row-store';

export interface ViewSpec {
  sort?: { column: number; direction: 'asc' | 'desc' };
  filter?: string;
}

const numeric = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** NULLs last; numbers as numbers when both sides look like numbers (values arrive as text). */
function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : 1;
}

/**
 * A sorted and/or filtered order over the rows loaded when it was built: an index of row
 * numbers (4 bytes a row), so a million rows sort without a second copy of their values.
 */
export class ResultView {
  private constructor(
    private readonly spec: ViewSpec,
    private readonly builtAt: number,
    private readonly order: Uint32Array,
  ) {}

  get count(): number {
    return this.order.length;
  }

  /** Same spec and no rows arrived since it was built. */
  matches(spec: ViewSpec, rowCount: number): boolean {
    return (
      rowCount === this.builtAt &&
      spec.filter === this.spec.filter &&
      spec.sort?.column === this.spec.sort?.column &&
      spec.sort?.direction === this.spec.sort?.direction
    );
  }

  static build(store: RowStore, spec: ViewSpec): ResultView {
    const needle = spec.filter?.toLowerCase() || undefined;
    const column = spec.sort?.column;
    const indexes: number[] = [];
    const keys: (string | null)[] = [];
    for (const { offset, rows } of store.chunks()) {
      rows.forEach((row, i) => {
        if (needle && !row.some((v) => typeof v === 'string' && v.toLowerCase().includes(needle))) return;
        indexes.push(offset + i);
        if (column !== undefined) keys.push((row[column] ?? null) as string | null);
      });
    }
    const order = Uint32Array.from(indexes.keys());
    if (column !== undefined) {
      const sign = spec.sort!.direction === 'desc' ? -1 : 1;
      order.sort((a, b) => sign * compare(keys[a]!, keys[b]!) || a - b);
    }
    return new ResultView(
      spec,
      store.count,
      order.map((i) => indexes[i]!),
    );
  }

  read(store: RowStore, offset: number, limit: number): (string | null)[][] {
    const out: (string | null)[][] = [];
    for (let i = offset; i < Math.min(this.order.length, offset + limit); i++)
      out.push(store.read(this.order[i]!, 1)[0] as (string | null)[]);
    return out;
  }
}
