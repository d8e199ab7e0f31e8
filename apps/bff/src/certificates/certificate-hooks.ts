import { DEFAULT_MAXIMUM_VALIDITY_DAYS } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import type { Stores } from '../resources/resource-kind.ts';
import type { WriteEvent } from '../resources/resource-service.ts';
import type { BaseRecord } from '../resources/resource-store.ts';
import type { VirtualServiceRecord } from '../virtual-services/virtual-service.kind.ts';
import type {
  CertificateRecord,
  CertificateRepository,
  CertificateResourceKind,
} from './certificates.repository.ts';
import { dnsNamesOf } from './x509.ts';

export const CERTIFICATE_JOB = 'certificate';
export const CERTIFICATE_AUTHORITY_JOB = 'certificate-authority';

/** Validity of a CA Meshdeck makes for a mesh that names a CA it does not know yet. */
export const DEFAULT_CA_VALIDITY_DAYS = 365;
export const DEFAULT_CA_MAX_LEAF_VALIDITY_DAYS = 90;

export interface CertificateJobPayload {
  certificateId: string;
}

export interface CertificateAuthorityJobPayload {
  caId: string;
}

export const certificateJobKey = (certificateId: string) => `certificate:${certificateId}`;
const authorityJobKey = (caId: string) => `certificate-authority:${caId}`;

interface LeafOwner {
  kind: CertificateResourceKind;
  record: BaseRecord & { meshId: string; name: string };
  certificateId: string;
  dnsNames: string[];
  maximumValidity: number;
}

function leafOwner(kind: string, record: BaseRecord): LeafOwner | undefined {
  if (kind === 'VirtualService') {
    const vs = record as VirtualServiceRecord;
    return {
      kind,
      record: vs,
      certificateId: vs.certificateId,
      dnsNames: dnsNamesOf(vs.hosts ?? []),
      maximumValidity: vs.maximumValidity,
    };
  }
  if (kind === 'IngressGateway') {
    const gw = record as IngressGatewayRecord;
    if (!gw.mtls) return undefined;
    return {
      kind,
      record: gw,
      certificateId: gw.mtls.certificateId,
      dnsNames: dnsNamesOf(gw.hosts.flatMap((h) => h.hostnames ?? [])),
      maximumValidity: gw.mtls.maximumValidity ?? DEFAULT_MAXIMUM_VALIDITY_DAYS,
    };
  }
  return undefined;
}

/**
 * Keeps certificates in step with resource writes, inside the write's transaction: a mesh naming
 * a CA Meshdeck does not have yet gets one (made by a job), a new virtual service or ingress
 * gateway gets its leaf certificate row and an issue job, an update carries hosts and
 * maximumValidity over to the next version, a delete retires the certificate and its job.
 */
export function createCertificateHooks(deps: {
  certificates: CertificateRepository;
  jobs: JobQueue;
  clock: Clock;
}) {
  const { certificates, jobs } = deps;

  const ensureAuthorityFor = (mesh: MeshRecord, nowIso: string): void => {
    const caId = mesh.certificateAuthorities[0]?.id;
    if (!caId || mesh.caExternal || certificates.getAuthority(caId)) return;
    certificates.insertAuthority({
      id: caId,
      compartmentId: mesh.compartmentId,
      name: `${mesh.displayName} CA`,
      meshId: mesh.id,
      status: 'PENDING',
      validityDays: DEFAULT_CA_VALIDITY_DAYS,
      maxLeafValidity: DEFAULT_CA_MAX_LEAF_VALIDITY_DAYS,
      serialNumber: null,
      notBefore: null,
      notAfter: null,
      certificatePem: null,
      sealedPrivateKey: null,
      createdAt: nowIso,
      updatedAt: nowIso,
    });
    jobs.enqueue<CertificateAuthorityJobPayload>(
      CERTIFICATE_AUTHORITY_JOB,
      { caId },
      { subjectId: caId, dedupeKey: authorityJobKey(caId) },
    );
  };

  const addLeaf = (owner: LeafOwner, stores: Stores, nowIso: string): void => {
    if (certificates.get(owner.certificateId)) return;
    const mesh = stores.Mesh.get(owner.record.meshId);
    if (!mesh) return;
    const caId = mesh.certificateAuthorities[0]?.id ?? '';
    const cert: CertificateRecord = {
      id: owner.certificateId,
      meshId: mesh.id,
      caId,
      resourceKind: owner.kind,
      resourceId: owner.record.id,
      commonName: owner.record.name,
      dnsNames: owner.dnsNames,
      maximumValidity: owner.maximumValidity,
      // A mesh on an external CA (import CA001) gets its leaves from that CA, not from us.
      status: mesh.caExternal ? 'EXTERNAL' : 'PENDING',
      currentVersion: null,
      renewAt: null,
      notAfter: null,
      failureCode: null,
      failureMessage: null,
      failedAt: null,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
    certificates.insert(cert);
    if (cert.status === 'PENDING') {
      jobs.enqueue<CertificateJobPayload>(
        CERTIFICATE_JOB,
        { certificateId: cert.id },
        { subjectId: cert.id, dedupeKey: certificateJobKey(cert.id) },
      );
    }
  };

  const afterWrite = (event: WriteEvent): void => {
    const { ctx } = event;
    if (event.kind === 'Mesh') {
      if (event.operation === 'CREATE') ensureAuthorityFor(event.record as MeshRecord, ctx.nowIso);
      return;
    }
    const owner = leafOwner(event.kind, event.record);
    if (!owner) return;
    if (event.operation === 'CREATE') {
      addLeaf(owner, ctx.stores, ctx.nowIso);
      return;
    }
    const cert = certificates.get(owner.certificateId);
    if (!cert) return;
    if (event.operation === 'UPDATE') {
      certificates.update({
        ...cert,
        dnsNames: owner.dnsNames,
        maximumValidity: owner.maximumValidity,
        updatedAt: ctx.nowIso,
      });
      return;
    }
    certificates.update({ ...cert, status: 'RETIRED', updatedAt: ctx.nowIso });
    for (const job of jobs.list({ subjectId: cert.id, status: 'PENDING' })) jobs.cancel(job.id);
  };

  /**
   * Gives certificates to what was stored before they existed (a database from an older
   * version): CAs for meshes, leaves for live virtual services and ingress gateways.
   */
  const backfill = (stores: Stores): { authorities: number; certificates: number } => {
    const nowIso = deps.clock.now().toISOString();
    let authorities = 0;
    let leaves = 0;
    for (const mesh of stores.Mesh.listLive()) {
      const caId = mesh.certificateAuthorities[0]?.id;
      if (caId && !mesh.caExternal && !certificates.getAuthority(caId)) authorities += 1;
      ensureAuthorityFor(mesh, nowIso);
    }
    for (const kind of ['VirtualService', 'IngressGateway'] as const) {
      for (const record of stores[kind].listLive()) {
        const owner = leafOwner(kind, record);
        if (!owner || certificates.get(owner.certificateId)) continue;
        addLeaf(owner, stores, nowIso);
        leaves += 1;
      }
    }
    return { authorities, certificates: leaves };
  };

  return { afterWrite, backfill };
}

export type CertificateHooks = ReturnType<typeof createCertificateHooks>;
