import type { AccessPolicy } from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { resourceQueries } from '../../../lib/resource-queries.ts';
import { getAccessPolicy, getPolicyMesh } from './access-policies.api.ts';

const base = resourceQueries<AccessPolicy>('AccessPolicy', 'access-policies');

/** The only place access-policy query keys are written, generic to specific. */
export const accessPolicyQueries = {
  all: base.all,
  /** One page of a mesh's access policies, filtered and sorted by the BFF. */
  list: base.list,
  mesh: (meshId: string) =>
    queryOptions({
      queryKey: [...base.all(), 'mesh', meshId] as const,
      queryFn: ({ signal }) => getPolicyMesh(meshId, signal),
    }),
  /** The policy flattened with its etag (the pages read `detail.etag`, not `{ view, etag }`). */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...base.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getAccessPolicy(id, signal),
    }),
};
