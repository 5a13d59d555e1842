import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
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
 * The fallback journal: append-only JSON lines in `<data>/journal/`, one file per process, each
 * line fsync'd before the action it records goes on, files 0600. A small reserve file is kept
 * beside it and given up when the disk is full, so the journal can still take the records that matter.
 *
 * Draining is safe across processes by rename-claims: a drainer renames each `pending-…` file
 * (its own, a live writer's, a dead one's) to `claimed-<its pid>-…` before reading it, so two
 * drainers never take the same file, and removes only the files it claimed, after the timeline
 * took them. A writer opens its file by path for every line and checks, after the fsync, that the
 * path still names the file it wrote: if a drainer renamed it meanwhile, the line is written again
 * (the entry's id keeps the timeline from taking it twice). Claims of a drainer that died are
 * taken over by the next one.
 */
export class FallbackJournal {
  readonly dir: string;
  readonly #own: string;
  #ownWritten = false;
  #lastScan = -Infinity;
  #othersPending = false;
  /** Files this process claimed and has not yet removed (the timeline has not taken them yet). */
  #claimed = new Set<string>();

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
    if (this.#ownWritten || this.#claimed.size) return true;
    const now = performance.now();
    if (now - this.#lastScan >= 1000) {
      this.#lastScan = now;
      this.#othersPending = this.files().length > 0;
    }
    return this.#othersPending;
  }

  /** Every pending entry of every process (claimed or not), in recording order, each once: for showing, not draining. */
  read(): JournalEntry[] {
    return this.entriesOf(this.files());
  }

  /**
   * Claims every pending file no live drainer holds (renaming it to this process's name) and
   * returns their entries in recording order. Call drained() once the timeline took them.
   */
  claim(): JournalEntry[] {
    for (const file of this.files()) {
      const claimant = Number(/^claimed-(\d+)-/.exec(file)?.[1]);
      if (file.startsWith('claimed-') && (claimant === process.pid || alive(claimant))) continue;
      const claimed = `claimed-${process.pid}-${Date.now()}-${file.replace(/^(claimed-\d+-\d+-)+/, '')}`;
      try {
        renameSync(join(this.dir, file), join(this.dir, claimed));
      } catch {
        continue; // another drainer claimed it first
      }
      this.#claimed.add(claimed);
    }
    this.#ownWritten = false;
    return this.entriesOf([...this.#claimed].sort());
  }

  /** The store refused the claimed entries: gives the files back under their pending names, for any drainer. */
  release(): void {
    for (const file of this.#claimed) {
      try {
        renameSync(join(this.dir, file), join(this.dir, file.replace(/^claimed-\d+-\d+-/, '')));
      } catch {
        // Gone or unreachable: a claim of a process that exits is taken over anyway.
      }
    }
    this.#claimed.clear();
  }

  /** After the timeline took every claimed entry: removes the claimed files (and only those). */
  drained(): void {
    for (const file of this.#claimed) rmSync(join(this.dir, file), { force: true });
    this.#claimed.clear();
    this.#othersPending = false;
    this.#lastScan = -Infinity;
    this.ensureReserve();
  }

  private entriesOf(files: string[]): JournalEntry[] {
    const entries: { entry: JournalEntry; order: number }[] = [];
    const seen = new Set<string>();
    let order = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, file), 'utf8');
      } catch {
        continue; // claimed and removed by another drainer meanwhile: its entries are in the timeline
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        // A line cut short by a crash mid-write was never acknowledged: skip it.
        const entry = journalEntrySchema.safeParse(safeJson(line));
        if (entry.success && !seen.has(entry.data.id))
          (seen.add(entry.data.id), entries.push({ entry: entry.data, order: order++ }));
      }
    }
    return entries.sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.order - b.order).map((e) => e.entry);
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

  /** One line, fsync'd; written again when a drainer renamed the file between our open and our check. */
  private write(line: string): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (;;) {
      const fd = openSync(this.#own, 'a', 0o600);
      try {
        writeSync(fd, line);
        fsyncSync(fd);
        if (stillAt(fd, this.#own)) return;
      } finally {
        closeSync(fd);
      }
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
      return readdirSync(this.dir)
        .filter((f) => (f.startsWith('pending-') || f.startsWith('claimed-')) && f.endsWith('.jsonl'))
        .sort();
    } catch {
      return [];
    }
  }

  private unwritable(error: unknown): OpsError {
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOSPC'
        ? 'the disk is full: free some space on it'
        : `${code ?? (error as Error).message}: check the folder's permissions and disk`;
    return new OpsError(
      'store_unavailable',
      `Neither the incident store nor its fallback journal (${this.dir}) can be written: ${what}.`,
      { cause: error },
    );
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Whether `path` still names the file open as `fd` (a drainer may have renamed it away). */
function stillAt(fd: number, path: string): boolean {
  try {
    return statSync(path).ino === fstatSync(fd).ino;
  } catch {
    return false;
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
