import type { Finding, FindingCode } from '@meshdeck/domain';
import { inTransaction, type Db } from '../db/open-db.ts';
import { AppError, ImportRejectedError } from '../errors.ts';
import { findForbiddenKey } from '../http/parse.ts';
import { newOcid } from '../ids.ts';
import {
  MANAGED_CA,
  planImport,
  resolvePlanBody,
  UnresolvedReferenceError,
  type ExistingResources,
  type ImportFormat,
  type PlanFlag,
  type PlanItem,
  type PlanImportOptions,
} from '../import/plan-import.ts';
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
}

export interface ImportDeps {
  db: Db;
  stores: Stores;
  services: Services;
}

export interface ImportOptions {
  compartmentId?: string;
  certificateAuthorityId?: string;
}

function single<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** The planner's view of what is already stored (live resources only). */
function existingResources(stores: Stores): ExistingResources {
  const meshOf = (kind: ResourceKind, record: BaseRecord): string | undefined => {
    const r = record as unknown as Record<string, string>;
    if (kind === 'Mesh') return record.id;
    if (r.meshId) return r.meshId;
    if (r.virtualServiceId) return stores.VirtualService.get(r.virtualServiceId)?.meshId;
    if (r.ingressGatewayId) return stores.IngressGateway.get(r.ingressGatewayId)?.meshId;
    return undefined;
  };
  const byName = <R extends BaseRecord & { name: string }>(
    records: R[],
    name: string,
    parentOf: (r: R) => string,
    parentId: string | undefined,
  ) => single(records.filter((r) => r.name === name && (!parentId || parentOf(r) === parentId)));
  return {
    findMesh(name) {
      const mesh = single(stores.Mesh.listLive().filter((m) => m.displayName === name));
      return mesh ? { id: mesh.id, mtlsMinimum: mesh.mtls.minimum } : undefined;
    },
    findVirtualService(meshId, name) {
      const vs = byName(stores.VirtualService.listLive(), name, (v) => v.meshId, meshId);
      return vs ? { id: vs.id, meshId: vs.meshId } : undefined;
    },
    findVirtualDeployment(virtualServiceId, name) {
      const vd = stores.VirtualDeployment.findLiveByName(virtualServiceId, name);
      return vd ? { id: vd.id, virtualServiceId: vd.virtualServiceId } : undefined;
    },
    findIngressGateway(meshId, name) {
      const gw = byName(stores.IngressGateway.listLive(), name, (g) => g.meshId, meshId);
      return gw ? { id: gw.id, meshId: gw.meshId } : undefined;
    },
    findById(kind, id) {
      const record = stores[kind].get(id);
      if (!record || record.lifecycleState === 'DELETED') return undefined;
      const meshId = meshOf(kind, record);
      const vsId = (record as unknown as Record<string, string>).virtualServiceId;
      return { id, ...(meshId ? { meshId } : {}), ...(vsId ? { virtualServiceId: vsId } : {}) };
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
  const planOptions: PlanImportOptions = { existing: existingResources(deps.stores) };
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
      const applied = createAll(deps, plan.items, plan.flagged, report);
      if (applied.rejected.length > 0) throw new RollBack(applied);
      return applied;
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    const rejected = { ...error.report, created: [] };
    throw new ImportRejectedError(rejectionMessage(rejected), rejected);
  }
}

function createAll(
  deps: ImportDeps,
  items: PlanItem[],
  flags: PlanFlag[],
  base: ImportReport,
): ImportReport {
  const report: ImportReport = { ...base, created: [], rejected: [], flagged: [] };
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
      report.created.push({ ...reportItem(item), id });
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

function rejectionMessage(report: ImportReport): string {
  const n = report.rejected.length;
  return `import rejected: ${n} item${n === 1 ? '' : 's'} cannot be created; nothing was created`;
}
