-- The operator's query templates library: SQL with $n markers and typed parameters (JSON, validated by zod on read and write).
CREATE TABLE query_templates (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  sql         TEXT NOT NULL,
  params      TEXT NOT NULL DEFAULT '[]',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
