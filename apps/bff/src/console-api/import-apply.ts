import type { Finding, FindingCode } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import { AppError, ImportRejectedError } from '../errors.ts';
import { findForbiddenKey } from '../http/parse.ts';
import { newOcid } from '../ids.ts';
import type {
  ImportSource,
  ImportSourcesRepository,
} from '../import-sources/import-sources.repository.ts';
import {
  MANAGED_CA,
  planImport,
  resolvePlanBody,
  UnresolvedReferenceError,
  type ExistingResource,
  type ExistingResources,
  type ImportFormat,
  type PlanFlag,
  type PlanItem,
  type PlanImportOptions,
  type PlanResolution,
  type ReferenceKind,
  type ResolutionVia,
} from '../import/plan-import.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import type { Stores } from '../resources/resource-kind.ts';
import type { Services } from '../resources/resource-service.ts';
import type { BaseRecord, ResourceKind } from '../resources/resource-store.ts';

interface ReportItem {
  kind: string;
  name: string;
  documentIndex?: number;
}

/** docs/console-api.md `ImportReport`. */
export interface ImportReport {
  format?: ImportFormat;
  compartmentId?: string;
  created: (ReportItem & { id: string })[];
  rejected: (ReportItem & { reasons: string[] })[];
  skipped: (ReportItem & { reason: string })[];
  flagged: { kind: string; name: string; id?: string; code: string; message: string }[];
  /** Each reference bound to a resource that was already in Meshdeck, and which one. */
  resolved: ImportResolved[];
}

/** docs/console-api.md `ImportResolved`. */
export interface ImportResolved extends ReportItem {
  /** The id of the importing resource, once created. */
  id?: string;
  /** Where the reference is in the document, e.g. `spec.virtualService`. */
  path: string;
  reference: { name: string; namespace?: string } | { id: string };
  via: ResolutionVia;
  target: {
    kind: string;
    id: string;
    name: string;
    meshId?: string;
    meshName?: string;
    /** The operator document an earlier import created it from. */
    source?: { namespace: string; name: string };
  };
  message: string;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  stores: Stores;
  services: Services;
  importSources: ImportSourcesRepository;
}

export interface ImportOptions {
  compartmentId?: string;
  certificateAuthorityId?: string;
}

const LABELS: Record<ResourceKind, string> = {
  Mesh: 'mesh',
  VirtualService: 'virtual service',
  VirtualDeployment: 'virtual deployment',
  VirtualServiceRouteTable: 'virtual service route table',
  IngressGateway: 'ingress gateway',
  IngressGatewayRouteTable: 'ingress gateway route table',
  AccessPolicy: 'access policy',
};

/**
 * The planner's view of what is stored: live resources only, each with its mesh and, when an
 * operator YAML import created it, the document it came from (import_sources).
 */
function existingResources(stores: Stores, sources: ImportSourcesRepository): ExistingResources {
  const field = (record: BaseRecord, name: string): string | undefined => {
    const value = (record as unknown as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const meshIdOf = (kind: ResourceKind, record: BaseRecord): string | undefined => {
    if (kind === 'Mesh') return record.id;
    const meshId = field(record, 'meshId');
    if (meshId) return meshId;
    const vsId = field(record, 'virtualServiceId');
    if (vsId) return stores.VirtualService.get(vsId)?.meshId;
    const gatewayId = field(record, 'ingressGatewayId');
    if (gatewayId) return stores.IngressGateway.get(gatewayId)?.meshId;
    return undefined;
  };
  const live = (kind: ResourceKind, id: string): BaseRecord | undefined => {
    const record = stores[kind].get(id);
    return record && record.lifecycleState !== 'DELETED' ? record : undefined;
  };
  const describe = (
    kind: ResourceKind,
    record: BaseRecord,
    source: ImportSource | undefined,
  ): ExistingResource => {
    const meshId = meshIdOf(kind, record);
    const mesh = meshId !== undefined ? stores.Mesh.get(meshId) : undefined;
    const vsId = field(record, 'virtualServiceId');
    const r: ExistingResource = {
      id: record.id,
      name: (kind === 'Mesh' ? field(record, 'displayName') : field(record, 'name')) ?? '',
      compartmentId: record.compartmentId,
      ...(meshId !== undefined ? { meshId } : {}),
      ...(mesh ? { meshName: mesh.displayName } : {}),
      ...(vsId !== undefined ? { virtualServiceId: vsId } : {}),
      ...(source ? { source: { namespace: source.namespace, name: source.sourceName } } : {}),
    };
    if (kind === 'Mesh') r.mtlsMinimum = (record as MeshRecord).mtls.minimum;
    if (kind === 'IngressGateway') {
      r.hostNames = (record as IngressGatewayRecord).hosts.map((h) => h.name);
    }
    return r;
  };
  const withSources = (kind: ResourceKind, records: BaseRecord[]): ExistingResource[] => {
    const byId = sources.forResources(records.map((r) => r.id));
    return records.map((r) => describe(kind, r, byId.get(r.id)));
  };
  const parentField = (kind: ReferenceKind): string | undefined =>
    kind === 'VirtualDeployment' ? 'virtualServiceId' : kind === 'Mesh' ? undefined : 'meshId';
  return {
    findBySource(kind, name, parentId) {
      const parent = parentField(kind);
      return sources.findByName(kind, name).flatMap((source) => {
        const record = live(kind, source.resourceId);
        if (!record) return [];
        if (parentId !== undefined && parent && field(record, parent) !== parentId) return [];
        return [describe(kind, record, source)];
      });
    },
    findByName(kind, name, parentId) {
      const store = stores[kind] as Stores[ReferenceKind];
      const records: BaseRecord[] =
        parentId !== undefined && kind !== 'Mesh'
          ? store.listLive({ parentIds: [parentId] })
          : store.listLive();
      const nameField = kind === 'Mesh' ? 'displayName' : 'name';
      return withSources(
        kind,
        records.filter((r) => field(r, nameField) === name),
      );
    },
    findById(kind, id) {
      const record = live(kind, id);
      return record && withSources(kind, [record])[0];
    },
    isManagedCertificateAuthority(id) {
      return stores.Mesh.listLive().some(
        (m: MeshRecord) => !m.caExternal && m.certificateAuthorities[0]?.id === id,
      );
    },
  };
}

function reportItem(item: { kind: string; name: string; documentIndex?: number }): ReportItem {
  return {
    kind: item.kind,
    name: item.name,
    ...(item.documentIndex !== undefined ? { documentIndex: item.documentIndex } : {}),
  };
}

/** Every reason an error gives: one per field error, else its message. */
function reasonsOf(error: AppError): string[] {
  const fieldErrors = error.details?.fieldErrors;
  if (!fieldErrors || Object.keys(fieldErrors).length === 0) return [error.message];
  return Object.entries(fieldErrors).flatMap(([path, messages]) =>
    messages.map((m) => (path === '_root' ? m : `${path}: ${m}`)),
  );
}

function toFinding(flag: PlanFlag): Finding {
  return {
    code: flag.code as FindingCode,
    severity: flag.severity,
    message: flag.message,
    path: flag.path,
  };
}

/** Carries the report out of the transaction so that throwing rolls everything back. */
class RollBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

/**
 * Applies an import plan: every item created in dependency order in ONE transaction through the
 * same create services as the API (so every schema and rule applies), or nothing at all. Items
 * that fail are all reported; the transaction is then rolled back and ImportRejected (422) is
 * thrown with the report.
 */
export function applyImport(
  deps: ImportDeps,
  text: string,
  contentType: string,
  options: ImportOptions,
): ImportReport {
  const planOptions: PlanImportOptions = {
    existing: existingResources(deps.stores, deps.importSources),
  };
  if (options.compartmentId) planOptions.compartmentId = options.compartmentId;
  if (options.certificateAuthorityId) {
    planOptions.certificateAuthorityId = options.certificateAuthorityId;
  }
  const plan = planImport(text, contentType, planOptions);
  const compartmentId = plan.compartmentId ?? options.compartmentId;
  const report: ImportReport = {
    ...(plan.format ? { format: plan.format } : {}),
    ...(compartmentId ? { compartmentId } : {}),
    created: [],
    rejected: plan.rejected.map((r) => ({ ...reportItem(r), reasons: r.reasons })),
    skipped: plan.skipped.map((s) => ({ ...reportItem(s), reason: s.reason })),
    flagged: [],
    resolved: plan.resolved.map((r) => reportResolved(r)),
  };
  if (report.rejected.length > 0) {
    report.flagged = plan.flagged.map((f) => ({
      kind: f.kind,
      name: f.name,
      code: f.code,
      message: f.message,
    }));
    throw new ImportRejectedError(rejectionMessage(report), report);
  }

  try {
    return inTransaction(deps.db, () => {
      const applied = createAll(deps, plan.items, plan.flagged, plan.resolved, report);
      if (applied.rejected.length > 0) throw new RollBack(applied);
      return applied;
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    // Nothing was created: no ids of rolled-back resources in the report.
    const rejected: ImportReport = {
      ...error.report,
      created: [],
      flagged: error.report.flagged.map(({ id: _id, ...f }) => f),
      resolved: plan.resolved.map((r) => reportResolved(r)),
    };
    throw new ImportRejectedError(rejectionMessage(rejected), rejected);
  }
}

function createAll(
  deps: ImportDeps,
  items: PlanItem[],
  flags: PlanFlag[],
  resolutions: PlanResolution[],
  base: ImportReport,
): ImportReport {
  const report: ImportReport = { ...base, created: [], rejected: [], flagged: [], resolved: [] };
  const importedAt = deps.clock.now().toISOString();
  const ids = new Map<string, string>();
  const failed = new Set<string>();
  for (const item of items) {
    const managedCa = newOcid('certificateauthority');
    let body: unknown;
    try {
      body = resolvePlanBody(item, (key) => (key === MANAGED_CA ? managedCa : ids.get(key)));
    } catch (error) {
      if (!(error instanceof UnresolvedReferenceError)) throw error;
      failed.add(item.key);
      const missing = error.missingKeys.filter((k) => failed.has(k));
      report.rejected.push({
        ...reportItem(item),
        reasons: [
          `not created: depends on ${(missing.length ? missing : error.missingKeys).join(', ')}`,
        ],
      });
      continue;
    }
    const forbidden = findForbiddenKey(body);
    if (forbidden) {
      failed.add(item.key);
      report.rejected.push({ ...reportItem(item), reasons: [`unknown field ${forbidden.key}`] });
      continue;
    }
    const itemFlags = flags.filter((f) => f.key === item.key);
    try {
      const external = item.kind === 'Mesh' && itemFlags.some((f) => f.code === 'CA001');
      const result = deps.services[item.kind].create(body, {
        flags: itemFlags.map(toFinding),
        ...(external ? { overrides: { caExternal: true } } : {}),
      });
      const id = result.record.id;
      ids.set(item.key, id);
      if (item.sourceName !== undefined) {
        deps.importSources.record({
          resourceId: id,
          kind: item.kind,
          namespace: item.sourceNamespace ?? '',
          sourceName: item.sourceName,
          importedAt,
        });
      }
      report.created.push({ ...reportItem(item), id });
      for (const r of resolutions.filter((x) => x.key === item.key)) {
        report.resolved.push(reportResolved(r, id));
      }
      for (const f of [...itemFlags, ...result.findings]) {
        report.flagged.push({
          kind: item.kind,
          name: item.name,
          id,
          code: f.code,
          message: f.message,
        });
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failed.add(item.key);
      report.rejected.push({ ...reportItem(item), reasons: reasonsOf(error) });
    }
  }
  return report;
}

function reportResolved(r: PlanResolution, id?: string): ImportResolved {
  const { target } = r;
  const reference =
    'id' in r.reference
      ? { id: r.reference.id }
      : {
          name: r.reference.name,
          ...(r.reference.namespace ? { namespace: r.reference.namespace } : {}),
        };
  const label = LABELS[target.kind];
  const inMesh =
    target.kind !== 'Mesh' && target.meshName !== undefined ? ` in mesh '${target.meshName}'` : '';
  const written =
    'id' in reference
      ? reference.id
      : `${reference.namespace ? `${reference.namespace}/` : ''}${reference.name}`;
  const how =
    r.via === 'import-source'
      ? 'created by an earlier import of that Kubernetes resource'
      : r.via === 'name'
        ? 'the only live one in scope with that OCI name'
        : 'by OCID';
  return {
    ...reportItem(r),
    ...(id !== undefined ? { id } : {}),
    path: r.path,
    reference,
    via: r.via,
    target: {
      kind: target.kind,
      id: target.id,
      name: target.name ?? '',
      ...(target.meshId !== undefined && target.kind !== 'Mesh' ? { meshId: target.meshId } : {}),
      ...(target.meshName !== undefined && target.kind !== 'Mesh'
        ? { meshName: target.meshName }
        : {}),
      ...(target.source ? { source: target.source } : {}),
    },
    message: `${r.path} ${written} → existing ${label} '${target.name ?? target.id}'${inMesh} (${target.id}), ${how}`,
  };
}

function rejectionMessage(report: ImportReport): string {
  const n = report.rejected.length;
  return `import rejected: ${n} item${n === 1 ? '' : 's'} cannot be created; nothing was created`;
}
