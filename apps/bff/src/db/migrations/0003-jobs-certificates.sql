-- Jobs (docs/decisions/003-jobs.md) and the certificate lifecycle (issue #4).

CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL,
  payload          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  subject_id       TEXT,                 -- the resource the job is about (console filter)
  dedupe_key       TEXT,                 -- at most one PENDING/RUNNING job per key
  status           TEXT NOT NULL CHECK (status IN ('PENDING','RUNNING','SUCCEEDED','FAILED','CANCELED')),
  run_at           TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0, -- claims since the last success or reschedule
  max_attempts     INTEGER CHECK (max_attempts IS NULL OR max_attempts >= 1), -- NULL: the handler's
  lease_owner      TEXT,
  lease_token      TEXT,                 -- changes on every claim; fences late writes
  lease_until      TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  finished_at      TEXT
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_lease ON jobs (status, lease_until);
CREATE INDEX jobs_subject ON jobs (subject_id, created_at);
CREATE UNIQUE INDEX jobs_live_dedupe ON jobs (dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('PENDING','RUNNING');

CREATE TABLE job_runs (
  id          INTEGER PRIMARY KEY,
  job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  job_type    TEXT NOT NULL,
  subject_id  TEXT,
  attempt     INTEGER NOT NULL,
  runner      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('RUNNING','SUCCEEDED','RESCHEDULED','RETRY','FAILED','CANCELED','ABANDONED','LEASE_LOST')),
  error       TEXT,
  note        TEXT
);
CREATE INDEX job_runs_job ON job_runs (job_id, id);
CREATE INDEX job_runs_subject ON job_runs (subject_id, id);

-- The demo clock's offset from system time, kept so a restart shows the same (advanced) time.
CREATE TABLE demo_clock (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  offset_ms  INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

-- Meshdeck's own certificate authorities. A row is PENDING until its key and self-signed
-- certificate exist (a mesh create only names the id; a job makes the CA).
CREATE TABLE certificate_authorities (
  id                   TEXT PRIMARY KEY,
  compartment_id       TEXT NOT NULL,
  name                 TEXT NOT NULL,
  mesh_id              TEXT,              -- the mesh it was created with, if any
  status               TEXT NOT NULL CHECK (status IN ('PENDING','ACTIVE')),
  validity_days        INTEGER NOT NULL CHECK (validity_days BETWEEN 1 AND 3650),
  max_leaf_validity    INTEGER NOT NULL DEFAULT 90 CHECK (max_leaf_validity BETWEEN 45 AND 90),
  serial_number        TEXT,
  not_before           TEXT,
  not_after            TEXT,
  certificate_pem      TEXT,
  private_key          TEXT,              -- encrypted (keyring.ts), never sent anywhere
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX certificate_authorities_mesh ON certificate_authorities (mesh_id);

-- One leaf certificate per virtual service and ingress gateway; its id is the resource's
-- mtls.certificateId. renew_at/not_after mirror the current version (indexed for the sweep).
CREATE TABLE certificates (
  id               TEXT PRIMARY KEY,
  mesh_id          TEXT NOT NULL,
  ca_id            TEXT NOT NULL,
  resource_kind    TEXT NOT NULL CHECK (resource_kind IN ('VirtualService','IngressGateway')),
  resource_id      TEXT NOT NULL,
  common_name      TEXT NOT NULL,
  dns_names        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(dns_names)),
  maximum_validity INTEGER NOT NULL CHECK (maximum_validity BETWEEN 45 AND 90),
  status           TEXT NOT NULL CHECK (status IN ('PENDING','ACTIVE','FAILED','RETIRED','EXTERNAL')),
  current_version  INTEGER,
  renew_at         TEXT,
  not_after        TEXT,
  failure_code     TEXT,
  failure_message  TEXT,
  failed_at        TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX certificates_mesh ON certificates (mesh_id, renew_at);
CREATE INDEX certificates_resource ON certificates (resource_id);

-- Every issued version. due_at is the renewAt the version answered ('' for the first issue): unique
-- per certificate, so one due time can never give two versions, whatever crashes in between.
CREATE TABLE certificate_versions (
  certificate_id  TEXT NOT NULL REFERENCES certificates (id),
  version         INTEGER NOT NULL CHECK (version >= 1),
  due_at          TEXT NOT NULL,
  serial_number   TEXT NOT NULL,
  issued_at       TEXT NOT NULL,
  not_before      TEXT NOT NULL,
  not_after       TEXT NOT NULL,
  renew_at        TEXT NOT NULL,
  capped_by_ca    INTEGER NOT NULL CHECK (capped_by_ca IN (0, 1)),
  certificate_pem TEXT NOT NULL,
  private_key     TEXT NOT NULL,          -- encrypted (keyring.ts), never sent anywhere
  created_at      TEXT NOT NULL,
  PRIMARY KEY (certificate_id, version),
  UNIQUE (certificate_id, due_at)
);
