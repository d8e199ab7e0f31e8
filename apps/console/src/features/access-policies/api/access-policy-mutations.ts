import type { AccessPolicyCreate, AccessPolicyUpdate } from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createAccessPolicy, updateAccessPolicy } from './access-policies.api.ts';

/** Every write changes the mesh views too (counts, topology): invalidate everything. */
function useInvalidateAll() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

export function useCreateAccessPolicy() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (body: AccessPolicyCreate) => createAccessPolicy(body),
    onSuccess: invalidate,
  });
}

export function useUpdateAccessPolicy(id: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ body, etag }: { body: AccessPolicyUpdate; etag: string | undefined }) =>
      updateAccessPolicy(id, body, etag),
    onSuccess: invalidate,
  });
}
