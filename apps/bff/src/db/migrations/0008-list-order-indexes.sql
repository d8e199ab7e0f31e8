-- List pages (resource-store.ts `list`) filter by compartment and, for child kinds, by parent, then
-- ORDER BY the sort column and id with a LIMIT. Without these indexes SQLite read and sorted every
-- row of the compartment or parent for each page (a list of 50 of 10 000 cost about ten gets);
-- with them it walks the index in order and stops after the page (issue 9, P1 list).
CREATE INDEX meshes_compartment_time ON meshes (compartment_id, time_created, id);
CREATE INDEX meshes_compartment_name ON meshes (compartment_id, name, id);
CREATE INDEX meshes_compartment_id ON meshes (compartment_id, id);

CREATE INDEX virtual_services_compartment_time ON virtual_services (compartment_id, time_created, id);
CREATE INDEX virtual_services_compartment_name ON virtual_services (compartment_id, name, id);
CREATE INDEX virtual_services_compartment_id ON virtual_services (compartment_id, id);
CREATE INDEX virtual_services_mesh_time ON virtual_services (mesh_id, time_created, id);
CREATE INDEX virtual_services_mesh_name ON virtual_services (mesh_id, name, id);
CREATE INDEX virtual_services_mesh_id ON virtual_services (mesh_id, id);

CREATE INDEX virtual_deployments_compartment_time ON virtual_deployments (compartment_id, time_created, id);
CREATE INDEX virtual_deployments_compartment_name ON virtual_deployments (compartment_id, name, id);
CREATE INDEX virtual_deployments_compartment_id ON virtual_deployments (compartment_id, id);
CREATE INDEX virtual_deployments_parent_time ON virtual_deployments (virtual_service_id, time_created, id);
CREATE INDEX virtual_deployments_parent_name ON virtual_deployments (virtual_service_id, name, id);
CREATE INDEX virtual_deployments_parent_id ON virtual_deployments (virtual_service_id, id);

CREATE INDEX virtual_service_route_tables_compartment_time ON virtual_service_route_tables (compartment_id, time_created, id);
CREATE INDEX virtual_service_route_tables_compartment_name ON virtual_service_route_tables (compartment_id, name, id);
CREATE INDEX virtual_service_route_tables_compartment_id ON virtual_service_route_tables (compartment_id, id);
CREATE INDEX virtual_service_route_tables_parent_time ON virtual_service_route_tables (virtual_service_id, time_created, id);
CREATE INDEX virtual_service_route_tables_parent_name ON virtual_service_route_tables (virtual_service_id, name, id);
CREATE INDEX virtual_service_route_tables_parent_id ON virtual_service_route_tables (virtual_service_id, id);

CREATE INDEX ingress_gateways_compartment_time ON ingress_gateways (compartment_id, time_created, id);
CREATE INDEX ingress_gateways_compartment_name ON ingress_gateways (compartment_id, name, id);
CREATE INDEX ingress_gateways_compartment_id ON ingress_gateways (compartment_id, id);
CREATE INDEX ingress_gateways_mesh_time ON ingress_gateways (mesh_id, time_created, id);
CREATE INDEX ingress_gateways_mesh_name ON ingress_gateways (mesh_id, name, id);
CREATE INDEX ingress_gateways_mesh_id ON ingress_gateways (mesh_id, id);

CREATE INDEX ingress_gateway_route_tables_compartment_time ON ingress_gateway_route_tables (compartment_id, time_created, id);
CREATE INDEX ingress_gateway_route_tables_compartment_name ON ingress_gateway_route_tables (compartment_id, name, id);
CREATE INDEX ingress_gateway_route_tables_compartment_id ON ingress_gateway_route_tables (compartment_id, id);
CREATE INDEX ingress_gateway_route_tables_parent_time ON ingress_gateway_route_tables (ingress_gateway_id, time_created, id);
CREATE INDEX ingress_gateway_route_tables_parent_name ON ingress_gateway_route_tables (ingress_gateway_id, name, id);
CREATE INDEX ingress_gateway_route_tables_parent_id ON ingress_gateway_route_tables (ingress_gateway_id, id);

CREATE INDEX access_policies_compartment_time ON access_policies (compartment_id, time_created, id);
CREATE INDEX access_policies_compartment_name ON access_policies (compartment_id, name, id);
CREATE INDEX access_policies_compartment_id ON access_policies (compartment_id, id);
CREATE INDEX access_policies_mesh_time ON access_policies (mesh_id, time_created, id);
CREATE INDEX access_policies_mesh_name ON access_policies (mesh_id, name, id);
CREATE INDEX access_policies_mesh_id ON access_policies (mesh_id, id);
