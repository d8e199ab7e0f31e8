import { queryOptions } from '@tanstack/react-query';
import {
  getAccessPolicy,
  getPolicyMesh,
  listAccessPolicies,
  type ListFilters,
} from './access-policies.api.ts';

/** The only place access-policy query keys are written, generic to specific. */
export const accessPolicyQueries = {
  all: () => ['access-policies'] as const,
  list: (filters: ListFilters) =>
    queryOptions({
      queryKey: [...accessPolicyQueries.all(), 'list', filters] as const,
      queryFn: ({ signal }) => listAccessPolicies(filters, signal),
    }),
  mesh: (meshId: string) =>
    queryOptions({
      queryKey: [...accessPolicyQueries.all(), 'mesh', meshId] as const,
      queryFn: ({ signal }) => getPolicyMesh(meshId, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...accessPolicyQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getAccessPolicy(id, signal),
    }),
};
