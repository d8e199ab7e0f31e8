import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import { inTransaction, prepare, storeUnavailableCode, type Db } from '../db/open-db.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_MAX_ATTEMPTS, jobFromRow, type Job, type JobRunOutcome } from './job-queue.ts';

/** A failure a retry cannot fix (version cap, expired CA): the job is FAILED at once. */
export class PermanentJobError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** The job was claimed by someone else after this run's lease expired; nothing was committed. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lost the lease on job ${jobId}`);
    this.name = 'LeaseLostError';
  }
}

export interface JobContext<P> {
  job: Job<P>;
  payload: P;
  /** 1 for the first claim since the last success or reschedule. */
  attempt: number;
  now(): Date;
  /** Runs `fn` in a write transaction that commits only while this run still holds the job. */
  transaction<T>(fn: () => T): T;
  /**
   * As `transaction`, but for a handler registered with `groupCommit`: `fn` runs (in a savepoint)
   * in one transaction with the other runs of the batch waiting to commit, so the batch pays one
   * commit (one fsync) instead of one each; resolves once that transaction has committed, rejects
   * when `fn` throws (its savepoint alone is rolled back) or the commit fails. Without
   * `groupCommit` it commits at once, as `transaction` does.
   */
  groupTransaction<T>(fn: () => T): Promise<T>;
  /** Extends the lease by another lease period. */
  heartbeat(): void;
  cancelRequested(): boolean;
}

/** What a handler returns: nothing (done), a note for the run, or the next step of the job. */
export type JobResult = void | {
  note?: string;
  reschedule?: { runAt: Date | string; payload?: unknown };
};

export type JobHandler<P> = (ctx: JobContext<P>) => Promise<JobResult>;

export interface JobFailure {
  message: string;
  code?: string;
}

export interface HandlerOptions {
  maxAttempts?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  /** Called in the same transaction that marks the job FAILED (retries exhausted or permanent). */
  onFailure?(job: Job, failure: JobFailure, info: { permanent: boolean }): void;
  /**
   * Group commit (docs/decisions/009-certificate-issuance.md): a batch's runs of this type all
   * start together, and their `groupTransaction` writes and then their settlements are each
   * committed in one transaction for the whole batch. For handlers that mostly wait (on worker
   * threads) and then write a little.
   */
  groupCommit?: boolean;
}

export interface RunDueSummary {
  claimed: number;
  succeeded: number;
  rescheduled: number;
  retried: number;
  failed: number;
  canceled: number;
  leaseLost: number;
}

export interface JobRunner {
  readonly owner: string;
  register<P>(type: string, handler: JobHandler<P>, options?: HandlerOptions): void;
  /** Claims and runs every job due now, batch after batch, and says what happened. */
  runDue(): Promise<RunDueSummary>;
  /** Polls every `pollMs`; polls never overlap. */
  start(pollMs?: number): void;
  /** Stops polling and waits for the runs in flight. */
  stop(): Promise<void>;
  /** Polls soon (after a request enqueued due work). */
  wake(): void;
}

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** This runner's name in leases and runs; unique per process. */
  owner?: string;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** How long to pause when the store cannot be written (default STORE_PAUSE_MS). */
  storePauseMs?: number;
  /**
   * Group commit: the longest a write waits for the batch's other runs before it is committed
   * without them (default GROUP_COMMIT_WAIT_MS).
   */
  groupCommitWaitMs?: number;
}

interface Registration {
  handler: JobHandler<unknown>;
  options: HandlerOptions;
}

type Row = Record<string, unknown>;

const MAX_ERROR_LENGTH = 1000;

/**
 * How long the runner pauses when the store cannot be written (disk full, I/O error, locked): the
 * jobs wait, keep their attempts, and carry on by themselves once the store works again.
 */
export const STORE_PAUSE_MS = 2_000;

/** Group commit: how long a queued write waits at most for the batch's other runs. */
export const GROUP_COMMIT_WAIT_MS = 50;

/**
 * One batch's group commit: writes queue up while runs are in flight and are committed together,
 * each in its own savepoint, as soon as every run in flight is waiting on one (or after `waitMs`).
 */
interface CommitGroup {
  /** A run starts / ends. */
  enter(): void;
  leave(): void;
  run<T>(fn: () => T): Promise<T>;
}

function createCommitGroup(db: Db, waitMs: number): CommitGroup {
  interface Queued {
    fn: () => unknown;
    resolve(value: unknown): void;
    reject(error: unknown): void;
  }
  let active = 0;
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    const settled: (() => void)[] = [];
    try {
      inTransaction(db, () => {
        for (const item of items) {
          try {
            const value = db.transaction(item.fn)();
            settled.push(() => item.resolve(value));
          } catch (error) {
            // The store failing fails the whole group; a run's own error only its savepoint.
            if (storeUnavailableCode(error) !== undefined) throw error;
            settled.push(() => item.reject(error));
          }
        }
      });
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    for (const settle of settled) settle();
  };
  const flushIfAllWait = () => {
    if (queue.length > 0 && queue.length >= active) flush();
  };
  return {
    enter() {
      active += 1;
    },
    leave() {
      active -= 1;
      flushIfAllWait();
    },
    run<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        timer ??= setTimeout(flush, waitMs);
        flushIfAllWait();
      });
    },
  };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 3)}...` : text;
}

/** min(maxMs, baseMs × 2^(attempt−1)): 1 s, 2 s, 4 s, … by default, capped at an hour. */
export function backoffMs(attempt: number, backoff: HandlerOptions['backoff'] = {}): number {
  const base = backoff.baseMs ?? 1_000;
  const max = backoff.maxMs ?? 3_600_000;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * The generic job runner (docs/decisions/003-jobs.md): claims due jobs with a lease in one
 * statement, runs their handlers with bounded concurrency, records every run in `job_runs`, and
 * turns every outcome — success, next step, retry with backoff, failure — into a row update fenced
 * by the claim's lease token. Nothing a handler throws escapes it.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, logger } = options;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const storePauseMs = Math.max(0, options.storePauseMs ?? STORE_PAUSE_MS);
  const groupCommitWaitMs = Math.max(0, options.groupCommitWaitMs ?? GROUP_COMMIT_WAIT_MS);
  const registry = new Map<string, Registration>();
  const inFlight = new Set<Promise<unknown>>();
  // Jobs whose handler runs in this process now: never claimed again while it does (a lease that
  // expired meanwhile is fenced by its token); jobs this runner claimed but dropped are.
  const runningIds = new Set<string>();

  let timer: NodeJS.Timeout | undefined;
  let pollMs = 1_000;
  // Real time (not the clock, which may jump) until which no job is claimed.
  let pausedUntil = 0;
  const paused = () => performance.now() < pausedUntil;
  const pause = (code: string, context: Record<string, unknown> = {}) => {
    if (!paused()) {
      logger.warn('jobs paused: the store cannot be written; they resume by themselves', {
        code,
        pauseMs: storePauseMs,
        ...context,
      });
    }
    pausedUntil = performance.now() + storePauseMs;
  };
  let polling = false;
  let running: Promise<unknown> | undefined;

  const nowIso = () => clock.now().toISOString();

  // Each arm walks its own index in order and stops at `limit`, so a claim reads about `limit`
  // rows however many are due (one OR over both would sort every due row on every claim).
  const claim = (limit: number): { jobs: Job[]; token: string } => {
    const token = randomBytes(12).toString('hex');
    const types = JSON.stringify([...registry.keys()]);
    const jobs = inTransaction(db, () => {
      const now = nowIso();
      const leaseUntil = new Date(clock.now().getTime() + leaseMs).toISOString();
      const rows = prepare(
        db,
        `UPDATE jobs SET status = 'RUNNING', lease_owner = @owner, lease_token = @token,
           lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
         WHERE id IN (
           SELECT id FROM (
             SELECT * FROM (
               SELECT id, run_at FROM jobs
               WHERE status = 'PENDING' AND run_at <= @now
                 AND type IN (SELECT value FROM json_each(@types))
               ORDER BY run_at LIMIT @limit) AS due
             UNION ALL
             SELECT * FROM (
               SELECT id, run_at FROM jobs
               WHERE status = 'RUNNING' AND lease_until < @now
                 AND (lease_owner != @owner OR id NOT IN (SELECT value FROM json_each(@running)))
                 AND type IN (SELECT value FROM json_each(@types))
               ORDER BY lease_until LIMIT @limit) AS expired) AS claimable
           ORDER BY run_at, id LIMIT @limit)
         RETURNING *`,
      ).all({
        owner,
        token,
        leaseUntil,
        now,
        types,
        limit,
        running: JSON.stringify([...runningIds]),
      }) as Row[];
      const abandon = prepare(
        db,
        `UPDATE job_runs SET outcome = 'ABANDONED', finished_at = ?,
           error = 'the runner stopped before the run finished (lease expired)'
         WHERE job_id = ? AND outcome = 'RUNNING'`,
      );
      const start = prepare(
        db,
        `INSERT INTO job_runs (job_id, job_type, subject_id, attempt, runner, started_at, outcome)
         VALUES (?, ?, ?, ?, ?, ?, 'RUNNING')`,
      );
      for (const row of rows) {
        abandon.run(now, row.id);
        start.run(row.id, row.type, row.subject_id ?? null, row.attempts, owner, now);
      }
      return rows
        .map(jobFromRow)
        .sort((a, b) => a.runAt.localeCompare(b.runAt) || a.id.localeCompare(b.id));
    });
    return { jobs, token };
  };

  /**
   * Settles one run: updates the job only while it still carries our token. In a commit group the
   * update is committed with the group's; otherwise at once.
   */
  const settle = (
    job: Job,
    token: string,
    outcome: JobRunOutcome,
    fields: { error?: string; note?: string | undefined },
    update: (now: string) => void,
    group?: CommitGroup,
  ): Promise<boolean> => {
    const write = () => {
      const now = nowIso();
      const held = prepare(db, 'SELECT lease_token FROM jobs WHERE id = ?').pluck().get(job.id);
      const finalOutcome: JobRunOutcome = held === token ? outcome : 'LEASE_LOST';
      if (held === token) update(now);
      prepare(
        db,
        `UPDATE job_runs SET outcome = ?, finished_at = ?, error = ?, note = ?
         WHERE job_id = ? AND runner = ? AND outcome = 'RUNNING'`,
      ).run(finalOutcome, now, fields.error ?? null, fields.note ?? null, job.id, owner);
      return held === token;
    };
    return group ? group.run(write) : Promise.resolve(inTransaction(db, write));
  };

  const fail = (
    job: Job,
    token: string,
    registration: Registration | undefined,
    failure: JobFailure,
    permanent: boolean,
    group?: CommitGroup,
  ): Promise<boolean> =>
    settle(
      job,
      token,
      'FAILED',
      { error: failure.message },
      (now) => {
        prepare(
          db,
          `UPDATE jobs SET status = 'FAILED', last_error = ?, lease_owner = NULL,
           lease_token = NULL, lease_until = NULL, updated_at = ?, finished_at = ? WHERE id = ?`,
        ).run(failure.message, now, now, job.id);
        registration?.options.onFailure?.(job, failure, { permanent });
      },
      group,
    );

  const runOne = async (
    job: Job,
    token: string,
    summary: RunDueSummary,
    group?: CommitGroup,
  ): Promise<void> => {
    const registration = registry.get(job.type);
    if (!registration) {
      await fail(job, token, undefined, { message: `no handler for job type ${job.type}` }, true);
      summary.failed += 1;
      return;
    }
    const holding =
      <T>(fn: () => T): (() => T) =>
      () => {
        const held = prepare(db, 'SELECT lease_token FROM jobs WHERE id = ?').pluck().get(job.id);
        if (held !== token) throw new LeaseLostError(job.id);
        return fn();
      };
    const ctx: JobContext<unknown> = {
      job,
      payload: job.payload,
      attempt: job.attempts,
      now: () => clock.now(),
      transaction: (fn) => inTransaction(db, holding(fn)),
      groupTransaction: (fn) =>
        group
          ? group.run(holding(fn))
          : new Promise((resolve) => resolve(inTransaction(db, holding(fn)))),
      heartbeat: () => {
        const until = new Date(clock.now().getTime() + leaseMs).toISOString();
        prepare(db, 'UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ?').run(
          until,
          job.id,
          token,
        );
      },
      cancelRequested: () =>
        prepare(db, 'SELECT cancel_requested FROM jobs WHERE id = ?').pluck().get(job.id) === 1,
    };

    let result: JobResult;
    try {
      result = await registration.handler(ctx);
    } catch (error) {
      const storeCode = storeUnavailableCode(error);
      if (storeCode !== undefined) {
        // Not the job's fault: pause, give the attempt back and run it again later. When even
        // this cannot be written, runBatch logs it and the lease brings the job back.
        pause(storeCode, { jobId: job.id, type: job.type });
        const held = await settle(
          job,
          token,
          'RETRY',
          { error: `paused: ${storeCode}` },
          (now) => {
            prepare(
              db,
              `UPDATE jobs SET status = 'PENDING', run_at = ?, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
               lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = ?
             WHERE id = ?`,
            ).run(now, now, job.id);
          },
          group,
        );
        if (held) summary.retried += 1;
        else summary.leaseLost += 1;
        return;
      }
      if (error instanceof LeaseLostError) {
        await settle(job, token, 'LEASE_LOST', { error: error.message }, () => {}, group);
        summary.leaseLost += 1;
        return;
      }
      const failure: JobFailure = {
        message: messageOf(error),
        ...(error instanceof PermanentJobError && error.code ? { code: error.code } : {}),
      };
      const permanent = error instanceof PermanentJobError;
      const maxAttempts =
        job.maxAttempts ?? registration.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      if (permanent || job.attempts >= maxAttempts) {
        logger.warn('job failed', {
          jobId: job.id,
          type: job.type,
          attempt: job.attempts,
          error: failure.message,
        });
        if (await fail(job, token, registration, failure, permanent, group)) summary.failed += 1;
        else summary.leaseLost += 1;
        return;
      }
      const delay = backoffMs(job.attempts, registration.options.backoff);
      logger.warn('job run failed; retrying', {
        jobId: job.id,
        type: job.type,
        attempt: job.attempts,
        retryInMs: delay,
        error: failure.message,
      });
      const held = await settle(
        job,
        token,
        'RETRY',
        { error: failure.message },
        (now) => {
          const runAt = new Date(clock.now().getTime() + delay).toISOString();
          prepare(
            db,
            `UPDATE jobs SET status = 'PENDING', run_at = ?, last_error = ?, lease_owner = NULL,
             lease_token = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`,
          ).run(runAt, failure.message, now, job.id);
        },
        group,
      );
      if (held) summary.retried += 1;
      else summary.leaseLost += 1;
      return;
    }

    const note = result?.note;
    const next = result?.reschedule;
    if (next && !ctx.cancelRequested()) {
      const held = await settle(
        job,
        token,
        'RESCHEDULED',
        { note },
        (now) => {
          prepare(
            db,
            `UPDATE jobs SET status = 'PENDING', run_at = ?, payload = ?, attempts = 0,
             last_error = NULL, lease_owner = NULL, lease_token = NULL, lease_until = NULL,
             updated_at = ? WHERE id = ?`,
          ).run(
            new Date(next.runAt).toISOString(),
            JSON.stringify(next.payload !== undefined ? next.payload : job.payload),
            now,
            job.id,
          );
        },
        group,
      );
      if (held) summary.rescheduled += 1;
      else summary.leaseLost += 1;
      return;
    }
    const status = next ? 'CANCELED' : 'SUCCEEDED';
    const held = await settle(
      job,
      token,
      status,
      { note },
      (now) => {
        prepare(
          db,
          `UPDATE jobs SET status = ?, last_error = NULL, lease_owner = NULL, lease_token = NULL,
           lease_until = NULL, updated_at = ?, finished_at = ? WHERE id = ?`,
        ).run(status, now, now, job.id);
      },
      group,
    );
    if (!held) summary.leaseLost += 1;
    else if (status === 'CANCELED') summary.canceled += 1;
    else summary.succeeded += 1;
  };

  /** Gives back jobs claimed but not run (the runner paused); the lease returns them otherwise. */
  const release = (jobs: Job[], token: string): void => {
    try {
      inTransaction(db, () => {
        const now = nowIso();
        for (const job of jobs) {
          prepare(
            db,
            `UPDATE jobs SET status = 'PENDING', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, lease_owner = NULL,
               lease_token = NULL, lease_until = NULL, updated_at = ?
             WHERE id = ? AND lease_token = ?`,
          ).run(now, job.id, token);
          prepare(
            db,
            `UPDATE job_runs SET outcome = 'ABANDONED', finished_at = ?, error = 'paused before it ran'
             WHERE job_id = ? AND runner = ? AND outcome = 'RUNNING'`,
          ).run(now, job.id, owner);
        }
      });
    } catch (error) {
      if (storeUnavailableCode(error) === undefined) throw error;
    }
  };

  const runBatch = async (jobs: Job[], token: string, summary: RunDueSummary) => {
    const guarded = async (job: Job, group?: CommitGroup) => {
      runningIds.add(job.id);
      try {
        await runOne(job, token, summary, group);
      } catch (error) {
        // Only the store failing gets here (the run's own errors are settled in runOne); the
        // lease expires and the job is claimed again later.
        const storeCode = storeUnavailableCode(error);
        if (storeCode !== undefined) {
          pause(storeCode, { jobId: job.id, type: job.type });
          return;
        }
        logger.error('job runner could not settle a run', {
          jobId: job.id,
          type: job.type,
          error,
        });
      } finally {
        runningIds.delete(job.id);
      }
    };
    const isGrouped = (job: Job) => registry.get(job.type)?.options.groupCommit === true;
    const grouped = jobs.filter(isGrouped);
    const others = jobs.filter((job) => !isGrouped(job));

    // Group commit: the batch's grouped runs start together; every one counts as in flight
    // before the first starts, so no write is committed before the others could join it.
    const runGrouped = async (): Promise<Job[]> => {
      if (grouped.length === 0 || paused()) return grouped;
      const group = createCommitGroup(db, groupCommitWaitMs);
      for (let i = 0; i < grouped.length; i += 1) group.enter();
      await Promise.all(
        grouped.map(async (job) => {
          try {
            await guarded(job, group);
          } finally {
            group.leave();
          }
        }),
      );
      return [];
    };

    let next = 0;
    const worker = async () => {
      while (next < others.length && !paused()) {
        const job = others[next++];
        if (!job) break;
        await guarded(job);
      }
    };
    const [unrunGrouped] = await Promise.all([
      runGrouped(),
      Promise.all(Array.from({ length: Math.min(concurrency, others.length) }, worker)),
    ]);
    const unrun = [...unrunGrouped, ...others.slice(next)];
    if (unrun.length > 0) release(unrun, token);
  };

  const runDue = async (): Promise<RunDueSummary> => {
    const summary: RunDueSummary = {
      claimed: 0,
      succeeded: 0,
      rescheduled: 0,
      retried: 0,
      failed: 0,
      canceled: 0,
      leaseLost: 0,
    };
    if (paused()) return summary;
    // Bounded by what was due when the sweep began, so a handler that reschedules itself to
    // "now" cannot keep one sweep going for ever; the next poll picks it up.
    const due = prepare(
      db,
      `SELECT COUNT(*) FROM jobs WHERE (status = 'PENDING' AND run_at <= ?)
         OR (status = 'RUNNING' AND lease_until < ?)`,
    )
      .pluck()
      .get(nowIso(), nowIso()) as number;
    while (summary.claimed < due) {
      const { jobs, token } = claim(Math.min(batchSize, due - summary.claimed));
      if (jobs.length === 0) break;
      summary.claimed += jobs.length;
      const batch = runBatch(jobs, token, summary);
      inFlight.add(batch);
      try {
        await batch;
      } finally {
        inFlight.delete(batch);
      }
    }
    return summary;
  };

  const tick = async () => {
    timer = undefined;
    if (!polling) return;
    const run = paused()
      ? Promise.resolve()
      : runDue().catch((error: unknown) => {
          const storeCode = storeUnavailableCode(error);
          if (storeCode !== undefined) pause(storeCode);
          else logger.error('job poll failed', { error });
        });
    running = run;
    await run;
    running = undefined;
    if (polling) timer = setTimeout(() => void tick(), pollMs);
  };

  return {
    owner,
    register(type, handler, handlerOptions = {}) {
      registry.set(type, {
        handler: handler as JobHandler<unknown>,
        options: { maxAttempts: DEFAULT_MAX_ATTEMPTS, ...handlerOptions },
      });
    },
    runDue,
    start(ms = 1_000) {
      pollMs = ms;
      if (polling) return;
      polling = true;
      timer = setTimeout(() => void tick(), 0);
    },
    async stop() {
      polling = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      await Promise.allSettled([...inFlight]);
    },
    wake() {
      if (!polling || running || !timer) return;
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), 0);
    },
  };
}
