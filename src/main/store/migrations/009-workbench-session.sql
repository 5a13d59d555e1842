-- The workbench as the operator left it, one row per profile ('' for the app: the open runbook):
-- its tabs with their unsaved editor text, validated by zod on read. Results are never kept.
CREATE TABLE workbench_session (
  scope      TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
