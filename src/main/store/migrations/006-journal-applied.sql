-- Fallback-journal entries already appended to the timeline (by id), so a journal read twice
-- (a crash between the append and the journal's removal, two processes draining at once) never
-- records an event twice.
CREATE TABLE journal_applied (
  id         TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
) WITHOUT ROWID;
