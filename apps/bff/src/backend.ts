import { createAuditRepository, type AuditRepository } from './audit/audit.repository.ts';
import { createCertificateHooks } from './certificates/certificate-hooks.ts';
import type { MeshCertificateStatus } from '@meshdeck/domain';
import { meshCertificateStatus } from './certificates/certificate-views.ts';
import {
  createCertificateRepository,
  type CertificateRepository,
} from './certificates/certificates.repository.ts';
import type { Clock } from './clock.ts';
import type { MeshRecords } from './console-api/views.ts';
import type { Db } from './db/open-db.ts';
import {
  createFindingsRepository,
  type FindingsRepository,
} from './findings/findings.repository.ts';
import {
  createImportSourcesRepository,
  type ImportSourcesRepository,
} from './import-sources/import-sources.repository.ts';
import { createJobQueue, type JobQueue } from './jobs/job-queue.ts';
import { createStores, definitions } from './resources/definitions.ts';
import type { Stores } from './resources/resource-kind.ts';
import { createServices, type Services } from './resources/resource-service.ts';
import type { BaseRecord, ResourceKind } from './resources/resource-store.ts';
import { createLifecycleScheduler } from './work-requests/resource-lifecycle.ts';
import {
  createWorkRequestRepository,
  type WorkRequestRepository,
} from './work-requests/work-requests.repository.ts';

/** The stores and write services of one database, shared by both faces, import and the demo seed. */
export interface Backend {
  stores: Stores;
  services: Services;
  findings: FindingsRepository;
  workRequests: WorkRequestRepository;
  /** Provenance of imported resources (the operator documents they came from). */
  importSources: ImportSourcesRepository;
  /** Jobs (docs/decisions/003-jobs.md): enqueue inside a write's transaction. */
  jobs: JobQueue;
  /** CAs, leaf certificates and versions; kept in step with writes by the certificate hooks. */
  certificates: CertificateRepository;
  meshCertificateStatus(records: MeshRecords): MeshCertificateStatus;
  /** Who changed what (audit/): every resource write records itself here. */
  audit: AuditRepository;
}

export function createBackend(db: Db, clock: Clock): Backend {
  const stores = createStores(db);
  const findings = createFindingsRepository(db);
  const workRequests = createWorkRequestRepository(db);
  const jobs = createJobQueue(db, clock);
  const certificates = createCertificateRepository(db);
  const { afterWrite } = createCertificateHooks({ certificates, jobs, clock });
  const audit = createAuditRepository(db, clock);
  const services = createServices({
    db,
    clock,
    stores,
    findings,
    workRequests,
    definitions,
    afterWrite,
    lifecycle: createLifecycleScheduler(jobs),
    audit: ({ kind, operation, record, before }) =>
      audit.record({
        kind,
        action: operation,
        resourceId: record.id,
        meshId: meshIdOf(stores, kind, record),
        ...(before ? { before } : {}),
        after: record,
      }),
  });
  const importSources = createImportSourcesRepository(db);
  return {
    stores,
    services,
    findings,
    workRequests,
    importSources,
    jobs,
    certificates,
    audit,
    meshCertificateStatus: (records) => meshCertificateStatus(records, certificates, clock.now()),
  };
}

/** The mesh a resource belongs to, found by walking its parents (for the audit's mesh filter). */
function meshIdOf(stores: Stores, kind: ResourceKind, record: BaseRecord): string | undefined {
  let currentKind = kind;
  let current: BaseRecord | undefined = record;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (currentKind === 'Mesh') return current.id;
    const parent = definitions[currentKind].store.parent;
    if (!parent) return undefined;
    const parentId: unknown = (current as unknown as Record<string, unknown>)[parent.field];
    if (typeof parentId !== 'string') return undefined;
    currentKind = parent.kind;
    current = stores[parent.kind].get(parentId);
  }
  return undefined;
}
