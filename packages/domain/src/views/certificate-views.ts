import type { CertificateAlert } from '../certificate/certificate.lifecycle.ts';

/** A leaf certificate's state: PENDING until issued, EXTERNAL when the mesh's CA is not Meshdeck's. */
export type CertificateStatus = 'PENDING' | 'ACTIVE' | 'FAILED' | 'RETIRED' | 'EXTERNAL';
export type CertificateResourceKind = 'VirtualService' | 'IngressGateway';
export type AuthorityStatus = 'PENDING' | 'ACTIVE';

/**
 * docs/console-api.md "Certificates": what `/api/certificates` answers and the console shows.
 * Never a private key.
 */
export interface CertificateView {
  id: string;
  meshId: string;
  caId: string;
  resource: { kind: CertificateResourceKind; id: string; name: string };
  dnsNames: string[];
  maximumValidity: number;
  status: CertificateStatus;
  currentVersion: number | null;
  versionCount: number;
  versionLimit: number;
  issuedAt: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** The next renewal (renewAt of the current version). */
  renewAt: string | null;
  cappedByCa: boolean;
  failure: { code: string; message: string; at: string | null } | null;
  alerts: CertificateAlert[];
  timeCreated: string;
  timeUpdated: string;
}

export interface CertificateVersionView {
  version: number;
  serialNumber: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  renewAt: string;
  cappedByCa: boolean;
  status: 'CURRENT' | 'SUPERSEDED' | 'EXPIRED';
  certificatePem: string;
}

export interface CertificateAuthorityView {
  id: string;
  name: string;
  compartmentId: string;
  meshId: string | null;
  status: AuthorityStatus;
  validityDays: number;
  maximumLeafValidity: number;
  serialNumber: string | null;
  notBefore: string | null;
  notAfter: string | null;
  expired: boolean;
  certificatePem: string | null;
  timeCreated: string;
}

/** One run of a job, as the console lists it. */
export interface JobRunView {
  id: number;
  outcome: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  note: string | null;
}

export interface CertificateDetail extends CertificateView {
  authority: CertificateAuthorityView | null;
  versions: CertificateVersionView[];
  /** The latest runs of this certificate's jobs, newest first. */
  runs: JobRunView[];
}
