import type { HistoryEntry, HistoryOutcome } from '../../../shared/contract';
import type { RiskLevel } from '../../../shared/risk';
import type { Db } from '../../store/database';

/** One run to keep: already redacted (it comes from the timeline's recorded event). */
export type NewHistoryEntry = Omit<HistoryEntry, 'id'>;

/** A search as the repository takes it (validated at the boundary). */
export interface HistoryQuery {
  profileId?: string;
  grep?: string;
  since?: string;
  until?: string;
  outcome?: HistoryOutcome;
  limit: number;
}

interface Row {
  id: number;
  at: string;
  profile_id: string;
  profile_name: string;
  operator: string;
  sql: string;
  params: string;
  risk: string;
  outcome: string;
  row_count: number | null;
  duration_ms: number | null;
  incident_id: string | null;
}

const dayMs = 86_400_000;
/** Pruning on every append would be wasted work: once per this many appends (and on open). */
const pruneEvery = 500;

/**
 * The query history in the local store. Text search goes through a trigram FTS5 index walked
 * newest first (by rowid), so 100,000 entries search in milliseconds; fewer than three characters
 * fall back to a newest-first scan, which stops at LIMIT.
 */
export class HistoryRepository {
  readonly #insert;
  readonly #prune;
  readonly #anyOlder;
  #appends = 0;

  constructor(
    private readonly db: Db,
    private readonly retentionDays: () => number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#insert =
      db.prepare(`INSERT INTO query_history (at, profile_id, profile_name, operator, sql, params, risk, outcome, row_count, duration_ms, incident_id)
      VALUES (@at, @profileId, @profile, @operator, @sql, @params, @risk, @outcome, @rowCount, @durationMs, @incidentId)`);
    this.#prune = db.prepare('DELETE FROM query_history WHERE at < ?');
    this.#anyOlder = db.prepare<[string], { found: number }>(
      'SELECT 1 AS found FROM query_history WHERE at < ? LIMIT 1',
    );
    this.prune();
  }

  append(entry: NewHistoryEntry): number {
    const id = Number(this.#insert.run({ ...entry, params: JSON.stringify(entry.params) }).lastInsertRowid);
    if (++this.#appends % pruneEvery === 0) this.prune();
    return id;
  }

  /** Many entries in one transaction (imports, benchmarks). */
  appendMany(entries: NewHistoryEntry[]): void {
    this.db.transaction(() =>
      entries.forEach((entry) => this.#insert.run({ ...entry, params: JSON.stringify(entry.params) })),
    )();
  }

  /**
   * Removes entries older than the retention period; returns how many went. It runs when the
   * store opens, so it never waits for a lock (readers never wait for a writer): a store busy
   * elsewhere is pruned next time, and a store with nothing old takes no write at all.
   */
  prune(): number {
    const cutoff = new Date(this.now().getTime() - this.retentionDays() * dayMs).toISOString();
    if (!this.#anyOlder.get(cutoff)) return 0;
    const busy = this.db.pragma('busy_timeout', { simple: true }) as number;
    try {
      this.db.pragma('busy_timeout = 0');
      return this.#prune.run(cutoff).changes;
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return 0;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${busy}`);
    }
  }

  search(query: HistoryQuery): HistoryEntry[] {
    const where: string[] = [];
    const values: unknown[] = [];
    const grep = query.grep?.trim().toLowerCase() ?? '';
    // Dates become id bounds (ids grow with time): the newest-first walk then stops early.
    const bounds = this.idBounds(query);
    if (!bounds) return [];
    const id = grep.length >= 3 ? 'f.rowid' : 'h.id';
    if (bounds.min !== undefined) (where.push(`${id} >= ?`), values.push(bounds.min));
    if (bounds.max !== undefined) (where.push(`${id} <= ?`), values.push(bounds.max));
    if (grep.length >= 3) (where.push('query_history_fts MATCH ?'), values.push(trigramQuery(grep)));
    if (grep) (where.push('instr(lower(h.sql), ?) > 0'), values.push(grep));
    if (query.profileId) (where.push('h.profile_id = ?'), values.push(query.profileId));
    if (query.since) (where.push('h.at >= ?'), values.push(new Date(query.since).toISOString()));
    if (query.until) (where.push('h.at < ?'), values.push(new Date(query.until).toISOString()));
    if (query.outcome) (where.push('h.outcome = ?'), values.push(query.outcome));
    const from = grep.length >= 3 ? 'query_history_fts f JOIN query_history h ON h.id = f.rowid' : 'query_history h';
    const sql = `SELECT h.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${id} DESC LIMIT ?`;
    return this.db
      .prepare<unknown[], Row>(sql)
      .all(...values, query.limit)
      .map(toEntry);
  }

  /** The id range the dates cover; undefined when no entry falls inside them. */
  private idBounds(query: HistoryQuery): { min?: number; max?: number } | undefined {
    const bounds: { min?: number; max?: number } = {};
    if (query.since) {
      const row = this.db
        .prepare<[string], { id: number }>('SELECT id FROM query_history WHERE at >= ? ORDER BY at LIMIT 1')
        .get(new Date(query.since).toISOString());
      if (!row) return undefined;
      bounds.min = row.id;
    }
    if (query.until) {
      const row = this.db
        .prepare<[string], { id: number }>('SELECT id FROM query_history WHERE at < ? ORDER BY at DESC LIMIT 1')
        .get(new Date(query.until).toISOString());
      if (!row) return undefined;
      bounds.max = row.id;
    }
    return bounds;
  }

  /** Clears one profile's history, or all of it. */
  clear(profileId?: string): number {
    return profileId
      ? this.db.prepare('DELETE FROM query_history WHERE profile_id = ?').run(profileId).changes
      : this.db.prepare('DELETE FROM query_history').run().changes;
  }
}

/** Most trigrams a text search asks the index for; the substring check on each candidate does the rest. */
const maxTrigrams = 12;

/**
 * The text as an FTS5 query of its trigrams, all required (an AND of several is far cheaper for the
 * index than one phrase of them all). Candidates are then checked for the exact substring.
 */
function trigramQuery(text: string): string {
  // Non-overlapping trigrams cover the text with a third of the terms (and the last one ends it).
  const last = text.length - 3;
  const step = Math.max(3, Math.ceil(last / maxTrigrams));
  const starts = [...Array.from({ length: Math.floor(last / step) + 1 }, (_, i) => i * step), last];
  const picked = new Set(starts.map((i) => text.slice(i, i + 3)));
  return [...picked].map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

function toEntry(row: Row): HistoryEntry {
  let params: HistoryEntry['params'] = [];
  try {
    params = JSON.parse(row.params) as HistoryEntry['params'];
  } catch {
    // A damaged value: shown without its parameters rather than failing the whole search.
  }
  return {
    id: row.id,
    at: row.at,
    profile: row.profile_name,
    profileId: row.profile_id,
    operator: row.operator,
    sql: row.sql,
    params,
    risk: row.risk as RiskLevel,
    outcome: row.outcome as HistoryOutcome,
    rowCount: row.row_count,
    durationMs: row.duration_ms,
    incidentId: row.incident_id,
  };
}
