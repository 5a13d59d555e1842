import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const anchorFileSchema = z
  .object({
    version: z.literal(1),
    heads: z.record(z.string(), z.object({ seq: z.number().int().min(1), hash: z.string() }).strict()),
  })
  .strict();
export type Head = { seq: number; hash: string };

/**
 * The last committed {seq, hash} of every incident, kept in a small file beside the store (not in
 * it): a chain cut short (a truncated or rolled-back WAL, a replaced or restored database file)
 * still verifies against itself, but not against this. Written atomically (temp file + rename)
 * at most once per `intervalMs` (and when the recorder is disposed): under a steady stream of
 * group commits, one per event-loop turn, a write per commit (read, merge, write, rename) would
 * cost several times the commits themselves. A crash before the write leaves the anchor a little
 * behind, never ahead of what was committed.
 */
export class HeadAnchor {
  readonly #pending = new Map<string, Head>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly intervalMs = 50,
  ) {}

  /** Notes a committed head; the file is written within `intervalMs`, once for all heads noted meanwhile. */
  note(incidentId: string, head: Head): void {
    this.#pending.set(incidentId, head);
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.intervalMs);
    this.#timer.unref?.();
  }

  /** Writes the noted heads now, merged with what other processes wrote (the higher seq wins). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const heads = this.readAll();
    for (const [id, head] of this.#pending) if (!heads[id] || heads[id].seq <= head.seq) heads[id] = head;
    this.#pending.clear();
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify({ version: 1, heads }), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch {
      // A full disk or a read-only folder: the anchor stays behind; verification says less, recording goes on.
    }
  }

  /** The anchored head of one incident (pending ones included). */
  get(incidentId: string): Head | undefined {
    return this.#pending.get(incidentId) ?? this.readAll()[incidentId];
  }

  private readAll(): Record<string, Head> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    const parsed = anchorFileSchema.safeParse(safeJson(text));
    return parsed.success ? parsed.data.heads : {};
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
