import type {
  AccessPolicy,
  AccessPolicyCreate,
  AccessPolicyUpdate,
  ResourceView,
} from '@meshdeck/domain';
import { useCreateResource, useUpdateResource } from '../../../lib/resource-queries.ts';

/** Every write changes the mesh views too (counts, topology): both invalidate everything. */
export const useCreateAccessPolicy = () =>
  useCreateResource<AccessPolicyCreate, ResourceView<AccessPolicy>>('AccessPolicy');

/** Only the fields in `body` change; 412 when `etag` is stale. */
export const useUpdateAccessPolicy = (id: string) =>
  useUpdateResource<AccessPolicyUpdate, ResourceView<AccessPolicy>>('AccessPolicy', id);
