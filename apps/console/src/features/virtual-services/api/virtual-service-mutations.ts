import type { VirtualServiceCreate, VirtualServiceUpdate } from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createVirtualService, updateVirtualService } from './virtual-services.api.ts';
import { virtualServiceQueries } from './virtual-service-queries.ts';

export function useCreateVirtualService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VirtualServiceCreate) => createVirtualService(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: virtualServiceQueries.all() }),
  });
}

/** `etag` is the version the form was opened on (`if-match`); a stale one fails with 412. */
export function useUpdateVirtualService(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: VirtualServiceUpdate; etag: string | undefined }) =>
      updateVirtualService(id, body, etag),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: virtualServiceQueries.all() }),
  });
}
