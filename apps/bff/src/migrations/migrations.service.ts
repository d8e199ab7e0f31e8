import {
  effectiveMode,
  FINISHED_MIGRATION_STATUSES,
  migrationStartState,
  MigrationRequestSchema,
  planMigration,
  planToGoal,
  previewMigration,
  PROPAGATION_DELAY_SECONDS,
  type EdgeChange,
  type MeshSnapshot,
  type MigrationChange,
  type MigrationLogEntry,
  type MigrationPlanView,
  type MigrationView,
  type MigrationGoal,
  type MigrationPlan,
  type MigrationStage,
  type MigrationStatus,
  type MigrationTargetInput,
  type StagePreview,
} from '@meshdeck/domain';
import type { Backend } from '../backend.ts';
import type { Clock } from '../clock.ts';
import { loadMeshRecords, meshSnapshot } from '../console-api/views.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import {
  AppError,
  ConflictError,
  IncorrectStateError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../errors.ts';
import { newOcid } from '../ids.ts';
import type { JobContext, JobResult, JobRunner } from '../jobs/job-runner.ts';
import { PermanentJobError } from '../jobs/job-runner.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import { parseInput } from '../resources/parse-input.ts';
import type {
  ActionType,
  WorkRequest,
  WorkRequestEntry,
} from '../work-requests/work-requests.repository.ts';
import {
  createMigrationRepository,
  type MigrationRecord,
  type MigrationRepository,
} from './migrations.repository.ts';

export const MTLS_MIGRATION_JOB = 'mtls-migration';

/**
 * How often one stage may wait for a propagation timer it did not expect (another write changed
 * a mode meanwhile) before the migration gives up: 20 waits of at most 30 s.
 */
export const MAX_STAGE_WAITS = 20;

export interface MigrationJobPayload {
  migrationId: string;
}

export interface MigrationService {
  plan(body: unknown): MigrationPlanView;
  start(body: unknown): MigrationView;
  get(id: string): MigrationView;
  list(query: { meshId?: string; limit: number }): MigrationView[];
  /** The migration running in a mesh, if any. */
  liveForMesh(meshId: string): MigrationView | undefined;
  cancel(id: string): MigrationView;
  rollback(id: string): MigrationView;
  /** Registers the job that runs migrations, one stage per step. */
  registerJob(runner: JobRunner): void;
}

export interface MigrationServiceDeps {
  db: Db;
  clock: Clock;
  backend: Backend;
  repository?: MigrationRepository;
  /** Asks the runner to look for due work soon (after a start or a rollback). */
  wake?: () => void;
}

const isFinished = (status: MigrationStatus) => FINISHED_MIGRATION_STATUSES.includes(status);
const modeText = (mode: string | null) => mode ?? 'inherit';

function describeChange(c: MigrationChange): string {
  return c.kind === 'mesh'
    ? `mesh ${c.name} minimum ${c.from}→${c.to}`
    : `${c.name} ${modeText(c.from)}→${modeText(c.to)}`;
}

function describeStage(stage: MigrationStage): string {
  return stage.changes.map(describeChange).join(', ');
}

function describeEdges(changes: EdgeChange[]): string {
  return changes.map((c) => `${c.sourceName}→${c.targetName} ${c.from}→${c.to}`).join(', ');
}

/**
 * Staged mTLS migrations (issue #5, docs/decisions/006-mtls-migrations.md): plans and what-ifs
 * from the domain (planMigration, planToGoal, previewMigration — the graph's own functions), runs
 * as `mtls-migration` jobs that apply one stage per step through the resource write services (so
 * every mode rule holds) and wait the propagation delay between stages, each reported by a work
 * request whose log has one entry per stage.
 */
export function createMigrationService(deps: MigrationServiceDeps): MigrationService {
  const { db, clock, backend } = deps;
  const { stores, services, workRequests, jobs } = backend;
  const repo = deps.repository ?? createMigrationRepository(db);

  const liveMesh = (id: string): MeshRecord => {
    const mesh = stores.Mesh.get(id);
    if (!mesh || mesh.lifecycleState === 'DELETED') throw new NotFoundError(`mesh ${id} not found`);
    return mesh;
  };
  const snapshotOf = (mesh: MeshRecord): MeshSnapshot =>
    meshSnapshot(loadMeshRecords(stores, mesh));
  const mustGet = (id: string): MigrationRecord => {
    const record = repo.get(id);
    if (!record) throw new NotFoundError(`migration ${id} not found`);
    return record;
  };

  const parseTarget = (body: unknown): MigrationTargetInput => {
    const parsed = parseInput(MigrationRequestSchema, body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    return parsed.data.target;
  };

  /** A plan that failed becomes the error its rule gives on a single write. */
  const throwPlanFailure = (plan: Extract<MigrationPlan, { ok: false }>, path: string): never => {
    const finding = { code: plan.code, severity: 'error' as const, message: plan.reason, path };
    if (plan.code === 'MESH001') {
      throw new ConflictError(plan.reason, {
        fieldErrors: { [path]: [plan.reason] },
        findings: [finding],
      });
    }
    if (plan.code === 'REF001') throw new NotFoundError(plan.reason);
    throw new RuleViolationError([finding]);
  };

  const planFor = (target: MigrationTargetInput) => {
    let mesh: MeshRecord;
    let subject: MigrationRecord['subject'];
    if (target.kind === 'mesh') {
      mesh = liveMesh(target.meshId);
      subject = { kind: 'mesh', id: mesh.id, name: mesh.displayName };
    } else {
      const vs = stores.VirtualService.get(target.id);
      if (!vs || vs.lifecycleState === 'DELETED') {
        throw new NotFoundError(`virtual service ${target.id} not found`);
      }
      mesh = liveMesh(vs.meshId);
      subject = { kind: 'virtualService', id: vs.id, name: vs.name };
    }
    const snapshot = snapshotOf(mesh);
    const plan = planMigration(
      snapshot,
      target.kind === 'mesh'
        ? {
            kind: 'mesh',
            minimum: target.minimum,
            raiseBlockingServices: target.raiseBlockingServices ?? false,
          }
        : { kind: 'virtualService', id: target.id, mode: target.mode },
    );
    if (!plan.ok) throwPlanFailure(plan, target.kind === 'mesh' ? 'target.minimum' : 'target.mode');
    const stages = plan.ok ? plan.stages : [];
    return { mesh, subject, snapshot, stages };
  };

  const planView = (
    target: MigrationTargetInput,
    mesh: MeshRecord,
    subject: MigrationRecord['subject'],
    snapshot: MeshSnapshot,
    stages: MigrationStage[],
  ): MigrationPlanView => {
    const preview = previewMigration(snapshot, stages);
    return {
      target,
      meshId: mesh.id,
      meshName: mesh.displayName,
      subject,
      stages: preview.stages,
      after: preview.after,
      propagationDelaySeconds: PROPAGATION_DELAY_SECONDS,
      minimumDurationSeconds: Math.max(0, stages.length - 1) * PROPAGATION_DELAY_SECONDS,
    };
  };

  const logOf = (workRequestId: string): MigrationLogEntry[] => {
    const read = (kind: 'LOG' | 'ERROR'): MigrationLogEntry[] =>
      workRequests
        .entries(workRequestId, kind, { sortOrder: 'ASC', limit: 1000 })
        .items.map((e: WorkRequestEntry) => ({
          timestamp: e.timestamp,
          level: kind,
          message: e.message,
          ...(e.code ? { code: e.code } : {}),
        }));
    return [...read('LOG'), ...read('ERROR')].sort((a, b) =>
      a.timestamp.localeCompare(b.timestamp),
    );
  };

  const view = (m: MigrationRecord): MigrationView => {
    const live = !isFinished(m.status);
    const wr = workRequests.get(m.workRequestId);
    return {
      id: m.id,
      meshId: m.meshId,
      compartmentId: m.compartmentId,
      subject: m.subject,
      target: m.target,
      status: m.status,
      rollbackOf: m.rollbackOf,
      stageCount: m.stages.length,
      stagesDone: m.stagesDone,
      currentStage: live && m.stagesDone < m.stages.length ? m.stagesDone : null,
      percentComplete: wr?.percentComplete ?? 0,
      nextStepAt: m.nextStepAt,
      failure: m.failure,
      workRequestId: m.workRequestId,
      jobId: m.jobId,
      stages: m.stages.map((s, index) => ({
        ...s,
        index,
        state:
          index < m.stagesDone
            ? 'APPLIED'
            : !live
              ? 'SKIPPED'
              : index === m.stagesDone
                ? 'NEXT'
                : 'PLANNED',
        appliedAt: m.stageTimes[index] ?? null,
      })),
      log: logOf(m.workRequestId),
      timeCreated: m.createdAt,
      timeUpdated: m.updatedAt,
      timeFinished: m.finishedAt,
      now: clock.now().toISOString(),
    };
  };

  /** The modes the migration's resources have now, for the log ("stopped at …"). */
  const describeState = (m: MigrationRecord): string => {
    const mesh = stores.Mesh.get(m.meshId);
    if (!mesh) return 'the mesh is gone';
    const minimum = mesh.mtls.minimum;
    const ids = new Set<string>(m.startState.services.map((s) => s.id));
    if (m.subject.kind === 'virtualService') ids.add(m.subject.id);
    const parts = [`mesh ${mesh.displayName} minimum ${minimum}`];
    for (const id of ids) {
      const vs = stores.VirtualService.get(id);
      if (!vs) continue;
      parts.push(
        `${vs.name} ${effectiveMode(vs.declaredMode, minimum)}${
          vs.declaredMode === null ? ' (inherited)' : ''
        }`,
      );
    }
    return parts.join(', ');
  };

  const setAction = (wr: WorkRequest, subjectAction: ActionType) =>
    wr.resources.map((r, i) => (i === 0 ? { ...r, actionType: subjectAction } : r));

  const finishCanceled = (m: MigrationRecord, nowIso: string): MigrationRecord => {
    const next = repo.update(
      m.id,
      { status: 'CANCELED', nextStepAt: null, finishedAt: nowIso },
      nowIso,
    );
    const wr = workRequests.get(m.workRequestId);
    if (wr) {
      workRequests.log(
        wr.id,
        `canceled after stage ${m.stagesDone} of ${m.stages.length}; stays at: ${describeState(m)}`,
        nowIso,
      );
      workRequests.update(wr.id, {
        status: 'CANCELED',
        timeFinished: nowIso,
        resources: setAction(wr, m.stagesDone > 0 ? 'UPDATED' : 'RELATED'),
      });
    }
    return next;
  };

  const finishFailed = (m: MigrationRecord, message: string, nowIso: string): void => {
    repo.update(
      m.id,
      { status: 'FAILED', failure: message, nextStepAt: null, finishedAt: nowIso },
      nowIso,
    );
    const wr = workRequests.get(m.workRequestId);
    if (!wr) return;
    workRequests.error(wr.id, 'MigrationStageFailed', message, nowIso);
    workRequests.log(
      wr.id,
      `stopped after stage ${m.stagesDone} of ${m.stages.length} at a valid mode: ${describeState(m)}`,
      nowIso,
    );
    workRequests.update(wr.id, {
      status: 'FAILED',
      timeFinished: nowIso,
      ...(wr.timeStarted ? {} : { timeStarted: nowIso }),
      resources: setAction(wr, 'FAILED'),
    });
  };

  /** Stores a new migration, its work request and its job (inside the caller's transaction). */
  const create = (input: {
    mesh: MeshRecord;
    subject: MigrationRecord['subject'];
    target: MigrationTargetInput;
    stages: StagePreview[];
    startState: MigrationGoal;
    rollbackOf: string | null;
  }): MigrationRecord => {
    const { mesh, subject } = input;
    const live = repo.liveForMesh(mesh.id);
    if (live) {
      throw new ConflictError(
        `mesh ${mesh.displayName} already has a running migration (${live.id}): cancel it or wait for it to finish`,
        { migrationId: live.id },
      );
    }
    if (input.stages.length === 0) {
      throw new ConflictError(
        `nothing to migrate: ${subject.kind === 'mesh' ? 'mesh' : 'virtual service'} ${
          subject.name
        } is already there`,
      );
    }
    const nowIso = clock.now().toISOString();
    const id = newOcid('meshmigration');
    const related = new Map<string, { kind: string; path: string }>();
    for (const s of input.stages) {
      for (const c of s.stage.changes) {
        if (c.id === subject.id) continue;
        related.set(
          c.id,
          c.kind === 'mesh'
            ? { kind: 'Mesh', path: 'meshes' }
            : { kind: 'VirtualService', path: 'virtualServices' },
        );
      }
    }
    const subjectPath = subject.kind === 'mesh' ? 'meshes' : 'virtualServices';
    const workRequest: WorkRequest = {
      id: newOcid('meshworkrequest'),
      operationType: subject.kind === 'mesh' ? 'UPDATE_MESH' : 'UPDATE_VIRTUAL_SERVICE',
      status: 'ACCEPTED',
      compartmentId: mesh.compartmentId,
      resources: [
        {
          entityType: subject.kind === 'mesh' ? 'Mesh' : 'VirtualService',
          actionType: 'IN_PROGRESS',
          identifier: subject.id,
          entityUri: `/20220615/${subjectPath}/${subject.id}`,
        },
        ...[...related].map(([identifier, r]) => ({
          entityType: r.kind,
          actionType: 'RELATED' as const,
          identifier,
          entityUri: `/20220615/${r.path}/${identifier}`,
        })),
      ],
      percentComplete: 0,
      timeAccepted: nowIso,
    };
    workRequests.insert(workRequest);
    const job = jobs.enqueue<MigrationJobPayload>(
      MTLS_MIGRATION_JOB,
      { migrationId: id },
      { subjectId: id, dedupeKey: `mtls-migration:${id}` },
    );
    const record: MigrationRecord = {
      id,
      meshId: mesh.id,
      compartmentId: mesh.compartmentId,
      subject,
      target: input.target,
      stages: input.stages,
      startState: input.startState,
      status: 'ACCEPTED',
      stagesDone: 0,
      stageTimes: [],
      waits: 0,
      nextStepAt: nowIso,
      failure: null,
      rollbackOf: input.rollbackOf,
      workRequestId: workRequest.id,
      jobId: job.id,
      createdAt: nowIso,
      updatedAt: nowIso,
      finishedAt: null,
    };
    repo.insert(record);
    const what = input.rollbackOf ? `rollback of ${input.rollbackOf}` : 'migration';
    workRequests.log(
      workRequest.id,
      `${what} accepted: ${input.stages.length} stage${input.stages.length === 1 ? '' : 's'}, ${PROPAGATION_DELAY_SECONDS} s apart`,
      nowIso,
    );
    input.stages.forEach((s, i) => {
      workRequests.log(
        workRequest.id,
        `plan: stage ${i + 1}: ${describeStage(s.stage)}${
          s.newlyRefused.length > 0
            ? `; outside callers refused: ${s.newlyRefused.map((c) => c.targetName).join(', ')}`
            : ''
        }`,
        nowIso,
      );
    });
    return record;
  };

  /** Cancels a running migration inside the caller's transaction; false while it takes a step. */
  const cancelLive = (m: MigrationRecord, nowIso: string): MigrationRecord => {
    const job = jobs.get(m.jobId);
    if (job?.status === 'RUNNING') {
      jobs.cancel(job.id);
      const next = repo.update(m.id, { status: 'CANCELING' }, nowIso);
      workRequests.update(m.workRequestId, { status: 'CANCELING' });
      workRequests.log(m.workRequestId, 'cancel requested: stops before the next stage', nowIso);
      return next;
    }
    if (job?.status === 'PENDING') jobs.cancel(job.id);
    return finishCanceled(m, nowIso);
  };

  /** Applies one stage's changes, in order, through the write services (every rule holds). */
  const applyStage = (m: MigrationRecord, stage: MigrationStage): void => {
    for (const c of stage.changes) {
      if (c.kind === 'mesh') {
        const mesh = stores.Mesh.get(c.id);
        if (!mesh || mesh.lifecycleState === 'DELETED') {
          throw new ConflictError(`mesh ${c.name} was deleted`);
        }
        if (mesh.mtls.minimum !== c.from) {
          throw new ConflictError(
            `mesh ${c.name} minimum is ${mesh.mtls.minimum}, the plan expected ${c.from}: it was changed outside this migration`,
          );
        }
        services.Mesh.update(c.id, { mtls: { minimum: c.to } });
      } else {
        const vs = stores.VirtualService.get(c.id);
        if (!vs || vs.lifecycleState === 'DELETED' || vs.meshId !== m.meshId) {
          throw new ConflictError(`virtual service ${c.name} was deleted`);
        }
        if (vs.declaredMode !== c.from) {
          throw new ConflictError(
            `${c.name} declares ${modeText(vs.declaredMode)}, the plan expected ${modeText(
              c.from,
            )}: it was changed outside this migration`,
          );
        }
        services.VirtualService.update(c.id, { mtls: c.to === null ? null : { mode: c.to } });
      }
    }
  };

  /** Seconds after which a refused stage may pass (a timer, a write under way); else undefined. */
  const waitFor = (error: unknown): number | undefined => {
    if (error instanceof RuleViolationError && error.retryAfterSeconds !== undefined) {
      return error.retryAfterSeconds;
    }
    if (error instanceof IncorrectStateError) return error.retryAfterSeconds ?? 1;
    return undefined;
  };

  const step = (ctx: JobContext<MigrationJobPayload>): JobResult => {
    const found = repo.get(ctx.payload.migrationId);
    if (!found || isFinished(found.status)) return { note: 'already finished' };
    let m = found;
    const now = ctx.now();
    const nowIso = now.toISOString();
    if (m.status === 'CANCELING' || ctx.cancelRequested()) {
      finishCanceled(m, nowIso);
      return { note: 'canceled' };
    }
    const total = m.stages.length;
    if (m.status === 'ACCEPTED') {
      m = repo.update(m.id, { status: 'IN_PROGRESS' }, nowIso);
      workRequests.update(m.workRequestId, { status: 'IN_PROGRESS', timeStarted: nowIso });
      workRequests.log(m.workRequestId, 'started', nowIso);
    }
    const preview = m.stages[m.stagesDone];
    const number = m.stagesDone + 1;
    if (preview) {
      try {
        inTransaction(db, () => applyStage(m, preview.stage));
      } catch (error) {
        const wait = waitFor(error);
        const message = error instanceof Error ? error.message : String(error);
        if (wait !== undefined && m.waits < MAX_STAGE_WAITS) {
          const runAt = new Date(now.getTime() + wait * 1000).toISOString();
          repo.update(m.id, { waits: m.waits + 1, nextStepAt: runAt }, nowIso);
          workRequests.log(
            m.workRequestId,
            `stage ${number} of ${total} waits ${wait} s: ${message}`,
            nowIso,
          );
          return { reschedule: { runAt }, note: `stage ${number} waits ${wait} s` };
        }
        if (error instanceof AppError) {
          throw new PermanentJobError(`stage ${number} of ${total} was refused: ${message}`);
        }
        throw error;
      }
      m = repo.update(
        m.id,
        { stagesDone: number, stageTimes: [...m.stageTimes, nowIso], waits: 0 },
        nowIso,
      );
      workRequests.log(
        m.workRequestId,
        `stage ${number} of ${total} applied: ${describeStage(preview.stage)}${
          preview.edgeChanges.length > 0 ? `; edges: ${describeEdges(preview.edgeChanges)}` : ''
        }`,
        nowIso,
      );
      workRequests.update(m.workRequestId, {
        percentComplete: Math.round((number * 100) / total),
      });
    }
    if (m.stagesDone >= total) {
      repo.update(m.id, { status: 'SUCCEEDED', nextStepAt: null, finishedAt: nowIso }, nowIso);
      const wr = workRequests.get(m.workRequestId);
      workRequests.log(m.workRequestId, `succeeded: ${describeState(m)}`, nowIso);
      if (wr) {
        workRequests.update(wr.id, {
          status: 'SUCCEEDED',
          percentComplete: 100,
          timeFinished: nowIso,
          resources: setAction(wr, 'UPDATED'),
        });
      }
      return { note: `stage ${number} of ${total}: succeeded` };
    }
    if (ctx.cancelRequested()) {
      finishCanceled(m, nowIso);
      return { note: 'canceled' };
    }
    const runAt = new Date(now.getTime() + PROPAGATION_DELAY_SECONDS * 1000).toISOString();
    repo.update(m.id, { nextStepAt: runAt }, nowIso);
    workRequests.log(
      m.workRequestId,
      `waiting ${PROPAGATION_DELAY_SECONDS} s for the change to propagate; stage ${number + 1} at ${runAt}`,
      nowIso,
    );
    return { reschedule: { runAt }, note: `stage ${number} of ${total} applied` };
  };

  return {
    plan(body) {
      const target = parseTarget(body);
      const { mesh, subject, snapshot, stages } = planFor(target);
      return planView(target, mesh, subject, snapshot, stages);
    },

    start(body) {
      const target = parseTarget(body);
      const record = inTransaction(db, () => {
        const { mesh, subject, snapshot, stages } = planFor(target);
        const preview = previewMigration(snapshot, stages);
        return create({
          mesh,
          subject,
          target,
          stages: preview.stages,
          startState: migrationStartState(snapshot, stages),
          rollbackOf: null,
        });
      });
      deps.wake?.();
      return view(record);
    },

    get: (id) => view(mustGet(id)),

    list: (query) => repo.list(query).map(view),

    liveForMesh(meshId) {
      const live = repo.liveForMesh(meshId);
      return live ? view(live) : undefined;
    },

    cancel(id) {
      const record = inTransaction(db, () => {
        const m = mustGet(id);
        if (m.status === 'CANCELING') return m;
        if (isFinished(m.status)) {
          throw new ConflictError(`migration ${id} is ${m.status} and cannot be canceled`);
        }
        return cancelLive(m, clock.now().toISOString());
      });
      return view(record);
    },

    rollback(id) {
      const record = inTransaction(db, () => {
        const nowIso = clock.now().toISOString();
        let m = mustGet(id);
        if (!isFinished(m.status)) {
          if (m.status === 'CANCELING' || jobs.get(m.jobId)?.status === 'RUNNING') {
            throw new IncorrectStateError(
              `migration ${id} is taking a step; retry in a moment`,
              undefined,
              1,
            );
          }
          m = cancelLive(m, nowIso);
        }
        const mesh = liveMesh(m.meshId);
        const snapshot = snapshotOf(mesh);
        const goal: MigrationGoal =
          m.subject.kind === 'mesh'
            ? m.startState
            : { minimum: snapshot.mesh.mtls.minimum, services: m.startState.services };
        const plan = planToGoal(snapshot, goal);
        if (!plan.ok) throwPlanFailure(plan, 'target');
        const stages = plan.ok ? plan.stages : [];
        const target: MigrationTargetInput =
          m.subject.kind === 'mesh'
            ? { kind: 'mesh', meshId: mesh.id, minimum: goal.minimum }
            : {
                kind: 'virtualService',
                id: m.subject.id,
                mode: goal.services.find((s) => s.id === m.subject.id)?.mode ?? null,
              };
        const preview = previewMigration(snapshot, stages);
        if (stages.length === 0) {
          throw new ConflictError(
            `nothing to roll back: ${m.subject.name} is already where migration ${id} started`,
          );
        }
        return create({
          mesh,
          subject: m.subject,
          target,
          stages: preview.stages,
          startState: migrationStartState(snapshot, stages),
          rollbackOf: m.id,
        });
      });
      deps.wake?.();
      return view(record);
    },

    registerJob(runner) {
      runner.register<MigrationJobPayload>(
        MTLS_MIGRATION_JOB,
        async (ctx) => ctx.transaction(() => step(ctx)),
        {
          maxAttempts: 5,
          backoff: { baseMs: 1_000, maxMs: 30_000 },
          onFailure(job, failure) {
            const payload = job.payload as MigrationJobPayload;
            const m = repo.get(payload.migrationId);
            if (m && !isFinished(m.status)) {
              finishFailed(m, failure.message, clock.now().toISOString());
            }
          },
        },
      );
    },
  };
}
