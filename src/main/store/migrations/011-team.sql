-- Team mode (issue #29): the team database this installation ships its incidents to, and which
-- local timeline events are already in the shared timeline.
-- key/value: responder (this installation's id in event ids, kept across disconnects), config
-- (JSON: url or profile, display name), password (sealed by the vault, base64), last_shipped_at.
CREATE TABLE team_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Incidents shared with the team: how far the shared timeline has been fetched.
CREATE TABLE team_incidents (
  incident_id     TEXT PRIMARY KEY REFERENCES incidents(id),
  fetched_through INTEGER NOT NULL DEFAULT 0,
  last_synced_at  TEXT
) WITHOUT ROWID;

-- One row per local event that is in the shared timeline: 'own' (shipped from here and
-- acknowledged) or 'remote' (another responder's, appended here in the same transaction as this
-- row). The shared chain's fields are kept so it verifies offline too.
CREATE TABLE team_events (
  incident_id      TEXT NOT NULL,
  local_seq        INTEGER NOT NULL,
  event_id         TEXT NOT NULL UNIQUE,
  origin           TEXT NOT NULL CHECK (origin IN ('own', 'remote')),
  shared_seq       INTEGER NOT NULL,
  PRIMARY KEY (incident_id, local_seq)
) WITHOUT ROWID;

-- The outbox: own events of shared incidents not yet acknowledged by the team database. A view
-- over the timeline itself, so an event acknowledged locally is in the outbox from the same
-- commit on: a kill -9 between the two cannot lose it.
CREATE VIEW team_outbox AS
  SELECT e.incident_id, e.seq, e.at, e.operator, e.kind, e.payload, e.prev_hash, e.hash
  FROM incident_events e
  JOIN team_incidents t ON t.incident_id = e.incident_id
  LEFT JOIN team_events m ON m.incident_id = e.incident_id AND m.local_seq = e.seq
  WHERE m.event_id IS NULL;
