-- Query history: every SQL run (app and CLI), per profile, as the timeline recorded it (already
-- redacted by the one redactor). Pruned by age (Settings: historyRetentionDays).
CREATE TABLE query_history (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           TEXT NOT NULL,
  profile_id   TEXT NOT NULL,
  profile_name TEXT NOT NULL,
  operator     TEXT NOT NULL,
  sql          TEXT NOT NULL,
  params       TEXT NOT NULL DEFAULT '[]',
  risk         TEXT NOT NULL,
  outcome      TEXT NOT NULL,
  row_count    INTEGER,
  duration_ms  REAL,
  incident_id  TEXT
);
CREATE INDEX query_history_profile ON query_history (profile_id, id);
CREATE INDEX query_history_at ON query_history (at);

-- Substring search in SQL text without a full scan: a trigram index answers LIKE '%text%'.
CREATE VIRTUAL TABLE query_history_fts USING fts5 (sql, content = 'query_history', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER query_history_ai AFTER INSERT ON query_history BEGIN
  INSERT INTO query_history_fts (rowid, sql) VALUES (new.id, new.sql);
END;
CREATE TRIGGER query_history_ad AFTER DELETE ON query_history BEGIN
  INSERT INTO query_history_fts (query_history_fts, rowid, sql) VALUES ('delete', old.id, old.sql);
END;
