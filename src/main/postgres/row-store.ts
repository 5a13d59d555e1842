import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Rows per block of the spill file: a window read decodes at most two blocks it does not need. */
const blockRows = 256;

/** Rough size of a decoded row in memory (V8 strings, array slots), for the memory bound. */
function rowBytes(row: unknown[]): number {
  let bytes = 16 + row.length * 8;
  for (const value of row) bytes += typeof value === 'string' ? 16 + value.length * 2 : 8;
  return bytes;
}

/**
 * Decoded rows kept in order: in memory up to `memoryBytes`, the rest appended to a temp file
 * (0600, removed on dispose) in blocks of up to 256 rows, one JSON array of rows per line, with
 * each block's first row and byte offset indexed, so a window anywhere in a million rows is one
 * read of a few kilobytes. A block is one JSON.stringify and one JSON.parse, not one per row.
 * Values are what pg gave (strings or null), so the JSON round trip returns them unchanged.
 */
export class RowStore {
  readonly #memory: unknown[][] = [];
  #memoryBytes = 0;
  #count = 0;
  #dir: string | undefined;
  #fd: number | undefined;
  #fileBytes = 0;
  /** Per spilled block: its first row (counted among spilled rows) and its byte offset. */
  readonly #blockFirstRows: number[] = [];
  readonly #blockOffsets: number[] = [];
  #spilledRows = 0;

  constructor(private readonly memoryLimit: number) {}

  get count(): number {
    return this.#count;
  }

  /** Rows held in memory (the first ones); the rest are in the temp file. */
  get memoryRows(): number {
    return this.#memory.length;
  }

  /** True once rows went to the temp file. */
  get spilled(): boolean {
    return this.#fd !== undefined;
  }

  append(rows: unknown[][]): void {
    let i = 0;
    if (this.#fd === undefined) {
      for (; i < rows.length && this.#memoryBytes < this.memoryLimit; i++) {
        this.#memory.push(rows[i]!);
        this.#memoryBytes += rowBytes(rows[i]!);
      }
    }
    if (i < rows.length) this.spill(rows, i);
    this.#count += rows.length;
  }

  private spill(rows: unknown[][], from: number): void {
    if (this.#fd === undefined) {
      this.#dir = mkdtempSync(join(tmpdir(), 'opsconsole-result-'));
      this.#fd = openSync(join(this.#dir, 'rows.jsonl'), 'w+', 0o600);
    }
    const buffers: Buffer[] = [];
    let bytes = 0;
    for (let i = from; i < rows.length; i += blockRows) {
      const block = rows.slice(i, i + blockRows);
      const encoded = Buffer.from(`${JSON.stringify(block)}\n`);
      this.#blockFirstRows.push(this.#spilledRows);
      this.#blockOffsets.push(this.#fileBytes + bytes);
      this.#spilledRows += block.length;
      buffers.push(encoded);
      bytes += encoded.length;
    }
    const buffer = Buffer.concat(buffers, bytes);
    writeSync(this.#fd, buffer, 0, buffer.length, this.#fileBytes);
    this.#fileBytes += buffer.length;
  }

  /** Rows `offset` … `offset + limit - 1` (fewer at the end). */
  read(offset: number, limit: number): unknown[][] {
    const end = Math.min(this.#count, offset + limit);
    if (offset >= end) return [];
    const inMemory = this.#memory.length;
    const out = offset < inMemory ? this.#memory.slice(offset, Math.min(end, inMemory)) : [];
    if (end > inMemory) out.push(...this.readSpilled(Math.max(offset, inMemory) - inMemory, end - inMemory));
    return out;
  }

  /** Spilled rows `from` … `to - 1`: the blocks that hold them, read at once and decoded. */
  private readSpilled(from: number, to: number): unknown[][] {
    const firstBlock = this.blockOf(from);
    const lastBlock = this.blockOf(to - 1);
    const start = this.#blockOffsets[firstBlock]!;
    const stop = this.#blockOffsets[lastBlock + 1] ?? this.#fileBytes;
    const buffer = Buffer.alloc(stop - start);
    readSync(this.#fd!, buffer, 0, buffer.length, start);
    const rows: unknown[][] = [];
    for (const line of buffer.toString('utf8').split('\n')) if (line) rows.push(...(JSON.parse(line) as unknown[][]));
    const skip = from - this.#blockFirstRows[firstBlock]!;
    return rows.slice(skip, skip + (to - from));
  }

  /** The block holding spilled row `row` (binary search over the blocks' first rows). */
  private blockOf(row: number): number {
    let low = 0;
    let high = this.#blockFirstRows.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#blockFirstRows[mid]! <= row) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Walks every row in order, a chunk at a time (for sorting and filtering all of them). */
  *chunks(size = 8192): Generator<{ offset: number; rows: unknown[][] }> {
    for (let offset = 0; offset < this.#count; offset += size) yield { offset, rows: this.read(offset, size) };
  }

  dispose(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#fd = undefined;
    this.#dir = undefined;
    this.#memory.length = 0;
  }
}
