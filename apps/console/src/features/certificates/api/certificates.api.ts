import type { CertificateDetail, CertificateView } from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';

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
