/** Collection paths of the OCI face (`/20220615/<path>`), by console kind. */
export const OCI_COLLECTIONS = {
  Mesh: 'meshes',
  VirtualService: 'virtualServices',
  VirtualDeployment: 'virtualDeployments',
  VirtualServiceRouteTable: 'virtualServiceRouteTables',
  IngressGateway: 'ingressGateways',
  IngressGatewayRouteTable: 'ingressGatewayRouteTables',
  AccessPolicy: 'accessPolicies',
} as const;

export type OciKind = keyof typeof OCI_COLLECTIONS;

export interface OciCall {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

/**
 * The OCI Service Mesh call that does what a console form sends. The console's create and update
 * bodies are the domain's create/update schemas, which are the OCI `Create…Details` /
 * `Update…Details`, so the body maps one to one; only the path and method differ
 * (`POST /api/virtual-deployments` ↔ `POST /20220615/virtualDeployments`).
 */
export function ociCallFor(
  kind: OciKind,
  operation: 'create' | 'update' | 'delete',
  options: { id?: string | undefined; body?: unknown } = {},
): OciCall {
  const collection = `/20220615/${OCI_COLLECTIONS[kind]}`;
  const item = `${collection}/${options.id ?? '{id}'}`;
  if (operation === 'create') return { method: 'POST', path: collection, body: options.body };
  if (operation === 'update') return { method: 'PUT', path: item, body: options.body };
  return { method: 'DELETE', path: item };
}

/** The call as text: `POST /20220615/meshes` and the pretty JSON body. */
export function formatOciCall(call: OciCall): string {
  const head = `${call.method} ${call.path}`;
  return call.body === undefined ? head : `${head}\n\n${JSON.stringify(call.body, null, 2)}`;
}
