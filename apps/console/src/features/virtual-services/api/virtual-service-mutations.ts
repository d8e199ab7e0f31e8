import type { VirtualServiceCreate, VirtualServiceUpdate } from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createVirtualService,
  deleteVirtualService,
  updateVirtualService,
} from './virtual-services.api.ts';
import { virtualServiceQueries } from './virtual-service-queries.ts';

export function useCreateVirtualService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VirtualServiceCreate) => createVirtualService(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: virtualServiceQueries.all() }),
  });
}

export function useUpdateVirtualService(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: VirtualServiceUpdate) => updateVirtualService(id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: virtualServiceQueries.all() }),
  });
}

export function useDeleteVirtualService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteVirtualService(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: virtualServiceQueries.all() }),
  });
}
