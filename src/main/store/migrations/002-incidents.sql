-- Incidents (and implicit sessions), their append-only timeline, and attachments.
CREATE TABLE incidents (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('session', 'incident')),
  title       TEXT NOT NULL,
  severity    TEXT CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
  status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'mitigated', 'resolved')),
  commander   TEXT,
  profiles    TEXT NOT NULL DEFAULT '[]', -- JSON [{id, name, environment}]
  report      TEXT NOT NULL DEFAULT '{}', -- JSON report fields (summary, impact, …)
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- One row per event, chained per incident: hash = SHA-256 over the canonical JSON of the event
-- including prev_hash. Rows are never updated nor deleted (triggers below).
CREATE TABLE incident_events (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  operator    TEXT NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;

-- Files kept with an incident (CSV results, asciicast recordings); referenced by an
-- 'attachment' event whose payload carries the SHA-256, so they are covered by the chain.
CREATE TABLE incident_attachments (
  id          TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  name        TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  content     BLOB NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX incident_attachments_by_incident ON incident_attachments (incident_id);

CREATE TRIGGER incident_attachments_no_update BEFORE UPDATE ON incident_attachments
BEGIN SELECT RAISE(ABORT, 'incident_attachments is append-only'); END;
CREATE TRIGGER incident_attachments_no_delete BEFORE DELETE ON incident_attachments
BEGIN SELECT RAISE(ABORT, 'incident_attachments is append-only'); END;

-- Which incident new actions are recorded into, and the recorder's settings (one row each).
CREATE TABLE incident_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
