-- Meshdeck schema v1. Every resource table has the same common columns; `spec` holds the remaining
-- OCI fields as JSON. Names are unique per parent among live rows only, so a DELETED row (kept
-- readable for the OCI SDK's waiters) never blocks re-creating a resource with the same name.

CREATE TABLE meshes (
  id                TEXT PRIMARY KEY,
  compartment_id    TEXT NOT NULL,
  name              TEXT NOT NULL, -- displayName; not unique (spec §5)
  lifecycle_state   TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details TEXT,
  etag              TEXT NOT NULL,
  time_created      TEXT NOT NULL,
  time_updated      TEXT,
  time_deleted      TEXT,
  spec              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec)),
  mtls_minimum      TEXT NOT NULL CHECK (mtls_minimum IN ('DISABLED','PERMISSIVE','STRICT')),
  mtls_changed_at   TEXT,
  ca_id             TEXT NOT NULL,
  ca_external       INTEGER NOT NULL DEFAULT 0 CHECK (ca_external IN (0, 1))
);
CREATE INDEX meshes_compartment ON meshes (compartment_id, lifecycle_state);

CREATE TABLE virtual_services (
  id                 TEXT PRIMARY KEY,
  compartment_id     TEXT NOT NULL,
  mesh_id            TEXT NOT NULL REFERENCES meshes (id),
  name               TEXT NOT NULL,
  lifecycle_state    TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details  TEXT,
  etag               TEXT NOT NULL,
  time_created       TEXT NOT NULL,
  time_updated       TEXT,
  time_deleted       TEXT,
  spec               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec)),
  mtls_declared_mode TEXT CHECK (mtls_declared_mode IN ('DISABLED','PERMISSIVE','STRICT')), -- NULL = inherit
  mtls_changed_at    TEXT,
  maximum_validity   INTEGER NOT NULL DEFAULT 45 CHECK (maximum_validity BETWEEN 45 AND 90),
  certificate_id     TEXT NOT NULL
);
CREATE INDEX virtual_services_compartment ON virtual_services (compartment_id, lifecycle_state);
CREATE INDEX virtual_services_mesh ON virtual_services (mesh_id);
CREATE UNIQUE INDEX virtual_services_live_name ON virtual_services (mesh_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE virtual_deployments (
  id                 TEXT PRIMARY KEY,
  compartment_id     TEXT NOT NULL,
  virtual_service_id TEXT NOT NULL REFERENCES virtual_services (id),
  name               TEXT NOT NULL,
  lifecycle_state    TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details  TEXT,
  etag               TEXT NOT NULL,
  time_created       TEXT NOT NULL,
  time_updated       TEXT,
  time_deleted       TEXT,
  spec               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec))
);
CREATE INDEX virtual_deployments_compartment ON virtual_deployments (compartment_id, lifecycle_state);
CREATE INDEX virtual_deployments_parent ON virtual_deployments (virtual_service_id);
CREATE UNIQUE INDEX virtual_deployments_live_name ON virtual_deployments (virtual_service_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE virtual_service_route_tables (
  id                 TEXT PRIMARY KEY,
  compartment_id     TEXT NOT NULL,
  virtual_service_id TEXT NOT NULL REFERENCES virtual_services (id),
  name               TEXT NOT NULL,
  lifecycle_state    TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details  TEXT,
  etag               TEXT NOT NULL,
  time_created       TEXT NOT NULL,
  time_updated       TEXT,
  time_deleted       TEXT,
  spec               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec))
);
CREATE INDEX virtual_service_route_tables_compartment ON virtual_service_route_tables (compartment_id, lifecycle_state);
CREATE INDEX virtual_service_route_tables_parent ON virtual_service_route_tables (virtual_service_id);
CREATE UNIQUE INDEX virtual_service_route_tables_live_name ON virtual_service_route_tables (virtual_service_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE ingress_gateways (
  id                TEXT PRIMARY KEY,
  compartment_id    TEXT NOT NULL,
  mesh_id           TEXT NOT NULL REFERENCES meshes (id),
  name              TEXT NOT NULL,
  lifecycle_state   TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details TEXT,
  etag              TEXT NOT NULL,
  time_created      TEXT NOT NULL,
  time_updated      TEXT,
  time_deleted      TEXT,
  spec              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec))
);
CREATE INDEX ingress_gateways_compartment ON ingress_gateways (compartment_id, lifecycle_state);
CREATE INDEX ingress_gateways_mesh ON ingress_gateways (mesh_id);
CREATE UNIQUE INDEX ingress_gateways_live_name ON ingress_gateways (mesh_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE ingress_gateway_route_tables (
  id                 TEXT PRIMARY KEY,
  compartment_id     TEXT NOT NULL,
  ingress_gateway_id TEXT NOT NULL REFERENCES ingress_gateways (id),
  name               TEXT NOT NULL,
  lifecycle_state    TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details  TEXT,
  etag               TEXT NOT NULL,
  time_created       TEXT NOT NULL,
  time_updated       TEXT,
  time_deleted       TEXT,
  spec               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec))
);
CREATE INDEX ingress_gateway_route_tables_compartment ON ingress_gateway_route_tables (compartment_id, lifecycle_state);
CREATE INDEX ingress_gateway_route_tables_parent ON ingress_gateway_route_tables (ingress_gateway_id);
CREATE UNIQUE INDEX ingress_gateway_route_tables_live_name ON ingress_gateway_route_tables (ingress_gateway_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE access_policies (
  id                TEXT PRIMARY KEY,
  compartment_id    TEXT NOT NULL,
  mesh_id           TEXT NOT NULL REFERENCES meshes (id),
  name              TEXT NOT NULL,
  lifecycle_state   TEXT NOT NULL CHECK (lifecycle_state IN ('CREATING','UPDATING','ACTIVE','DELETING','DELETED','FAILED')),
  lifecycle_details TEXT,
  etag              TEXT NOT NULL,
  time_created      TEXT NOT NULL,
  time_updated      TEXT,
  time_deleted      TEXT,
  spec              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec))
);
CREATE INDEX access_policies_compartment ON access_policies (compartment_id, lifecycle_state);
CREATE INDEX access_policies_mesh ON access_policies (mesh_id);
CREATE UNIQUE INDEX access_policies_live_name ON access_policies (mesh_id, name)
  WHERE lifecycle_state != 'DELETED';

CREATE TABLE work_requests (
  id               TEXT PRIMARY KEY,
  compartment_id   TEXT NOT NULL,
  operation_type   TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('ACCEPTED','IN_PROGRESS','WAITING','NEEDS_ATTENTION','FAILED','SUCCEEDED','CANCELING','CANCELED')),
  percent_complete REAL NOT NULL DEFAULT 0,
  time_accepted    TEXT NOT NULL,
  time_started     TEXT,
  time_finished    TEXT,
  resources        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resources)) -- WorkRequestResource[]
);
CREATE INDEX work_requests_compartment ON work_requests (compartment_id, time_accepted);

-- Rule results kept with a resource: warnings found on write (RT001) and flags set at import
-- (CERT001, CA001, ...). resource_id may point into any resource table.
CREATE TABLE findings (
  id          INTEGER PRIMARY KEY,
  resource_id TEXT NOT NULL,
  code        TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('error','warning','info')),
  message     TEXT NOT NULL,
  path        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX findings_resource ON findings (resource_id);
