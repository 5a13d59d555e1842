-- Connection profiles. Settings are JSON validated by zod on the way in and out;
-- secrets live only in the secrets table, sealed by the vault.
CREATE TABLE profiles (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  environment TEXT NOT NULL,
  settings    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE secrets (
  profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  sealed     BLOB NOT NULL,
  PRIMARY KEY (profile_id, name)
);

-- Host keys the operator trusted in the app (after ~/.ssh/known_hosts had no entry).
CREATE TABLE trusted_host_keys (
  host        TEXT NOT NULL,
  port        INTEGER NOT NULL,
  key_type    TEXT NOT NULL,
  key_base64  TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  trusted_at  TEXT NOT NULL,
  PRIMARY KEY (host, port, key_type)
);
