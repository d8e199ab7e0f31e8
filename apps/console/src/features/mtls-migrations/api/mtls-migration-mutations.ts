import type { MigrationTargetInput, MtlsMode } from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mtlsMigrationQueries } from './mtls-migration-queries.ts';
import {
  cancelMigration,
  planMigration,
  rollbackMigration,
  startMigration,
  updateMeshMinimum,
} from './mtls-migrations.api.ts';

function useInvalidateAll() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: mtlsMigrationQueries.all() });
}

export function useUpdateMeshMinimum(meshId: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (minimum: MtlsMode) => updateMeshMinimum(meshId, minimum),
    onSuccess: invalidate,
  });
}

/** Computes a plan and its what-if; changes nothing, so it invalidates nothing. */
export function usePlanMigration() {
  return useMutation({ mutationFn: (target: MigrationTargetInput) => planMigration(target) });
}

export function useStartMigration() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (target: MigrationTargetInput) => startMigration(target),
    onSuccess: invalidate,
  });
}

export function useCancelMigration() {
  const invalidate = useInvalidateAll();
  return useMutation({ mutationFn: (id: string) => cancelMigration(id), onSuccess: invalidate });
}

export function useRollbackMigration() {
  const invalidate = useInvalidateAll();
  return useMutation({ mutationFn: (id: string) => rollbackMigration(id), onSuccess: invalidate });
}
