-- Staged mTLS migrations (issue #5, docs/decisions/005-mtls-migrations.md). Each row is run by one
-- `mtls-migration` job (docs/decisions/003-jobs.md), one stage per step, and reported by one work
-- request (its log holds one entry per stage).

CREATE TABLE mtls_migrations (
  id              TEXT PRIMARY KEY,
  mesh_id         TEXT NOT NULL,
  compartment_id  TEXT NOT NULL,
  subject_kind    TEXT NOT NULL CHECK (subject_kind IN ('mesh','virtualService')),
  subject_id      TEXT NOT NULL,            -- the mesh or the virtual service migrated
  subject_name    TEXT NOT NULL,
  target          TEXT NOT NULL CHECK (json_valid(target)),      -- MigrationTargetInput
  stages          TEXT NOT NULL CHECK (json_valid(stages)),      -- StagePreview[] as planned
  start_state     TEXT NOT NULL CHECK (json_valid(start_state)), -- MigrationGoal, for rollback
  status          TEXT NOT NULL CHECK (status IN ('ACCEPTED','IN_PROGRESS','CANCELING','SUCCEEDED','FAILED','CANCELED')),
  stages_done     INTEGER NOT NULL DEFAULT 0,
  stage_times     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(stage_times)), -- when each stage ran
  waits           INTEGER NOT NULL DEFAULT 0, -- times the current stage had to wait for a timer
  next_step_at    TEXT,
  failure         TEXT,
  rollback_of     TEXT REFERENCES mtls_migrations (id),
  work_request_id TEXT NOT NULL,
  job_id          TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  finished_at     TEXT
);
CREATE INDEX mtls_migrations_mesh ON mtls_migrations (mesh_id, created_at);
-- Only one running migration per mesh.
CREATE UNIQUE INDEX mtls_migrations_live_mesh ON mtls_migrations (mesh_id)
  WHERE status IN ('ACCEPTED','IN_PROGRESS','CANCELING');
