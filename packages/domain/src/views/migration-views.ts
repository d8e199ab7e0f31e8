import type { MigrationStatus, MigrationTargetInput } from '../migration/migration.schema.ts';
import type { StagePreview } from '../migration/migration.ts';
import type { ModeChoice, MtlsMode } from '../mtls/mtls.ts';
import type { Topology } from '../topology/topology.ts';
import type { MtlsView } from './console-views.ts';

/** The mesh or the virtual service a migration is about. */
export interface MigrationSubject {
  kind: 'mesh' | 'virtualService';
  id: string;
  name: string;
}

/** `POST /api/migrations/plan`: the plan and its what-if, nothing changed. */
export interface MigrationPlanView {
  target: MigrationTargetInput;
  meshId: string;
  meshName: string;
  subject: MigrationSubject;
  /** Per stage: the changes, the edges that change state, the outside callers newly refused. */
  stages: StagePreview[];
  /** The topology once every stage has run: what GET /api/meshes/:id/topology will show. */
  after: Topology;
  propagationDelaySeconds: number;
  /** At least this long from the first stage to the last (the propagation delay between stages). */
  minimumDurationSeconds: number;
}

export type MigrationStageState = 'APPLIED' | 'NEXT' | 'PLANNED' | 'SKIPPED';

export interface MigrationLogEntry {
  timestamp: string;
  level: 'LOG' | 'ERROR';
  message: string;
  code?: string;
}

/** `GET /api/migrations/:id` (docs/console-api.md). */
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
  /** Index of the stage the job applies next, while the migration runs. */
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
  /** The server's clock when this view was made (countdowns in the console). */
  now: string;
}

/** `GET /api/meshes/:meshId/mtls`: what the mesh-minimum control and the migration flow need. */
export interface MeshMtlsView {
  meshId: string;
  meshName: string;
  minimum: MtlsMode;
  minimumChangedAt: string | null;
  /** Every live service with its declared and effective mode, inheriting ones marked. */
  services: ({ id: string; name: string } & MtlsView)[];
  /** The domain's meshMinimumChoices at `now`; the console recomputes them as time passes. */
  minimumChoices: ModeChoice[];
  /** The migration running in this mesh, if any. */
  activeMigration: MigrationView | null;
  /** The server's clock: every wait is timed by it, whichever client asks (case A10). */
  now: string;
}
