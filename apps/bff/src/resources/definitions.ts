import { DEFAULT_MESH_MINIMUM } from '@meshdeck/domain';
import { accessPolicyKind } from '../access-policies/access-policy.kind.ts';
import type { Db } from '../db/open-db.ts';
import { ingressGatewayRouteTableKind } from '../ingress-gateway-route-tables/ingress-gateway-route-table.kind.ts';
import { ingressGatewayKind } from '../ingress-gateways/ingress-gateway.kind.ts';
import { meshKind } from '../meshes/mesh.kind.ts';
import { virtualDeploymentKind } from '../virtual-deployments/virtual-deployment.kind.ts';
import { virtualServiceRouteTableKind } from '../virtual-service-route-tables/virtual-service-route-table.kind.ts';
import { virtualServiceKind } from '../virtual-services/virtual-service.kind.ts';
import type { PresentContext, Stores } from './resource-kind.ts';
import type { Definitions } from './resource-service.ts';
import { createResourceStore } from './resource-store.ts';

/** The seven kinds, parents before children (the order creates must follow). */
export const definitions: Definitions = {
  Mesh: meshKind,
  VirtualService: virtualServiceKind,
  VirtualDeployment: virtualDeploymentKind,
  VirtualServiceRouteTable: virtualServiceRouteTableKind,
  IngressGateway: ingressGatewayKind,
  IngressGatewayRouteTable: ingressGatewayRouteTableKind,
  AccessPolicy: accessPolicyKind,
};

export function createStores(db: Db): Stores {
  return {
    Mesh: createResourceStore(db, meshKind.store),
    VirtualService: createResourceStore(db, virtualServiceKind.store),
    VirtualDeployment: createResourceStore(db, virtualDeploymentKind.store),
    VirtualServiceRouteTable: createResourceStore(db, virtualServiceRouteTableKind.store),
    IngressGateway: createResourceStore(db, ingressGatewayKind.store),
    IngressGatewayRouteTable: createResourceStore(db, ingressGatewayRouteTableKind.store),
    AccessPolicy: createResourceStore(db, accessPolicyKind.store),
  };
}

/** Presenting context for one request: mesh minimums looked up once each. */
export function createPresentContext(stores: Stores): PresentContext {
  const minimums = new Map<string, ReturnType<PresentContext['meshMinimum']>>();
  return {
    meshMinimum(meshId) {
      let minimum = minimums.get(meshId);
      if (!minimum) {
        minimum = stores.Mesh.get(meshId)?.mtls.minimum ?? DEFAULT_MESH_MINIMUM;
        minimums.set(meshId, minimum);
      }
      return minimum;
    },
  };
}

const SUMMARY_COMMON = [
  'id',
  'compartmentId',
  'timeCreated',
  'timeUpdated',
  'lifecycleState',
  'lifecycleDetails',
  'freeformTags',
  'definedTags',
  'systemTags',
];

/** The XSummary list item: the common fields plus the kind's summary fields (spec §3). */
export function toSummary(
  full: Record<string, unknown>,
  summaryFields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...SUMMARY_COMMON, ...summaryFields]) {
    if (full[key] !== undefined) out[key] = full[key];
  }
  return out;
}
