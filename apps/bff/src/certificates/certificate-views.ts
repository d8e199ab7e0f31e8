import {
  caExpiryWarning,
  certificateAlerts,
  DEFAULT_MAXIMUM_VALIDITY_DAYS,
  MAX_CERTIFICATE_VERSIONS,
  type CertificateAuthorityView,
  type CertificateDetail,
  type CertificateVersionView,
  type CertificateView,
  type MeshCertificateStatus,
} from '@meshdeck/domain';
import type { MeshRecords } from '../console-api/views.ts';
import type { JobRun } from '../jobs/job-queue.ts';
import type {
  CertificateAuthorityRecord,
  CertificateRecord,
  CertificateRepository,
  CertificateVersionRecord,
} from './certificates.repository.ts';

/** What the mesh page shows about certificates (MeshSummary.certificates). */
export function authorityView(ca: CertificateAuthorityRecord, now: Date): CertificateAuthorityView {
  return {
    id: ca.id,
    name: ca.name,
    compartmentId: ca.compartmentId,
    meshId: ca.meshId,
    status: ca.status,
    validityDays: ca.validityDays,
    maximumLeafValidity: ca.maxLeafValidity,
    serialNumber: ca.serialNumber,
    notBefore: ca.notBefore,
    notAfter: ca.notAfter,
    expired: ca.notAfter !== null && now.getTime() >= Date.parse(ca.notAfter),
    certificatePem: ca.certificatePem,
    timeCreated: ca.createdAt,
  };
}

export function versionView(
  v: CertificateVersionRecord,
  currentVersion: number | null,
  now: Date,
): CertificateVersionView {
  return {
    version: v.version,
    serialNumber: v.serialNumber,
    issuedAt: v.issuedAt,
    notBefore: v.notBefore,
    notAfter: v.notAfter,
    renewAt: v.renewAt,
    cappedByCa: v.cappedByCa,
    status:
      v.version === currentVersion
        ? 'CURRENT'
        : now.getTime() >= Date.parse(v.notAfter)
          ? 'EXPIRED'
          : 'SUPERSEDED',
    certificatePem: v.certificatePem,
  };
}

export function certificateView(
  cert: CertificateRecord,
  repo: CertificateRepository,
  now: Date,
  authorities: Map<string, CertificateAuthorityRecord | undefined> = new Map(),
): CertificateView {
  if (!authorities.has(cert.caId)) authorities.set(cert.caId, repo.getAuthority(cert.caId));
  const ca = authorities.get(cert.caId);
  const current =
    cert.currentVersion !== null ? repo.getVersion(cert.id, cert.currentVersion) : undefined;
  const versionCount = repo.countVersions(cert.id);
  const managed = cert.status !== 'EXTERNAL' && cert.status !== 'RETIRED';
  return {
    id: cert.id,
    meshId: cert.meshId,
    caId: cert.caId,
    resource: { kind: cert.resourceKind, id: cert.resourceId, name: cert.commonName },
    dnsNames: cert.dnsNames,
    maximumValidity: cert.maximumValidity,
    status: cert.status,
    currentVersion: cert.currentVersion,
    versionCount,
    versionLimit: MAX_CERTIFICATE_VERSIONS,
    issuedAt: current?.issuedAt ?? null,
    notBefore: current?.notBefore ?? null,
    notAfter: cert.notAfter,
    renewAt: cert.renewAt,
    cappedByCa: current?.cappedByCa ?? false,
    failure:
      cert.failureMessage !== null
        ? { code: cert.failureCode ?? 'ERROR', message: cert.failureMessage, at: cert.failedAt }
        : null,
    alerts: managed
      ? certificateAlerts(
          {
            notAfter: cert.notAfter,
            renewAt: cert.renewAt,
            versionCount,
            failureMessage: cert.failureMessage,
            caNotAfter: ca?.notAfter ?? null,
            maximumValidityDays: cert.maximumValidity,
          },
          now,
        )
      : [],
    timeCreated: cert.createdAt,
    timeUpdated: cert.updatedAt,
  };
}

export function certificateDetail(
  cert: CertificateRecord,
  repo: CertificateRepository,
  runs: JobRun[],
  now: Date,
): CertificateDetail {
  const ca = repo.getAuthority(cert.caId);
  return {
    ...certificateView(cert, repo, now, new Map([[cert.caId, ca]])),
    authority: ca ? authorityView(ca, now) : null,
    versions: repo.listVersions(cert.id).map((v) => versionView(v, cert.currentVersion, now)),
    runs,
  };
}

/** The longest leaf lifetime asked for in a mesh: the threshold of the CA expiry warning (E9). */
export function longestMaximumValidity(records: MeshRecords): number {
  return Math.max(
    DEFAULT_MAXIMUM_VALIDITY_DAYS,
    ...records.virtualServices.map((vs) => vs.maximumValidity),
    ...records.ingressGateways.map((g) => g.mtls?.maximumValidity ?? DEFAULT_MAXIMUM_VALIDITY_DAYS),
  );
}

export function meshCertificateStatus(
  records: MeshRecords,
  repo: CertificateRepository,
  now: Date,
): MeshCertificateStatus {
  const { mesh } = records;
  const caId = mesh.certificateAuthorities[0]?.id ?? '';
  const ca = mesh.caExternal ? undefined : repo.getAuthority(caId);
  const { nextRenewalAt, ...counts } = repo.meshCounts(mesh.id);
  const notAfter = ca?.notAfter ?? null;
  return {
    authority: {
      id: caId,
      status: mesh.caExternal ? 'EXTERNAL' : (ca?.status ?? 'UNKNOWN'),
      notBefore: ca?.notBefore ?? null,
      notAfter,
      expired: notAfter !== null && now.getTime() >= Date.parse(notAfter),
      warning: notAfter
        ? (caExpiryWarning({
            caNotAfter: new Date(notAfter),
            longestMaximumValidityDays: Math.min(
              longestMaximumValidity(records),
              ca?.maxLeafValidity ?? Number.POSITIVE_INFINITY,
            ),
            now,
          }) ?? null)
        : null,
    },
    counts,
    nextRenewalAt,
  };
}
