import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { prepare, type Db } from '../db/open-db.ts';
import { ConflictError, NotFoundError } from '../errors.ts';

export type JobStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export type JobRunOutcome =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'RESCHEDULED'
  | 'RETRY'
  | 'FAILED'
  | 'CANCELED'
  | 'ABANDONED'
  | 'LEASE_LOST';

/** One job row (docs/decisions/003-jobs.md). The lease token stays inside the runner. */
export interface Job<P = unknown> {
  id: string;
  type: string;
  payload: P;
  subjectId: string | null;
  dedupeKey: string | null;
  status: JobStatus;
  runAt: string;
  /** Claims since the last success or reschedule; a claim that crashed counts too. */
  attempts: number;
  /** null: the handler's default. */
  maxAttempts: number | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  cancelRequested: boolean;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One claim of a job and how it ended. */
export interface JobRun {
  id: number;
  jobId: string;
  jobType: string;
  subjectId: string | null;
  attempt: number;
  runner: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: JobRunOutcome;
  error: string | null;
  note: string | null;
}

export interface EnqueueOptions {
  /** When the job becomes due (default: now). */
  runAt?: Date | string;
  subjectId?: string;
  /** A live (PENDING or RUNNING) job with this key is returned instead of a new one. */
  dedupeKey?: string;
  /** With a live duplicate: `keep` it as it is, or move a PENDING one's run_at to `runAt`. */
  onDuplicate?: 'keep' | 'runAt';
  maxAttempts?: number;
}

export interface JobListQuery {
  type?: string;
  status?: JobStatus;
  subjectId?: string;
  limit?: number;
}

/** Enqueue and read jobs. Every method is synchronous and joins the caller's transaction. */
export interface JobQueue {
  enqueue<P>(type: string, payload: P, options?: EnqueueOptions): Job<P>;
  get(id: string): Job | undefined;
  list(query?: JobListQuery): Job[];
  /** Runs of one job, newest first. */
  runs(jobId: string, limit?: number): JobRun[];
  /** Runs of every job about one subject, newest first. */
  runsForSubject(subjectId: string, limit?: number): JobRun[];
  /** PENDING → CANCELED at once; RUNNING → cancel requested (the handler sees it). */
  cancel(id: string): Job;
  /** FAILED or CANCELED → PENDING, due now, attempts 0. */
  retry(id: string): Job;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

type Row = Record<string, unknown>;

export function jobFromRow(row: Row): Job {
  return {
    id: row.id as string,
    type: row.type as string,
    payload: JSON.parse(row.payload as string) as unknown,
    subjectId: (row.subject_id as string | null) ?? null,
    dedupeKey: (row.dedupe_key as string | null) ?? null,
    status: row.status as JobStatus,
    runAt: row.run_at as string,
    attempts: row.attempts as number,
    maxAttempts: (row.max_attempts as number | null) ?? null,
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseUntil: (row.lease_until as string | null) ?? null,
    cancelRequested: row.cancel_requested === 1,
    lastError: (row.last_error as string | null) ?? null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    finishedAt: (row.finished_at as string | null) ?? null,
  };
}

function runFromRow(row: Row): JobRun {
  return {
    id: row.id as number,
    jobId: row.job_id as string,
    jobType: row.job_type as string,
    subjectId: (row.subject_id as string | null) ?? null,
    attempt: row.attempt as number,
    runner: row.runner as string,
    startedAt: row.started_at as string,
    finishedAt: (row.finished_at as string | null) ?? null,
    outcome: row.outcome as JobRunOutcome,
    error: (row.error as string | null) ?? null,
    note: (row.note as string | null) ?? null,
  };
}

const iso = (at: Date | string): string => new Date(at).toISOString();

export function createJobQueue(db: Db, clock: Clock): JobQueue {
  const getRow = (id: string) =>
    prepare(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
  const mustGet = (id: string): Job => {
    const row = getRow(id);
    if (!row) throw new NotFoundError(`job ${id} not found`);
    return jobFromRow(row);
  };

  return {
    enqueue<P>(type: string, payload: P, options: EnqueueOptions = {}): Job<P> {
      const now = clock.now().toISOString();
      const runAt = options.runAt !== undefined ? iso(options.runAt) : now;
      if (options.dedupeKey !== undefined) {
        const live = prepare(
          db,
          "SELECT * FROM jobs WHERE dedupe_key = ? AND status IN ('PENDING','RUNNING')",
        ).get(options.dedupeKey) as Row | undefined;
        if (live) {
          if (options.onDuplicate === 'runAt' && live.status === 'PENDING') {
            prepare(db, 'UPDATE jobs SET run_at = ?, updated_at = ? WHERE id = ?').run(
              runAt,
              now,
              live.id,
            );
            return mustGet(live.id as string) as Job<P>;
          }
          return jobFromRow(live) as Job<P>;
        }
      }
      const id = `job-${randomUUID()}`;
      prepare(
        db,
        `INSERT INTO jobs (id, type, payload, subject_id, dedupe_key, status, run_at, attempts,
           max_attempts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'PENDING', ?, 0, ?, ?, ?)`,
      ).run(
        id,
        type,
        JSON.stringify(payload ?? {}),
        options.subjectId ?? null,
        options.dedupeKey ?? null,
        runAt,
        options.maxAttempts ?? null,
        now,
        now,
      );
      return mustGet(id) as Job<P>;
    },

    get: (id) => {
      const row = getRow(id);
      return row ? jobFromRow(row) : undefined;
    },

    list(query = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.type !== undefined) {
        where.push('type = ?');
        params.push(query.type);
      }
      if (query.status !== undefined) {
        where.push('status = ?');
        params.push(query.status);
      }
      if (query.subjectId !== undefined) {
        where.push('subject_id = ?');
        params.push(query.subjectId);
      }
      const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`;
      const rows = prepare(db, sql).all(...params, query.limit ?? 100) as Row[];
      return rows.map(jobFromRow);
    },

    runs(jobId, limit = 50) {
      const rows = prepare(
        db,
        'SELECT * FROM job_runs WHERE job_id = ? ORDER BY id DESC LIMIT ?',
      ).all(jobId, limit) as Row[];
      return rows.map(runFromRow);
    },

    runsForSubject(subjectId, limit = 50) {
      const rows = prepare(
        db,
        'SELECT * FROM job_runs WHERE subject_id = ? ORDER BY id DESC LIMIT ?',
      ).all(subjectId, limit) as Row[];
      return rows.map(runFromRow);
    },

    cancel(id) {
      const job = mustGet(id);
      const now = clock.now().toISOString();
      if (job.status === 'PENDING') {
        prepare(
          db,
          "UPDATE jobs SET status = 'CANCELED', updated_at = ?, finished_at = ? WHERE id = ?",
        ).run(now, now, id);
      } else if (job.status === 'RUNNING') {
        prepare(db, 'UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(
          now,
          id,
        );
      } else {
        throw new ConflictError(`job ${id} is ${job.status} and cannot be canceled`);
      }
      return mustGet(id);
    },

    retry(id) {
      const job = mustGet(id);
      if (job.status !== 'FAILED' && job.status !== 'CANCELED') {
        throw new ConflictError(`job ${id} is ${job.status}; only FAILED or CANCELED jobs retry`);
      }
      if (job.dedupeKey !== null) {
        const live = prepare(
          db,
          "SELECT id FROM jobs WHERE dedupe_key = ? AND status IN ('PENDING','RUNNING')",
        ).get(job.dedupeKey) as Row | undefined;
        if (live) throw new ConflictError(`job ${live.id as string} already does this work`);
      }
      const now = clock.now().toISOString();
      prepare(
        db,
        `UPDATE jobs SET status = 'PENDING', run_at = ?, attempts = 0, cancel_requested = 0,
           finished_at = NULL, updated_at = ? WHERE id = ?`,
      ).run(now, now, id);
      return mustGet(id);
    },
  };
}
