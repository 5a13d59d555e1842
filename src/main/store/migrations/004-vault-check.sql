-- Which vault key sealed this store's secrets: where it is kept and an HMAC of a fixed text
-- under it (never the key). A process holding another key (no keychain reachable, a replaced key
-- file) is refused before it seals anything the app could not open.
CREATE TABLE vault_check (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  protection  TEXT NOT NULL,
  key_check   TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
