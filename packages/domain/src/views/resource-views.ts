import type { Finding } from '../rules/finding.ts';

/** The seven resource kinds, as the console API names them in views. */
export type ConsoleResourceKind =
  | 'Mesh'
  | 'VirtualService'
  | 'VirtualDeployment'
  | 'VirtualServiceRouteTable'
  | 'IngressGateway'
  | 'IngressGatewayRouteTable'
  | 'AccessPolicy';

/**
 * A resource linked to the one on screen: its `parent`, a `child` (whose parent it is), one it
 * `references` in its body (a route table's deployments) or one that `referencedBy` it (a policy
 * naming a service). Children and referrers are what a delete would affect.
 */
export interface RelatedResource {
  kind: ConsoleResourceKind;
  id: string;
  name: string;
  relation: 'parent' | 'child' | 'references' | 'referencedBy';
}

/** `GET /api/<kind>/:id` for every kind but meshes: the OCI read plus what the console adds. */
export type ResourceView<T> = T & {
  /** The mesh the resource belongs to (for links), also for deployments and route tables. */
  meshId: string;
  findings: Finding[];
  related: RelatedResource[];
};

/** `GET /api/<kind>?…`: one page of a filtered, sorted list. `page` counts from 1. */
export interface ResourcePage<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** `GET /api/<kind>/:id/dependants`: what deleting the resource would affect (or be refused by). */
export interface DependantsView {
  items: { kind: ConsoleResourceKind; id: string; name: string }[];
}

/** `/api/<path>` of each kind on the console face (docs/console-api.md). */
export const CONSOLE_RESOURCE_PATHS = {
  Mesh: 'meshes',
  VirtualService: 'virtual-services',
  VirtualDeployment: 'virtual-deployments',
  VirtualServiceRouteTable: 'virtual-service-route-tables',
  IngressGateway: 'ingress-gateways',
  IngressGatewayRouteTable: 'ingress-gateway-route-tables',
  AccessPolicy: 'access-policies',
} as const satisfies Record<ConsoleResourceKind, string>;

/**
 * Fields a create sets once and an update refuses (named in a field error): the compartment
 * (moved by changeCompartment), the parent, the name of a child resource, a mesh's CA.
 */
export const IMMUTABLE_FIELDS: Record<ConsoleResourceKind, readonly string[]> = {
  Mesh: ['compartmentId', 'certificateAuthorities'],
  VirtualService: ['compartmentId', 'meshId', 'name'],
  VirtualDeployment: ['compartmentId', 'virtualServiceId', 'name'],
  VirtualServiceRouteTable: ['compartmentId', 'virtualServiceId', 'name'],
  IngressGateway: ['compartmentId', 'meshId', 'name'],
  IngressGatewayRouteTable: ['compartmentId', 'ingressGatewayId', 'name'],
  AccessPolicy: ['compartmentId', 'meshId', 'name'],
};

/** The field error an update gets for an immutable field. */
export function immutableFieldMessage(field: string): string {
  return `${field} cannot be changed after create`;
}
