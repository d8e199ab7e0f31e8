-- Console sign-in, roles and audit (issue #8, docs/decisions/007-sign-in-roles-audit.md).
-- People are the `users` of 0004: the same row signs in to the console (password) and owns API
-- keys (OCI face); its role applies to both. Users made before this migration keep what they
-- could do (operator) and have no password until an admin sets one.

ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'operator'
  CHECK (role IN ('viewer', 'operator', 'admin'));
ALTER TABLE users ADD COLUMN password_hash TEXT;   -- scrypt$N$r$p$salt$hash (base64); NULL: API keys only
ALTER TABLE users ADD COLUMN time_disabled TEXT;   -- set: no sign-in, no session, no API key works

-- Server-side sessions: the cookie holds a random id, only its SHA-256 is stored.
CREATE TABLE sessions (
  id_hash        TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users (id),
  csrf_token     TEXT NOT NULL,
  time_created   TEXT NOT NULL,
  time_last_seen TEXT NOT NULL,
  time_expires   TEXT NOT NULL            -- absolute expiry; idle expiry is time_last_seen + idle
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Who changed what, when, from where; refused attempts too.
CREATE TABLE audit_events (
  id          INTEGER PRIMARY KEY,
  time        TEXT NOT NULL,
  actor       TEXT NOT NULL,              -- user name, 'anonymous' (unsigned OCI calls) or 'system'
  actor_id    TEXT,
  via         TEXT NOT NULL CHECK (via IN ('console', 'api', 'import', 'job', 'cli')),
  kind        TEXT NOT NULL,
  resource_id TEXT,
  mesh_id     TEXT,
  action      TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('SUCCEEDED', 'REFUSED')),
  status      INTEGER,
  message     TEXT,
  before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
  after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
  request_id  TEXT
);
CREATE INDEX audit_events_time ON audit_events (time);
CREATE INDEX audit_events_mesh ON audit_events (mesh_id, time);
CREATE INDEX audit_events_actor ON audit_events (actor, time);
