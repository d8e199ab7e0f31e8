import { FINISHED_MIGRATION_STATUSES } from '@meshdeck/domain';
import { queryOptions } from '@tanstack/react-query';
import { getMeshMtls, getMigration, listMigrations } from './mtls-migrations.api.ts';

/** How often a running migration is polled (its stages are 30 s apart). */
export const MIGRATION_POLL_MS = 1_000;

/** The only place mTLS-migration query keys are written, generic to specific. */
export const mtlsMigrationQueries = {
  all: () => ['mtls-migrations'] as const,
  mesh: (meshId: string) =>
    queryOptions({
      queryKey: [...mtlsMigrationQueries.all(), 'mesh', meshId] as const,
      queryFn: ({ signal }) => getMeshMtls(meshId, signal),
      // While a migration runs, modes change under the page: follow them.
      refetchInterval: (query) => (query.state.data?.activeMigration ? MIGRATION_POLL_MS : false),
    }),
  list: (meshId: string) =>
    queryOptions({
      queryKey: [...mtlsMigrationQueries.all(), 'list', meshId] as const,
      queryFn: ({ signal }) => listMigrations(meshId, signal),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...mtlsMigrationQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => getMigration(id, signal),
      refetchInterval: (query) => {
        const status = query.state.data?.status;
        return status && FINISHED_MIGRATION_STATUSES.includes(status) ? false : MIGRATION_POLL_MS;
      },
    }),
};
