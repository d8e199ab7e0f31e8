import type { AccessPolicyRule } from '../access-policy/access-policy.schema.ts';
import type { IngressGatewayHost } from '../ingress-gateway/ingress-gateway.schema.ts';
import type { MtlsMode } from '../mtls/mtls.ts';
import type { IngressGatewayRouteRule } from '../routing/route-rule.schema.ts';
import type { MeshSnapshot } from '../topology/snapshot.ts';

const T = '2025-03-01T00:00:00.000Z';
const C = 'ocid1.compartment.oc1..test';
const base = (id: string) => ({
  id,
  compartmentId: C,
  timeCreated: T,
  lifecycleState: 'ACTIVE' as const,
});

/**
 * Builds in-memory mesh snapshots for rule tests, with ids derived from names
 * (`vs:orders`, `gw:edge-gw`, `ap:ap-open`) so tests read like the cases.
 */
export function snapshotBuilder(meshName: string, minimum: MtlsMode) {
  const snap: MeshSnapshot = {
    mesh: {
      ...base(`mesh:${meshName}`),
      displayName: meshName,
      certificateAuthorities: [{ id: 'ca' }],
      mtls: { minimum },
    },
    virtualServices: [],
    virtualDeployments: [],
    virtualServiceRouteTables: [],
    ingressGateways: [],
    ingressGatewayRouteTables: [],
    accessPolicies: [],
  };
  const builder = {
    snapshot: snap,
    vs(name: string, declaredMode: MtlsMode | null = null) {
      snap.virtualServices.push({
        ...base(`vs:${name}`),
        meshId: snap.mesh.id,
        name,
        declaredMode,
        hosts: [name],
        mtls: { certificateId: `cert:${name}`, mode: declaredMode ?? minimum },
      });
      return builder;
    },
    gateway(name: string, hosts: IngressGatewayHost[]) {
      snap.ingressGateways.push({ ...base(`gw:${name}`), meshId: snap.mesh.id, name, hosts });
      return builder;
    },
    gatewayRoutes(
      name: string,
      gateway: string,
      routeRules: IngressGatewayRouteRule[],
      priority?: number,
    ) {
      snap.ingressGatewayRouteTables.push({
        ...base(`igrt:${name}`),
        ingressGatewayId: `gw:${gateway}`,
        name,
        routeRules,
        ...(priority !== undefined ? { priority } : {}),
      });
      return builder;
    },
    policy(name: string, rules: AccessPolicyRule[]) {
      snap.accessPolicies.push({ ...base(`ap:${name}`), meshId: snap.mesh.id, name, rules });
      return builder;
    },
    removePolicy(name: string) {
      snap.accessPolicies = snap.accessPolicies.filter((p) => p.name !== name);
      return builder;
    },
  };
  return builder;
}

export const allow = {
  vsToVs: (from: string, to: string): AccessPolicyRule => ({
    action: 'ALLOW',
    source: { type: 'VIRTUAL_SERVICE', virtualServiceId: `vs:${from}` },
    destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: `vs:${to}` },
  }),
  allToAll: (): AccessPolicyRule => ({
    action: 'ALLOW',
    source: { type: 'ALL_VIRTUAL_SERVICES' },
    destination: { type: 'ALL_VIRTUAL_SERVICES' },
  }),
  gatewayToAll: (gw: string): AccessPolicyRule => ({
    action: 'ALLOW',
    source: { type: 'INGRESS_GATEWAY', ingressGatewayId: `gw:${gw}` },
    destination: { type: 'ALL_VIRTUAL_SERVICES' },
  }),
  gatewayToVs: (gw: string, to: string): AccessPolicyRule => ({
    action: 'ALLOW',
    source: { type: 'INGRESS_GATEWAY', ingressGatewayId: `gw:${gw}` },
    destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: `vs:${to}` },
  }),
};

/** The shared fixture of cases/README.md: retail-mesh with ap-open and edge-gw. */
export function retailMesh() {
  return snapshotBuilder('retail-mesh', 'PERMISSIVE')
    .vs('cart')
    .vs('orders')
    .vs('inventory')
    .vs('catalog')
    .vs('storefront')
    .gateway('edge-gw', [
      {
        name: 'shop',
        hostnames: ['shop.example.com'],
        listeners: [{ protocol: 'HTTP', port: 8080 }],
      },
    ])
    .policy('ap-open', [allow.allToAll(), allow.gatewayToAll('edge-gw')]);
}
