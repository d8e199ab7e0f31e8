import {
  effectiveMode,
  modeLabel,
  type AccessPolicy,
  type IngressGateway,
  type IngressGatewayRouteTable,
  type Mesh,
  type MeshCertificateStatus,
  type MeshDetail,
  type MeshSnapshot,
  type MeshSummary,
  type MtlsMode,
  type MtlsView,
  type VirtualDeployment,
  type VirtualService,
  type VirtualServiceRouteTable,
  type VirtualServiceView,
} from '@meshdeck/domain';
import type { AccessPolicyRecord } from '../access-policies/access-policy.kind.ts';
import type { StoredFinding } from '../findings/findings.repository.ts';
import type { IngressGatewayRouteTableRecord } from '../ingress-gateway-route-tables/ingress-gateway-route-table.kind.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import { definitions } from '../resources/definitions.ts';
import type { PresentContext, Stores } from '../resources/resource-kind.ts';
import type { VirtualDeploymentRecord } from '../virtual-deployments/virtual-deployment.kind.ts';
import type { VirtualServiceRouteTableRecord } from '../virtual-service-route-tables/virtual-service-route-table.kind.ts';
import type { VirtualServiceRecord } from '../virtual-services/virtual-service.kind.ts';

/** The live resources of one mesh, as stored. */
export interface MeshRecords {
  mesh: MeshRecord;
  virtualServices: VirtualServiceRecord[];
  virtualDeployments: VirtualDeploymentRecord[];
  virtualServiceRouteTables: VirtualServiceRouteTableRecord[];
  ingressGateways: IngressGatewayRecord[];
  ingressGatewayRouteTables: IngressGatewayRouteTableRecord[];
  accessPolicies: AccessPolicyRecord[];
}

export function loadMeshRecords(stores: Stores, mesh: MeshRecord): MeshRecords {
  const meshIds = [mesh.id];
  const virtualServices = stores.VirtualService.listLive({ parentIds: meshIds });
  const vsIds = virtualServices.map((v) => v.id);
  const ingressGateways = stores.IngressGateway.listLive({ parentIds: meshIds });
  return {
    mesh,
    virtualServices,
    virtualDeployments: stores.VirtualDeployment.listLive({ parentIds: vsIds }),
    virtualServiceRouteTables: stores.VirtualServiceRouteTable.listLive({ parentIds: vsIds }),
    ingressGateways,
    ingressGatewayRouteTables: stores.IngressGatewayRouteTable.listLive({
      parentIds: ingressGateways.map((g) => g.id),
    }),
    accessPolicies: stores.AccessPolicy.listLive({ parentIds: meshIds }),
  };
}

export function mtlsView(vs: VirtualServiceRecord, minimum: MtlsMode): MtlsView {
  return {
    declared: vs.declaredMode,
    effective: effectiveMode(vs.declaredMode, minimum),
    inherited: vs.declaredMode === null,
    label: modeLabel(vs.declaredMode, minimum),
    lastChangedAt: vs.mtlsChangedAt,
  };
}

export function virtualServiceView(
  vs: VirtualServiceRecord,
  ctx: PresentContext,
): VirtualServiceView {
  const oci = definitions.VirtualService.present(vs, ctx) as VirtualService;
  return { ...oci, mtlsView: mtlsView(vs, ctx.meshMinimum(vs.meshId)) };
}

/** A context that knows the one mesh these records belong to. */
function meshContext(mesh: MeshRecord): PresentContext {
  return { meshMinimum: () => mesh.mtls.minimum };
}

export function meshSummary(
  records: MeshRecords,
  certificates?: MeshCertificateStatus,
): MeshSummary {
  const { mesh } = records;
  const modeCounts: MeshSummary['modeCounts'] = {
    STRICT: 0,
    PERMISSIVE: 0,
    DISABLED: 0,
    inherited: 0,
  };
  for (const vs of records.virtualServices) modeCounts[vs.declaredMode ?? 'inherited'] += 1;
  return {
    id: mesh.id,
    displayName: mesh.displayName,
    ...(mesh.description !== undefined ? { description: mesh.description } : {}),
    compartmentId: mesh.compartmentId,
    lifecycleState: mesh.lifecycleState,
    timeCreated: mesh.timeCreated,
    minimum: mesh.mtls.minimum,
    minimumChangedAt: mesh.mtlsChangedAt,
    certificateAuthority: {
      id: mesh.certificateAuthorities[0]?.id ?? '',
      external: mesh.caExternal,
    },
    counts: {
      virtualServices: records.virtualServices.length,
      virtualDeployments: records.virtualDeployments.length,
      virtualServiceRouteTables: records.virtualServiceRouteTables.length,
      ingressGateways: records.ingressGateways.length,
      ingressGatewayRouteTables: records.ingressGatewayRouteTables.length,
      accessPolicies: records.accessPolicies.length,
    },
    modeCounts,
    ...(certificates ? { certificates } : {}),
  };
}

/** The input of the pure edge and topology rules: live resources, OCI reads, declared modes. */
export function meshSnapshot(records: MeshRecords): MeshSnapshot {
  const ctx = meshContext(records.mesh);
  return {
    mesh: definitions.Mesh.present(records.mesh, ctx) as Mesh,
    virtualServices: records.virtualServices.map((vs) => ({
      ...(definitions.VirtualService.present(vs, ctx) as VirtualService),
      declaredMode: vs.declaredMode,
    })),
    virtualDeployments: records.virtualDeployments.map(
      (r) => definitions.VirtualDeployment.present(r, ctx) as VirtualDeployment,
    ),
    virtualServiceRouteTables: records.virtualServiceRouteTables.map(
      (r) => definitions.VirtualServiceRouteTable.present(r, ctx) as VirtualServiceRouteTable,
    ),
    ingressGateways: records.ingressGateways.map(
      (r) => definitions.IngressGateway.present(r, ctx) as IngressGateway,
    ),
    ingressGatewayRouteTables: records.ingressGatewayRouteTables.map(
      (r) => definitions.IngressGatewayRouteTable.present(r, ctx) as IngressGatewayRouteTable,
    ),
    accessPolicies: records.accessPolicies.map(
      (r) => definitions.AccessPolicy.present(r, ctx) as AccessPolicy,
    ),
  };
}

export function meshDetail(
  records: MeshRecords,
  findingsOf: (ids: string[]) => StoredFinding[],
  certificates?: MeshCertificateStatus,
): MeshDetail {
  const snapshot = meshSnapshot(records);
  const ctx = meshContext(records.mesh);
  const names = new Map<string, string>([[records.mesh.id, records.mesh.displayName]]);
  for (const list of [
    records.virtualServices,
    records.virtualDeployments,
    records.virtualServiceRouteTables,
    records.ingressGateways,
    records.ingressGatewayRouteTables,
    records.accessPolicies,
  ]) {
    for (const r of list) names.set(r.id, r.name);
  }
  return {
    mesh: snapshot.mesh,
    summary: meshSummary(records, certificates),
    virtualServices: records.virtualServices.map((vs) => virtualServiceView(vs, ctx)),
    virtualDeployments: snapshot.virtualDeployments,
    virtualServiceRouteTables: snapshot.virtualServiceRouteTables,
    ingressGateways: snapshot.ingressGateways,
    ingressGatewayRouteTables: snapshot.ingressGatewayRouteTables,
    accessPolicies: snapshot.accessPolicies,
    findings: findingsOf([...names.keys()]).map(({ resourceId, ...finding }) => ({
      ...finding,
      resourceId,
      resourceName: names.get(resourceId) ?? resourceId,
    })),
  };
}
