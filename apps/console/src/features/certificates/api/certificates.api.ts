import type { CertificateAlert } from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';

/** docs/console-api.md "CertificateView". */
export interface CertificateView {
  id: string;
  meshId: string;
  caId: string;
  resource: { kind: 'VirtualService' | 'IngressGateway'; id: string; name: string };
  dnsNames: string[];
  maximumValidity: number;
  status: 'PENDING' | 'ACTIVE' | 'FAILED' | 'RETIRED' | 'EXTERNAL';
  currentVersion: number | null;
  versionCount: number;
  versionLimit: number;
  issuedAt: string | null;
  notBefore: string | null;
  notAfter: string | null;
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
  status: 'PENDING' | 'ACTIVE';
  notBefore: string | null;
  notAfter: string | null;
  expired: boolean;
  maximumLeafValidity: number;
}

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
  runs: JobRunView[];
}

export interface ClockView {
  now: string;
  demo: boolean;
  offsetMs: number | null;
}

const path = (id: string) => `/api/certificates/${encodeURIComponent(id)}`;

export async function listCertificates(
  meshId: string,
  signal?: AbortSignal,
): Promise<CertificateView[]> {
  const body = await request<{ items: CertificateView[] }>('/api/certificates', {
    query: { meshId },
    signal,
  });
  return body.items;
}

export function getCertificate(id: string, signal?: AbortSignal): Promise<CertificateDetail> {
  return request<CertificateDetail>(path(id), { signal });
}

export function deleteCertificateVersion(id: string, version: number): Promise<CertificateDetail> {
  return request<CertificateDetail>(`${path(id)}/versions/${version}`, { method: 'DELETE' });
}

export function deleteOldCertificateVersions(id: string): Promise<CertificateDetail> {
  return request<CertificateDetail>(`${path(id)}/versions`, { method: 'DELETE' });
}

export function retryCertificate(id: string): Promise<CertificateDetail> {
  return request<CertificateDetail>(`${path(id)}/retry`, { method: 'POST' });
}

export function getClock(signal?: AbortSignal): Promise<ClockView> {
  return request<ClockView>('/api/clock', { signal });
}

export function advanceClock(seconds: number): Promise<ClockView> {
  return request<ClockView>('/api/demo/clock/advance', { method: 'POST', json: { seconds } });
}
