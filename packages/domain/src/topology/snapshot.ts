import type { AccessPolicy } from '../access-policy/access-policy.schema.ts';
import type { IngressGatewayRouteTable } from '../ingress-gateway-route-table/ingress-gateway-route-table.schema.ts';
import type { IngressGateway } from '../ingress-gateway/ingress-gateway.schema.ts';
import type { Mesh } from '../mesh/mesh.schema.ts';
import type { MtlsMode } from '../mtls/mtls.ts';
import type { VirtualServiceRouteTable } from '../route-table/route-table.schema.ts';
import type { VirtualDeployment } from '../virtual-deployment/virtual-deployment.schema.ts';
import type { VirtualService } from '../virtual-service/virtual-service.schema.ts';

/** A virtual service with its declared mode (null = inherits the mesh minimum). */
export type SnapshotVirtualService = VirtualService & { declaredMode: MtlsMode | null };

/**
 * Everything of one mesh that the pure rules need: the input of edge evaluation and topology.
 * Only live resources belong in it (not DELETED or FAILED).
 */
export interface MeshSnapshot {
  mesh: Mesh;
  virtualServices: SnapshotVirtualService[];
  virtualDeployments: VirtualDeployment[];
  virtualServiceRouteTables: VirtualServiceRouteTable[];
  ingressGateways: IngressGateway[];
  ingressGatewayRouteTables: IngressGatewayRouteTable[];
  accessPolicies: AccessPolicy[];
}
