import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Rows per block of the spill file's index: a window read decodes at most one block too many. */
const blockRows = 256;

/** Rough size of a decoded row in memory (V8 strings, array slots), for the memory bound. */
function rowBytes(row: unknown[]): number {
  let bytes = 16 + row.length * 8;
  for (const value of row) bytes += typeof value === 'string' ? 16 + value.length * 2 : 8;
  return bytes;
}

/**
 * Decoded rows kept in order: in memory up to `memoryBytes`, the rest appended to a temp file as
 * JSON lines (0600, removed on dispose) with the byte offset of every 256th row, so a window
 * anywhere in a million rows is one read of a few kilobytes. Values are what pg gave (strings
 * or null), so a JSON round trip returns them unchanged.
 */
export class RowStore {
  readonly #memory: unknown[][] = [];
  #memoryBytes = 0;
  #count = 0;
  #dir: string | undefined;
  #fd: number | undefined;
  #fileBytes = 0;
  /** Byte offset in the spill file of spilled row `i * blockRows`. */
  readonly #blockOffsets: number[] = [];

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
    let spilledCount = this.#count + from - this.#memory.length;
    const parts: string[] = [];
    let chunkBytes = 0;
    for (let i = from; i < rows.length; i++, spilledCount++) {
      if (spilledCount % blockRows === 0) this.#blockOffsets.push(this.#fileBytes + chunkBytes);
      const line = `${JSON.stringify(rows[i])}\n`;
      parts.push(line);
      chunkBytes += Buffer.byteLength(line);
    }
    const buffer = Buffer.from(parts.join(''));
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

  private readSpilled(from: number, to: number): unknown[][] {
    const firstBlock = Math.floor(from / blockRows);
    const lastBlock = Math.floor((to - 1) / blockRows);
    const start = this.#blockOffsets[firstBlock]!;
    const stop = this.#blockOffsets[lastBlock + 1] ?? this.#fileBytes;
    const buffer = Buffer.alloc(stop - start);
    readSync(this.#fd!, buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    const skip = from - firstBlock * blockRows;
    return lines.slice(skip, skip + (to - from)).map((line) => JSON.parse(line) as unknown[]);
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
