import type {
  MeshMtlsView,
  MeshSummary,
  MigrationPlanView,
  MigrationTargetInput,
  MigrationView,
  MtlsMode,
} from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';

const meshPath = (meshId: string) => `/api/meshes/${encodeURIComponent(meshId)}`;
const migrationPath = (id: string) => `/api/migrations/${encodeURIComponent(id)}`;

export function getMeshMtls(meshId: string, signal?: AbortSignal): Promise<MeshMtlsView> {
  return request<MeshMtlsView>(`${meshPath(meshId)}/mtls`, { signal });
}

/** One step of the mesh minimum; the BFF refuses what the rules refuse (422/409, Retry-After). */
export function updateMeshMinimum(meshId: string, minimum: MtlsMode): Promise<MeshSummary> {
  return request<MeshSummary>(meshPath(meshId), { method: 'PUT', json: { mtls: { minimum } } });
}

export function planMigration(target: MigrationTargetInput): Promise<MigrationPlanView> {
  return request<MigrationPlanView>('/api/migrations/plan', {
    method: 'POST',
    json: { target },
  });
}

export function startMigration(target: MigrationTargetInput): Promise<MigrationView> {
  return request<MigrationView>('/api/migrations', { method: 'POST', json: { target } });
}

export function getMigration(id: string, signal?: AbortSignal): Promise<MigrationView> {
  return request<MigrationView>(migrationPath(id), { signal });
}

export async function listMigrations(
  meshId: string,
  signal?: AbortSignal,
): Promise<MigrationView[]> {
  const body = await request<{ items: MigrationView[] }>('/api/migrations', {
    query: { meshId, limit: 10 },
    signal,
  });
  return body.items;
}

export function cancelMigration(id: string): Promise<MigrationView> {
  return request<MigrationView>(`${migrationPath(id)}/cancel`, { method: 'POST' });
}

export function rollbackMigration(id: string): Promise<MigrationView> {
  return request<MigrationView>(`${migrationPath(id)}/rollback`, { method: 'POST' });
}
