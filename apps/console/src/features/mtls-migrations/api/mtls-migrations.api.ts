import type {
  MigrationStatus,
  MigrationTargetInput,
  ModeChoice,
  MtlsMode,
  StagePreview,
  Topology,
} from '@meshdeck/domain';
import { request } from '../../../lib/api-client.ts';
import type { MeshSummary, MtlsView } from '@meshdeck/domain';

/**
 * The BFF's migration views (docs/console-api.md "Staged mTLS migrations"). Stages carry the
 * domain's StagePreview: the changes and, computed with the graph's own edge function, the edges
 * that change state and the outside callers newly refused.
 */
export interface MeshMtlsView {
  meshId: string;
  meshName: string;
  minimum: MtlsMode;
  minimumChangedAt: string | null;
  services: ({ id: string; name: string } & MtlsView)[];
  minimumChoices: ModeChoice[];
  activeMigration: MigrationView | null;
  /** The server's clock when the view was made: every wait is timed by it. */
  now: string;
}

export interface MigrationSubject {
  kind: 'mesh' | 'virtualService';
  id: string;
  name: string;
}

export interface MigrationPlanView {
  target: MigrationTargetInput;
  meshId: string;
  meshName: string;
  subject: MigrationSubject;
  stages: StagePreview[];
  after: Topology;
  propagationDelaySeconds: number;
  minimumDurationSeconds: number;
}

export type MigrationStageState = 'APPLIED' | 'NEXT' | 'PLANNED' | 'SKIPPED';

export interface MigrationLogEntry {
  timestamp: string;
  level: 'LOG' | 'ERROR';
  message: string;
  code?: string;
}

export interface MigrationView {
  id: string;
  meshId: string;
  compartmentId: string;
  subject: MigrationSubject;
  target: MigrationTargetInput;
  status: MigrationStatus;
  rollbackOf: string | null;
  stageCount: number;
  stagesDone: number;
  currentStage: number | null;
  percentComplete: number;
  nextStepAt: string | null;
  failure: string | null;
  workRequestId: string;
  jobId: string;
  stages: (StagePreview & {
    index: number;
    state: MigrationStageState;
    appliedAt: string | null;
  })[];
  log: MigrationLogEntry[];
  timeCreated: string;
  timeUpdated: string;
  timeFinished: string | null;
  now: string;
}

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
