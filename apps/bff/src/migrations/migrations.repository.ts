import type {
  MigrationGoal,
  MigrationStatus,
  MigrationTargetInput,
  StagePreview,
} from '@meshdeck/domain';
import { prepare, type Db } from '../db/open-db.ts';

/** One staged mTLS migration as stored (`mtls_migrations`, migration 0005). */
export interface MigrationRecord {
  id: string;
  meshId: string;
  compartmentId: string;
  /** The mesh or the virtual service the migration is about. */
  subject: { kind: 'mesh' | 'virtualService'; id: string; name: string };
  target: MigrationTargetInput;
  /** The stages as planned, each with its what-if (edge changes, newly refused callers). */
  stages: StagePreview[];
  /** The modes it started from; a rollback plans its way back to them. */
  startState: MigrationGoal;
  status: MigrationStatus;
  /** Stages applied so far; the next one to apply is `stages[stagesDone]`. */
  stagesDone: number;
  /** When each applied stage ran. */
  stageTimes: string[];
  /** How often the current stage waited for a propagation timer (bounded). */
  waits: number;
  /** When the job takes its next step (null once finished). */
  nextStepAt: string | null;
  /** Why it stopped, for FAILED. */
  failure: string | null;
  rollbackOf: string | null;
  workRequestId: string;
  jobId: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export type MigrationPatch = Partial<
  Pick<
    MigrationRecord,
    'status' | 'stagesDone' | 'stageTimes' | 'waits' | 'nextStepAt' | 'failure' | 'finishedAt'
  >
>;

export interface MigrationRepository {
  insert(record: MigrationRecord): void;
  get(id: string): MigrationRecord | undefined;
  /** Applies a change (with `updatedAt`) and returns the record as it now is. */
  update(id: string, patch: MigrationPatch, updatedAt: string): MigrationRecord;
  /** Newest first. */
  list(query: { meshId?: string; limit: number }): MigrationRecord[];
  /** The migration running in a mesh (ACCEPTED, IN_PROGRESS or CANCELING), if any. */
  liveForMesh(meshId: string): MigrationRecord | undefined;
}

type Row = Record<string, unknown>;

function fromRow(row: Row): MigrationRecord {
  return {
    id: row.id as string,
    meshId: row.mesh_id as string,
    compartmentId: row.compartment_id as string,
    subject: {
      kind: row.subject_kind as 'mesh' | 'virtualService',
      id: row.subject_id as string,
      name: row.subject_name as string,
    },
    target: JSON.parse(row.target as string) as MigrationTargetInput,
    stages: JSON.parse(row.stages as string) as StagePreview[],
    startState: JSON.parse(row.start_state as string) as MigrationGoal,
    status: row.status as MigrationStatus,
    stagesDone: row.stages_done as number,
    stageTimes: JSON.parse(row.stage_times as string) as string[],
    waits: row.waits as number,
    nextStepAt: (row.next_step_at as string | null) ?? null,
    failure: (row.failure as string | null) ?? null,
    rollbackOf: (row.rollback_of as string | null) ?? null,
    workRequestId: row.work_request_id as string,
    jobId: row.job_id as string,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    finishedAt: (row.finished_at as string | null) ?? null,
  };
}

export function createMigrationRepository(db: Db): MigrationRepository {
  const get = (id: string): MigrationRecord | undefined => {
    const row = prepare(db, 'SELECT * FROM mtls_migrations WHERE id = ?').get(id) as
      Row | undefined;
    return row ? fromRow(row) : undefined;
  };
  return {
    insert(r) {
      prepare(
        db,
        `INSERT INTO mtls_migrations (id, mesh_id, compartment_id, subject_kind, subject_id,
           subject_name, target, stages, start_state, status, stages_done, stage_times, waits,
           next_step_at, failure, rollback_of, work_request_id, job_id, created_at, updated_at,
           finished_at)
         VALUES (@id, @meshId, @compartmentId, @subjectKind, @subjectId, @subjectName, @target,
           @stages, @startState, @status, @stagesDone, @stageTimes, @waits, @nextStepAt, @failure,
           @rollbackOf, @workRequestId, @jobId, @createdAt, @updatedAt, @finishedAt)`,
      ).run({
        id: r.id,
        meshId: r.meshId,
        compartmentId: r.compartmentId,
        subjectKind: r.subject.kind,
        subjectId: r.subject.id,
        subjectName: r.subject.name,
        target: JSON.stringify(r.target),
        stages: JSON.stringify(r.stages),
        startState: JSON.stringify(r.startState),
        status: r.status,
        stagesDone: r.stagesDone,
        stageTimes: JSON.stringify(r.stageTimes),
        waits: r.waits,
        nextStepAt: r.nextStepAt,
        failure: r.failure,
        rollbackOf: r.rollbackOf,
        workRequestId: r.workRequestId,
        jobId: r.jobId,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        finishedAt: r.finishedAt,
      });
    },
    get,
    update(id, patch, updatedAt) {
      const current = get(id);
      if (!current) throw new Error(`migration ${id} not found`);
      const next: MigrationRecord = { ...current, ...patch, updatedAt };
      prepare(
        db,
        `UPDATE mtls_migrations SET status = @status, stages_done = @stagesDone,
           stage_times = @stageTimes, waits = @waits, next_step_at = @nextStepAt,
           failure = @failure, updated_at = @updatedAt, finished_at = @finishedAt
         WHERE id = @id`,
      ).run({
        id,
        status: next.status,
        stagesDone: next.stagesDone,
        stageTimes: JSON.stringify(next.stageTimes),
        waits: next.waits,
        nextStepAt: next.nextStepAt,
        failure: next.failure,
        updatedAt,
        finishedAt: next.finishedAt,
      });
      return next;
    },
    list(query) {
      const rows = (
        query.meshId === undefined
          ? prepare(
              db,
              'SELECT * FROM mtls_migrations ORDER BY created_at DESC, id DESC LIMIT ?',
            ).all(query.limit)
          : prepare(
              db,
              `SELECT * FROM mtls_migrations WHERE mesh_id = ?
               ORDER BY created_at DESC, id DESC LIMIT ?`,
            ).all(query.meshId, query.limit)
      ) as Row[];
      return rows.map(fromRow);
    },
    liveForMesh(meshId) {
      const row = prepare(
        db,
        `SELECT * FROM mtls_migrations
         WHERE mesh_id = ? AND status IN ('ACCEPTED','IN_PROGRESS','CANCELING')`,
      ).get(meshId) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
  };
}
