import type { Backend } from '../backend.ts';
import type { CertificateRepository } from '../certificates/certificates.repository.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { JobContext, JobResult, JobRunner } from '../jobs/job-runner.ts';
import type { Logger } from '../logger.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import type { LifecycleScheduler, WriteOperation } from '../resources/resource-service.ts';
import { RESOURCE_KINDS, type BaseRecord, type ResourceKind } from '../resources/resource-store.ts';
import type { VirtualServiceRecord } from '../virtual-services/virtual-service.kind.ts';
import {
  TERMINAL_STATUSES,
  type ActionType,
  type WorkRequest,
} from './work-requests.repository.ts';

export const RESOURCE_LIFECYCLE_JOB = 'resource-lifecycle';
export const RESOURCE_PURGE_JOB = 'resource-purge';

/** Time between a work request's steps (ACCEPTED → IN_PROGRESS → done). */
export const DEFAULT_LIFECYCLE_STEP_MS = 250;
/** How long a DELETED resource stays readable (the SDK's DELETED waiter needs it, spec §8.7). */
export const DEFAULT_DELETED_RETENTION_MS = 60 * 60 * 1000;
/** How long a create waits for its certificate before it is FAILED. */
export const DEFAULT_GATE_TIMEOUT_MS = 10 * 60 * 1000;

export interface ResourceLifecycleConfig {
  stepMs?: number;
  deletedRetentionMs?: number;
  gateTimeoutMs?: number;
}

export interface LifecycleJobPayload {
  kind: ResourceKind;
  operation: WriteOperation;
  resourceId: string;
  workRequestId: string;
  step: 'start' | 'finish';
  /** When the finish step first had to wait for a gate. */
  waitingSince?: string;
}

/** Whether a write may complete now, must wait for something (a certificate), or has failed. */
export type GateVerdict = { ready: true } | { wait: string } | { failed: string; code?: string };

/** A condition a write waits for before its resource is ACTIVE (certificates first, DESIGN). */
export type LifecycleGate = (input: {
  kind: ResourceKind;
  operation: WriteOperation;
  record: BaseRecord;
}) => GateVerdict;

const READY: GateVerdict = { ready: true };

/** The scheduler the write services call, in the write's transaction. */
export function createLifecycleScheduler(jobs: JobQueue): LifecycleScheduler {
  return {
    schedule(job) {
      jobs.enqueue<LifecycleJobPayload>(
        RESOURCE_LIFECYCLE_JOB,
        { ...job, step: 'start' },
        { subjectId: job.resourceId, dedupeKey: `work-request:${job.workRequestId}` },
      );
    },
  };
}

/**
 * New meshes wait for their certificate authority, new virtual services and ingress gateways for
 * their leaf certificate (issued by the certificate jobs, issue #4); a failed issue fails the
 * create with the certificate's reason. Resources without certificate rows pass.
 */
export function certificateGate(certificates: CertificateRepository): LifecycleGate {
  return ({ kind, operation, record }) => {
    if (operation !== 'CREATE') return READY;
    if (kind === 'Mesh') {
      const caId = (record as MeshRecord).certificateAuthorities[0]?.id;
      const ca = caId ? certificates.getAuthority(caId) : undefined;
      return ca?.status === 'PENDING'
        ? { wait: `waiting for certificate authority ${caId} to be created` }
        : READY;
    }
    const certificateId =
      kind === 'VirtualService'
        ? (record as VirtualServiceRecord).certificateId
        : kind === 'IngressGateway'
          ? (record as IngressGatewayRecord).mtls?.certificateId
          : undefined;
    const certificate = certificateId ? certificates.get(certificateId) : undefined;
    if (certificate?.status === 'PENDING') {
      return { wait: `waiting for certificate ${certificateId} to be issued` };
    }
    if (certificate?.status === 'FAILED') {
      return {
        failed: `certificate ${certificateId} could not be issued: ${certificate.failureMessage ?? 'unknown reason'}`,
        code: certificate.failureCode ?? 'CertificateIssueFailed',
      };
    }
    return READY;
  };
}

const VERBS: Record<WriteOperation, string> = {
  CREATE: 'create',
  UPDATE: 'update',
  DELETE: 'delete',
  MOVE: 'move',
};
const DONE_ACTIONS: Record<WriteOperation, ActionType> = {
  CREATE: 'CREATED',
  UPDATE: 'UPDATED',
  DELETE: 'DELETED',
  MOVE: 'UPDATED',
};

export interface ResourceLifecycleDeps {
  /** The database of `backend` (the purge job is enqueued in a transaction of its own). */
  db: Db;
  backend: Backend;
  clock: Clock;
  logger: Logger;
  config?: ResourceLifecycleConfig;
  /** Default: the certificate gate. */
  gates?: LifecycleGate[];
}

/**
 * Registers the jobs that complete OCI writes (docs/decisions/004-oci-lifecycle.md) and enqueues
 * the purge sweep. `resource-lifecycle` moves a work request ACCEPTED → IN_PROGRESS (→ WAITING
 * while a gate waits) → SUCCEEDED and its resource CREATING/UPDATING → ACTIVE or DELETING →
 * DELETED; a failed gate or exhausted retries end both FAILED, with the reason in
 * `lifecycleDetails` and in the work request's errors. A CANCELING create ends CANCELED with the
 * resource DELETED. `resource-purge` removes DELETED resources once the retention has passed.
 */
export function registerResourceLifecycle(runner: JobRunner, deps: ResourceLifecycleDeps): void {
  const { backend } = deps;
  const { workRequests, services } = backend;
  const stepMs = deps.config?.stepMs ?? DEFAULT_LIFECYCLE_STEP_MS;
  const retentionMs = deps.config?.deletedRetentionMs ?? DEFAULT_DELETED_RETENTION_MS;
  const gateTimeoutMs = deps.config?.gateTimeoutMs ?? DEFAULT_GATE_TIMEOUT_MS;
  const gates = deps.gates ?? [certificateGate(backend.certificates)];

  const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
  const describe = (p: LifecycleJobPayload, record: BaseRecord): string => {
    const def = services[p.kind].definition;
    const name = (record as unknown as Record<string, unknown>)[def.store.nameField];
    return `${def.label} ${String(name)}`;
  };
  const withAction = (wr: WorkRequest, actionType: ActionType) =>
    wr.resources.map((r) =>
      r.identifier === wr.resources[0]?.identifier ? { ...r, actionType } : r,
    );

  /** Ends the write FAILED: the resource shows why in lifecycleDetails, the work request in errors. */
  const failWrite = (p: LifecycleJobPayload, message: string, code: string, nowIso: string) => {
    const wr = workRequests.get(p.workRequestId);
    if (!wr || TERMINAL_STATUSES.includes(wr.status)) return;
    if (services[p.kind].find(p.resourceId))
      services[p.kind].settle(p.resourceId, 'FAILED', message);
    workRequests.error(wr.id, code, message, nowIso);
    workRequests.update(wr.id, {
      status: 'FAILED',
      timeFinished: nowIso,
      resources: withAction(wr, 'FAILED'),
    });
  };

  // Group commit (decision 009): the steps of one claimed batch commit in one transaction.
  const step = (ctx: JobContext<LifecycleJobPayload>): Promise<JobResult> =>
    ctx.groupTransaction((): JobResult => {
      const p = ctx.payload;
      const now = ctx.now();
      const nowIso = now.toISOString();
      const wr = workRequests.get(p.workRequestId);
      const record = services[p.kind].find(p.resourceId);
      if (!wr || TERMINAL_STATUSES.includes(wr.status)) return { note: 'already finished' };
      if (!record) {
        failWrite(p, 'the resource is gone', 'InternalError', nowIso);
        return undefined;
      }
      const what = describe(p, record);

      if (wr.status === 'CANCELING') {
        // Only creates are cancellable (work-requests.routes.ts): nothing else depends on them yet.
        services[p.kind].settle(p.resourceId, 'DELETED', 'the create was canceled');
        workRequests.log(wr.id, `canceled the ${VERBS[p.operation]} of ${what}`, nowIso);
        workRequests.update(wr.id, {
          status: 'CANCELED',
          timeFinished: nowIso,
          resources: withAction(wr, 'DELETED'),
        });
        return { note: 'canceled' };
      }

      if (p.step === 'start') {
        workRequests.update(wr.id, {
          status: 'IN_PROGRESS',
          timeStarted: nowIso,
          percentComplete: 50,
        });
        workRequests.log(wr.id, `started to ${VERBS[p.operation]} ${what}`, nowIso);
        return { reschedule: { runAt: later(now, stepMs), payload: { ...p, step: 'finish' } } };
      }

      for (const gate of gates) {
        const verdict = gate({ kind: p.kind, operation: p.operation, record });
        if ('failed' in verdict) {
          failWrite(p, verdict.failed, verdict.code ?? 'OperationFailed', nowIso);
          return { note: verdict.failed };
        }
        if ('wait' in verdict) {
          const since = p.waitingSince ?? nowIso;
          if (now.getTime() - Date.parse(since) >= gateTimeoutMs) {
            failWrite(p, `timed out ${verdict.wait}`, 'Timeout', nowIso);
            return { note: 'timed out' };
          }
          if (wr.status !== 'WAITING') {
            workRequests.update(wr.id, { status: 'WAITING' });
            workRequests.log(wr.id, verdict.wait, nowIso);
          }
          return {
            reschedule: { runAt: later(now, stepMs), payload: { ...p, waitingSince: since } },
          };
        }
      }

      services[p.kind].settle(p.resourceId, p.operation === 'DELETE' ? 'DELETED' : 'ACTIVE');
      workRequests.log(wr.id, `${VERBS[p.operation]} of ${what} succeeded`, nowIso);
      workRequests.update(wr.id, {
        status: 'SUCCEEDED',
        percentComplete: 100,
        ...(wr.timeStarted ? {} : { timeStarted: nowIso }),
        timeFinished: nowIso,
        resources: withAction(wr, DONE_ACTIONS[p.operation]),
      });
      return undefined;
    });

  runner.register<LifecycleJobPayload>(RESOURCE_LIFECYCLE_JOB, (ctx) => step(ctx), {
    groupCommit: true,
    maxAttempts: 5,
    backoff: { baseMs: 1_000, maxMs: 30_000 },
    onFailure: (job, failure) => {
      const p = job.payload as LifecycleJobPayload;
      failWrite(p, failure.message, 'InternalError', deps.clock.now().toISOString());
    },
  });

  // Children before parents, so a purged parent never leaves rows pointing at it.
  const purgeOrder = [...RESOURCE_KINDS].reverse();
  const sweepMs = Math.min(5 * 60_000, Math.max(1_000, Math.floor(retentionMs / 4)));
  runner.register(RESOURCE_PURGE_JOB, async (ctx) => {
    const purged = ctx.transaction(() => {
      const cutoff = new Date(ctx.now().getTime() - retentionMs).toISOString();
      let count = 0;
      for (const kind of purgeOrder) count += backend.stores[kind].purgeDeleted(cutoff);
      return count;
    });
    return {
      note: `purged ${purged} deleted resources`,
      reschedule: { runAt: later(ctx.now(), sweepMs) },
    };
  });
  // In a write transaction, so that it waits for the writer lock: replicas starting together on
  // PostgreSQL would otherwise both find no live purge job, both insert one, and the later insert
  // would fail on the live dedupe index (23505) and stop that replica's start.
  inTransaction(deps.db, () =>
    backend.jobs.enqueue(
      RESOURCE_PURGE_JOB,
      {},
      { dedupeKey: RESOURCE_PURGE_JOB, runAt: later(deps.clock.now(), sweepMs) },
    ),
  );
}
