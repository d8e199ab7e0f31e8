import { queryOptions } from '@tanstack/react-query';
import { getCertificate, getClock, listCertificates } from './certificates.api.ts';

/** Renewals happen on the server while a page is open; look again now and then. */
const REFRESH_MS = 15_000;

/** The only place certificate query keys are written, generic to specific (STYLE step 6). */
export const certificateQueries = {
  all: () => ['certificates'] as const,
  list: (filters: { meshId: string }) =>
    queryOptions({
      queryKey: [...certificateQueries.all(), 'list', filters] as const,
      queryFn: ({ signal }) => listCertificates(filters.meshId, signal),
      refetchInterval: REFRESH_MS,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...certificateQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getCertificate(id, signal),
      refetchInterval: REFRESH_MS,
    }),
};

export const clockQueries = {
  all: () => ['clock'] as const,
  now: () =>
    queryOptions({
      queryKey: [...clockQueries.all(), 'now'] as const,
      queryFn: ({ signal }) => getClock(signal),
      staleTime: 60_000,
    }),
};
