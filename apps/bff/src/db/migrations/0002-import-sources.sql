-- Import provenance: for every resource an operator YAML import created, the Kubernetes document
-- it came from (metadata.namespace, metadata.name). Written in the same transaction as the create.
-- Later imports resolve `ref: {name, namespace}` against it first (docs/import.md), so a file that
-- names `productpage-version1` finds the deployment whose OCI name is `product-v1`. resource_id
-- may point into any resource table; rows of DELETED resources stay (lookups keep live ones only).

CREATE TABLE import_sources (
  resource_id TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('Mesh','VirtualService','VirtualDeployment','VirtualServiceRouteTable','IngressGateway','IngressGatewayRouteTable','AccessPolicy')),
  namespace   TEXT NOT NULL DEFAULT '', -- '' when the document had no metadata.namespace
  source_name TEXT NOT NULL,            -- metadata.name
  imported_at TEXT NOT NULL
);
CREATE INDEX import_sources_name ON import_sources (kind, source_name, namespace);
