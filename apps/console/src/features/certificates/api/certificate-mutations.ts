import type { CertificateDetail } from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  advanceClock,
  deleteCertificateVersion,
  deleteOldCertificateVersions,
  retryCertificate,
} from './certificates.api.ts';
import { certificateQueries } from './certificate-queries.ts';

function useCertificateMutation<V>(mutationFn: (vars: V) => Promise<CertificateDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (detail) => {
      queryClient.setQueryData(certificateQueries.detail(detail.id).queryKey, detail);
      return queryClient.invalidateQueries({ queryKey: certificateQueries.all() });
    },
  });
}

export function useDeleteCertificateVersion(id: string) {
  return useCertificateMutation((version: number) => deleteCertificateVersion(id, version));
}

export function useDeleteOldCertificateVersions(id: string) {
  return useCertificateMutation(() => deleteOldCertificateVersions(id));
}

export function useRetryCertificate(id: string) {
  return useCertificateMutation(() => retryCertificate(id));
}

/** Moves the demo clock; every view may have changed (renewals ran), so all queries refetch. */
export function useAdvanceClock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (seconds: number) => advanceClock(seconds),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
