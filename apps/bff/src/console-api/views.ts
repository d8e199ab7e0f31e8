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
  type DependantsView,
  type MeshSummary,
  type MtlsMode,
  type RelatedResource,
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
import type { BaseRecord, ResourceKind } from '../resources/resource-store.ts';
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

/** Every live resource of one mesh with its kind and name, the mesh included. */
export function meshEntries(records: MeshRecords): MeshEntry[] {
  const entries: MeshEntry[] = [
    { kind: 'Mesh', id: records.mesh.id, name: records.mesh.displayName, record: records.mesh },
  ];
  const add = (kind: ResourceKind, list: (BaseRecord & { name: string })[]) => {
    for (const record of list) entries.push({ kind, id: record.id, name: record.name, record });
  };
  add('VirtualService', records.virtualServices);
  add('VirtualDeployment', records.virtualDeployments);
  add('VirtualServiceRouteTable', records.virtualServiceRouteTables);
  add('IngressGateway', records.ingressGateways);
  add('IngressGatewayRouteTable', records.ingressGatewayRouteTables);
  add('AccessPolicy', records.accessPolicies);
  return entries;
}

export interface MeshEntry {
  kind: ResourceKind;
  id: string;
  name: string;
  record: BaseRecord;
}

/** Every string anywhere inside a value (ids sit in nested targets and destinations). */
function collectStrings(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) collectStrings(v, out);
  }
  return out;
}

/** The field naming a kind's parent (`meshId`, `virtualServiceId`, `ingressGatewayId`). */
function parentFieldOf(kind: ResourceKind): string | undefined {
  return definitions[kind].store.parent?.field;
}

/**
 * The resources linked to `id` within its mesh: found by the ids their bodies hold, so a new
 * reference field needs no change here. A child or a referrer is what a delete would affect
 * (resource-service refuses the delete while any is live).
 */
export function relatedResources(entries: readonly MeshEntry[], id: string): RelatedResource[] {
  const self = entries.find((e) => e.id === id);
  if (!self) return [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const related: RelatedResource[] = [];
  const own = collectStrings({ ...self.record, id: undefined }, new Set());
  const parentField = parentFieldOf(self.kind);
  const parentId = parentField
    ? ((self.record as unknown as Record<string, unknown>)[parentField] as string)
    : undefined;
  for (const ref of own) {
    const target = byId.get(ref);
    if (!target || target.id === id) continue;
    related.push({
      kind: target.kind,
      id: target.id,
      name: target.name,
      relation: ref === parentId ? 'parent' : 'references',
    });
  }
  for (const other of entries) {
    if (other.id === id) continue;
    const field = parentFieldOf(other.kind);
    const record = other.record as unknown as Record<string, unknown>;
    const isChild = field !== undefined && record[field] === id;
    if (!isChild && !collectStrings(record, new Set()).has(id)) continue;
    related.push({
      kind: other.kind,
      id: other.id,
      name: other.name,
      relation: isChild ? 'child' : 'referencedBy',
    });
  }
  return related;
}

/** The live resources a delete of `id` would affect: its children and those that name it. */
export function dependantsOf(entries: readonly MeshEntry[], id: string): DependantsView {
  return {
    items: relatedResources(entries, id)
      .filter((r) => r.relation === 'child' || r.relation === 'referencedBy')
      .map(({ kind, id: rid, name }) => ({ kind, id: rid, name })),
  };
}
