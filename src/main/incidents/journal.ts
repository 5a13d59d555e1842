import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { eventKinds } from '../../shared/incident';
import { OpsError } from '../errors';
import { suspectFileOf } from '../store/database';

/** One record the store could not take, as it will be appended to the timeline later. */
export const journalEntrySchema = z
  .object({
    id: z.string().min(1),
    incidentId: z.string().min(1).optional(),
    kind: z.enum(eventKinds),
    payload: z.record(z.string(), z.unknown()),
    at: z.string().min(1),
    operator: z.string(),
    /** Milliseconds since the writing process started (performance.now()): orders entries of one process. */
    monoMs: z.number().optional(),
    /** The writing process run (see processRun), so the offset is compared only within it. */
    processRun: z.string().max(64).optional(),
    /** Why the store refused it (locked, full, damaged, io). */
    reason: z.string(),
  })
  .strict();
export type JournalEntry = z.infer<typeof journalEntrySchema>;

const reserveBytes = 256 * 1024;

/**
 * The fallback journal: append-only JSON lines in `<data>/journal/`, one file per process (so a
 * file is only ever removed by the process that writes it, never under a writer's feet), each line
 * fsync'd before the action it records goes on, files 0600. A small reserve file is kept beside
 * it and given up when the disk is full, so the journal can still take the records that matter.
 */
export class FallbackJournal {
  readonly dir: string;
  readonly #own: string;
  #ownWritten = false;
  #lastScan = -Infinity;
  #othersPending = false;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'journal');
    this.#own = join(this.dir, `pending-${Date.now()}-${process.pid}.jsonl`);
  }

  /** Whether a data folder's journal holds records not yet in the timeline (without creating anything). */
  static pendingIn(dataDir: string): boolean {
    return new FallbackJournal(dataDir).files().length > 0;
  }

  /** Appends and fsyncs one entry; on a full disk, frees the reserve once and tries again. */
  append(entry: JournalEntry): void {
    const line = JSON.stringify(entry) + '\n';
    try {
      this.write(line);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC' || !this.releaseReserve()) throw this.unwritable(error);
      try {
        this.write(line);
      } catch (again) {
        throw this.unwritable(again);
      }
    }
    this.#ownWritten = true;
  }

  /** Whether any process left entries to drain; other processes' files are looked for at most once a second. */
  hasPending(): boolean {
    if (this.#ownWritten) return true;
    const now = performance.now();
    if (now - this.#lastScan >= 1000) {
      this.#lastScan = now;
      this.#othersPending = this.files().length > 0;
    }
    return this.#othersPending;
  }

  /** Every pending entry of every process, in recording order (wall time, then each file's order). */
  read(): JournalEntry[] {
    const entries: { entry: JournalEntry; order: number }[] = [];
    let order = 0;
    for (const file of this.files()) {
      for (const line of readFileSync(join(this.dir, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        // A line cut short by a crash mid-write was never acknowledged: skip it.
        const parsed = safeJson(line);
        const entry = journalEntrySchema.safeParse(parsed);
        if (entry.success) entries.push({ entry: entry.data, order: order++ });
      }
    }
    return entries.sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.order - b.order).map((e) => e.entry);
  }

  /**
   * After every entry was appended to the timeline: removes the files of this process (it is
   * single-threaded, so none is being written now) and of processes that are gone; a live other
   * process removes its own file at its next drain.
   */
  drained(): void {
    for (const file of this.files()) {
      const pid = Number(/^pending-\d+-(\d+)\.jsonl$/.exec(file)?.[1]);
      if (pid === process.pid || !alive(pid)) unlinkSync(join(this.dir, file));
    }
    this.#ownWritten = false;
    this.#othersPending = false;
    this.ensureReserve();
  }

  /** Keeps the reserve that a full disk gives up for the journal. */
  ensureReserve(): void {
    const reserve = join(this.dir, 'reserve');
    try {
      if (existsSync(reserve)) return;
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(reserve, Buffer.alloc(reserveBytes), { mode: 0o600 });
    } catch {
      // No room for the reserve now: it is made again after the next drain.
    }
  }

  private write(line: string): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(this.#own, 'a', 0o600);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private releaseReserve(): boolean {
    try {
      unlinkSync(join(this.dir, 'reserve'));
      return true;
    } catch {
      return false;
    }
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir).filter((f) => f.startsWith('pending-') && f.endsWith('.jsonl')).sort();
    } catch {
      return [];
    }
  }

  private unwritable(error: unknown): OpsError {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOSPC' ? 'the disk is full: free some space on it' : `${code ?? (error as Error).message}: check the folder's permissions and disk`;
    return new OpsError('store_unavailable', `Neither the incident store nor its fallback journal (${this.dir}) can be written: ${what}.`, { cause: error });
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A write met damage: the next open quick-checks the store and moves it aside if SQLite confirms. */
export function markStoreSuspect(dbFile: string): void {
  try {
    writeFileSync(suspectFileOf(dbFile), new Date().toISOString(), { mode: 0o600 });
  } catch {
    // The journal already holds the record; the next open will meet the damage itself.
  }
}

/** One pending retry at a time, unref'd so it never keeps a CLI process alive. */
export class RetryTimer {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly delayMs: number) {}

  /** Runs `attempt` after the delay; again while it returns true (still failing). */
  schedule(attempt: () => boolean): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (attempt()) this.schedule(attempt);
    }, this.delayMs);
    this.#timer.unref?.();
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
