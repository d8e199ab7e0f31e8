-- Facts about the store itself. 'secret-key-check': a value sealed with the secret key that seals
-- private keys at rest, so a replica or restart with another key is refused at start
-- (docs/decisions/011-postgresql.md).
CREATE TABLE store_settings (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
