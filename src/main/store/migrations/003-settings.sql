-- Operator settings: one row per key, the value as JSON validated by zod on read and write.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
