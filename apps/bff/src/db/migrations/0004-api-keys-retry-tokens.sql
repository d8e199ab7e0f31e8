-- API clients (spec §9): users own API keys; a signed request names `tenancy/user/fingerprint` and
-- is verified against the public key registered here. Issue #8 (console sign-in) adds its columns
-- to `users` rather than a second table of people.

CREATE TABLE users (
  id           TEXT PRIMARY KEY,      -- ocid1.user.oc1.local.<unique>
  tenancy_id   TEXT NOT NULL,         -- the tenancy OCID a client puts in its keyId
  name         TEXT NOT NULL UNIQUE,
  time_created TEXT NOT NULL
);

CREATE TABLE api_keys (
  user_id        TEXT NOT NULL REFERENCES users (id),
  fingerprint    TEXT NOT NULL,       -- colon-separated MD5 of the public key's SPKI DER (as OCI)
  public_key_pem TEXT NOT NULL,       -- SPKI PEM; the private key is never stored
  time_created   TEXT NOT NULL,
  time_revoked   TEXT,                -- a revoked key verifies nothing; registering it again revives it
  PRIMARY KEY (user_id, fingerprint)
);

-- `opc-retry-token` (spec §8.3): the first answer to a POST/PUT, kept 24 h and replayed exactly for
-- the same token, operation and body. The row is written in the same transaction as the write it
-- answers, so two concurrent requests with one token cannot both write.
CREATE TABLE retry_tokens (
  principal    TEXT NOT NULL,         -- the signing user's id; '' for unsigned calls (auth off)
  token        TEXT NOT NULL,
  operation    TEXT NOT NULL,         -- method and path, e.g. `POST /20220615/meshes`
  request_hash TEXT NOT NULL,         -- SHA-256 of the canonical JSON body
  status       INTEGER NOT NULL,
  headers      TEXT NOT NULL CHECK (json_valid(headers)),
  body         TEXT,                  -- the response body; NULL when there was none
  time_created TEXT NOT NULL,
  time_expires TEXT NOT NULL,
  PRIMARY KEY (principal, token)
);
CREATE INDEX retry_tokens_expiry ON retry_tokens (time_expires);

-- What a work request reports while it runs (spec §3.8): log lines and errors, in order.
CREATE TABLE work_request_entries (
  id              INTEGER PRIMARY KEY,
  work_request_id TEXT NOT NULL REFERENCES work_requests (id),
  kind            TEXT NOT NULL CHECK (kind IN ('LOG','ERROR')),
  code            TEXT,                 -- ERROR only
  message         TEXT NOT NULL,
  timestamp       TEXT NOT NULL
);
CREATE INDEX work_request_entries_request ON work_request_entries (work_request_id, kind, timestamp);
