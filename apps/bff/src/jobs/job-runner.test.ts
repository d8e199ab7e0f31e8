import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { openTestDb, testEngine } from '../testing/test-db.ts';
import type { Logger } from '../logger.ts';
import { createJobQueue } from './job-queue.ts';
import { backoffMs, createJobRunner, LeaseLostError, PermanentJobError } from './job-runner.ts';

function setup(owner = 'runner-a') {
  const db = openTestDb();
  const clock = createManualClock('2025-03-01T00:00:00.000Z');
  const logs: { level: string; msg: string }[] = [];
  const logger: Logger = {
    info: (msg) => logs.push({ level: 'info', msg }),
    warn: (msg) => logs.push({ level: 'warn', msg }),
    error: (msg) => logs.push({ level: 'error', msg }),
  };
  const queue = createJobQueue(db, clock);
  const runner = createJobRunner({ db, clock, logger, owner });
  return { db, clock, logs, queue, runner };
}

describe('job runner', () => {
  it('runs a due job once and records the run', async () => {
    const { queue, runner } = setup();
    const seen: unknown[] = [];
    runner.register<{ n: number }>('count', async (ctx) => {
      seen.push(ctx.payload.n);
      return { note: 'counted' };
    });
    const job = queue.enqueue('count', { n: 1 }, { subjectId: 'thing-1' });
    expect(await runner.runDue()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(await runner.runDue()).toMatchObject({ claimed: 0 });
    expect(seen).toEqual([1]);
    expect(queue.get(job.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, leaseOwner: null });
    expect(queue.runs(job.id)).toEqual([
      expect.objectContaining({
        outcome: 'SUCCEEDED',
        attempt: 1,
        runner: 'runner-a',
        note: 'counted',
        subjectId: 'thing-1',
        startedAt: '2025-03-01T00:00:00.000Z',
        finishedAt: '2025-03-01T00:00:00.000Z',
      }),
    ]);
  });

  it('does not run a job before its time', async () => {
    const { clock, queue, runner } = setup();
    let runs = 0;
    runner.register('later', async () => {
      runs += 1;
    });
    queue.enqueue('later', {}, { runAt: '2025-03-01T00:01:00.000Z' });
    await runner.runDue();
    clock.advance(59_999);
    await runner.runDue();
    expect(runs).toBe(0);
    clock.advance(1);
    await runner.runDue();
    expect(runs).toBe(1);
  });

  it('retries a failing job with exponential backoff, then fails it and calls onFailure', async () => {
    const { clock, queue, runner, logs } = setup();
    const failures: unknown[] = [];
    runner.register(
      'flaky',
      async () => {
        throw new Error('store busy');
      },
      {
        maxAttempts: 3,
        backoff: { baseMs: 1_000 },
        onFailure: (job, failure, info) => failures.push([job.id, failure, info]),
      },
    );
    const job = queue.enqueue('flaky', {});
    expect(await runner.runDue()).toMatchObject({ retried: 1 });
    expect(queue.get(job.id)).toMatchObject({
      status: 'PENDING',
      runAt: '2025-03-01T00:00:01.000Z',
      lastError: 'store busy',
    });
    clock.advance(1_000);
    await runner.runDue();
    expect(queue.get(job.id)?.runAt).toBe('2025-03-01T00:00:03.000Z');
    clock.advance(2_000);
    expect(await runner.runDue()).toMatchObject({ failed: 1 });
    expect(queue.get(job.id)).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(failures).toEqual([[job.id, { message: 'store busy' }, { permanent: false }]]);
    expect(queue.runs(job.id).map((r) => r.outcome)).toEqual(['FAILED', 'RETRY', 'RETRY']);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(3);
    expect(backoffMs(1)).toBe(1_000);
    expect(backoffMs(4)).toBe(8_000);
    expect(backoffMs(30)).toBe(3_600_000);
  });

  it('fails a job at once on a PermanentJobError', async () => {
    const { queue, runner } = setup();
    const failures: unknown[] = [];
    runner.register(
      'doomed',
      async () => {
        throw new PermanentJobError('version limit reached: delete old versions', 'VERSION_LIMIT');
      },
      { onFailure: (_job, failure, info) => failures.push([failure, info]) },
    );
    const job = queue.enqueue('doomed', {});
    await runner.runDue();
    expect(queue.get(job.id)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(failures).toEqual([
      [
        { message: 'version limit reached: delete old versions', code: 'VERSION_LIMIT' },
        { permanent: true },
      ],
    ]);
    // Retrying puts it back in line.
    expect(queue.retry(job.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('runs the steps of a job at their times and with their payloads', async () => {
    const { clock, queue, runner } = setup();
    const steps: number[] = [];
    runner.register<{ step: number }>('migrate', async (ctx) => {
      steps.push(ctx.payload.step);
      if (ctx.payload.step === 3) return { note: 'done' };
      return {
        reschedule: {
          runAt: new Date(ctx.now().getTime() + 30_000),
          payload: { step: ctx.payload.step + 1 },
        },
      };
    });
    const job = queue.enqueue('migrate', { step: 1 });
    await runner.runDue();
    await runner.runDue();
    clock.advance(30_000);
    await runner.runDue();
    clock.advance(30_000);
    await runner.runDue();
    expect(steps).toEqual([1, 2, 3]);
    expect(queue.get(job.id)).toMatchObject({ status: 'SUCCEEDED', payload: { step: 3 } });
  });

  it('cancels a pending job at once and a running one at its next step', async () => {
    const { clock, queue, runner } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    runner.register('long', async (ctx) => {
      await gate;
      return { reschedule: { runAt: ctx.now() } };
    });
    const pending = queue.enqueue('long', {}, { runAt: '2025-03-02T00:00:00.000Z' });
    expect(queue.cancel(pending.id).status).toBe('CANCELED');
    const running = queue.enqueue('long', {});
    const sweep = runner.runDue();
    expect(queue.get(running.id)?.status).toBe('RUNNING');
    expect(queue.cancel(running.id).cancelRequested).toBe(true);
    release();
    expect(await sweep).toMatchObject({ canceled: 1 });
    expect(queue.get(running.id)?.status).toBe('CANCELED');
    clock.advance(1);
    expect(() => queue.cancel(running.id)).toThrow(/CANCELED/);
  });

  it('keeps one live job per dedupe key and can move its time', () => {
    const { queue } = setup();
    const first = queue.enqueue('certificate', { id: 'c1' }, { dedupeKey: 'certificate:c1' });
    const again = queue.enqueue(
      'certificate',
      { id: 'c1' },
      { dedupeKey: 'certificate:c1', runAt: '2025-04-01T00:00:00.000Z' },
    );
    expect(again.id).toBe(first.id);
    expect(again.runAt).toBe('2025-03-01T00:00:00.000Z');
    const moved = queue.enqueue(
      'certificate',
      { id: 'c1' },
      { dedupeKey: 'certificate:c1', runAt: '2025-04-01T00:00:00.000Z', onDuplicate: 'runAt' },
    );
    expect(moved).toMatchObject({ id: first.id, runAt: '2025-04-01T00:00:00.000Z' });
    expect(queue.list({ type: 'certificate' })).toHaveLength(1);
  });

  it('takes over the job of a runner that died once its lease expires, and marks that run ABANDONED', async () => {
    const { db, clock, logs, queue } = setup();
    const dead = createJobRunner({
      db,
      clock,
      logger: silent(logs),
      owner: 'dead',
      leaseMs: 30_000,
    });
    dead.register('work', () => new Promise(() => {}));
    const job = queue.enqueue('work', {});
    void dead.runDue();
    expect(queue.get(job.id)).toMatchObject({ status: 'RUNNING', leaseOwner: 'dead' });

    const alive = createJobRunner({ db, clock, logger: silent(logs), owner: 'alive' });
    let ran = 0;
    alive.register('work', async () => {
      ran += 1;
    });
    await alive.runDue();
    expect(ran).toBe(0);
    clock.advance(30_001);
    await alive.runDue();
    expect(ran).toBe(1);
    expect(queue.get(job.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(queue.runs(job.id).map((r) => [r.runner, r.outcome])).toEqual([
      ['alive', 'SUCCEEDED'],
      ['dead', 'ABANDONED'],
    ]);
  });

  it('fences the writes of a run whose lease was taken over', async () => {
    const { db, clock, queue } = setup();
    db.exec('CREATE TABLE effects (what TEXT)');
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const slow = createJobRunner({ db, clock, logger: silent([]), owner: 'slow', leaseMs: 1_000 });
    slow.register('effect', async (ctx) => {
      await paused;
      ctx.transaction(() => db.prepare("INSERT INTO effects VALUES ('slow')").run());
    });
    const fast = createJobRunner({ db, clock, logger: silent([]), owner: 'fast' });
    fast.register('effect', async (ctx) => {
      ctx.transaction(() => db.prepare("INSERT INTO effects VALUES ('fast')").run());
    });
    const job = queue.enqueue('effect', {});
    const slowSweep = slow.runDue();
    clock.advance(1_001);
    await fast.runDue();
    resume();
    expect(await slowSweep).toMatchObject({ leaseLost: 1 });
    expect(db.prepare('SELECT what FROM effects').pluck().all()).toEqual(['fast']);
    expect(queue.get(job.id)?.status).toBe('SUCCEEDED');
    expect(queue.runs(job.id).map((r) => [r.runner, r.outcome])).toEqual([
      ['fast', 'SUCCEEDED'],
      // Marked when the job was taken over; the late run's own settle changes nothing.
      ['slow', 'ABANDONED'],
    ]);
    expect(new LeaseLostError('x').message).toBe('lost the lease on job x');
  });

  it('never runs one job twice when two sweeps overlap', async () => {
    const { db, clock, queue } = setup();
    const counts = new Map<string, number>();
    const make = (owner: string) => {
      const r = createJobRunner({ db, clock, logger: silent([]), owner, batchSize: 7 });
      r.register<{ i: number }>('n', async (ctx) => {
        await new Promise((resolve) => setImmediate(resolve));
        counts.set(ctx.job.id, (counts.get(ctx.job.id) ?? 0) + 1);
      });
      return r;
    };
    for (let i = 0; i < 50; i += 1) queue.enqueue('n', { i });
    const [a, b] = await Promise.all([make('a').runDue(), make('b').runDue()]);
    expect(a.claimed + b.claimed).toBe(50);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(50);
  });

  it('keeps polling after a handler throws, and stops cleanly', async () => {
    const { queue, runner } = setup();
    const done: string[] = [];
    runner.register('bad', async () => {
      throw new TypeError('boom');
    });
    runner.register('good', async () => {
      done.push('good');
    });
    queue.enqueue('bad', {});
    queue.enqueue('good', {});
    runner.start(5);
    await expect.poll(() => done, { timeout: 2_000 }).toEqual(['good']);
    await runner.stop();
    expect(queue.list({ type: 'bad' })[0]?.lastError).toBe('boom');
  });

  it('leaves jobs of types it does not know to the runners that do', async () => {
    const { queue, runner } = setup();
    const job = queue.enqueue('someone-else', {});
    expect(await runner.runDue()).toMatchObject({ claimed: 0 });
    expect(queue.get(job.id)?.status).toBe('PENDING');
  });
});

function silent(logs: { level: string; msg: string }[]): Logger {
  return {
    info: () => {},
    warn: (msg) => logs.push({ level: 'warn', msg }),
    error: (msg) => logs.push({ level: 'error', msg }),
  };
}

// A full disk is SQLite's max_page_count here; PostgreSQL's store-unavailable path is in
// db/postgres.test.ts.
describe.runIf(testEngine === 'sqlite')('job runner on a full disk', () => {
  it('pauses instead of failing: the attempt is given back and the job runs once there is room', async () => {
    const { db, clock, queue, logs } = setup();
    const logger: Logger = {
      info: (msg) => logs.push({ level: 'info', msg }),
      warn: (msg) => logs.push({ level: 'warn', msg }),
      error: (msg) => logs.push({ level: 'error', msg }),
    };
    // No pause between sweeps here, so each runDue tries again at once.
    const runner = createJobRunner({ db, clock, logger, owner: 'runner-full', storePauseMs: 0 });
    db.exec('CREATE TABLE blobs (data BLOB NOT NULL)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    // Room for the runner's own bookkeeping (rows on existing pages), none for the handler's blob.
    db.pragma(`max_page_count = ${pages + 8}`);
    let runs = 0;
    runner.register(
      'grow',
      async (ctx) => {
        runs += 1;
        ctx.transaction(() => {
          db.prepare('INSERT INTO blobs (data) VALUES (?)').run(Buffer.alloc(64 * 1024));
        });
      },
      { maxAttempts: 1 },
    );
    const job = queue.enqueue('grow', {});
    for (let i = 0; i < 3; i += 1) {
      expect(await runner.runDue()).toMatchObject({ claimed: 1, retried: 1, failed: 0 });
      expect(queue.get(job.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    }
    expect(logs).toContainEqual({
      level: 'warn',
      msg: 'jobs paused: the store cannot be written; they resume by themselves',
    });
    db.pragma('max_page_count = 1073741823');
    expect(await runner.runDue()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(queue.get(job.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(runs).toBe(4);
  });
});

describe.runIf(testEngine === 'sqlite')('job runner pause', () => {
  it('claims nothing while paused after the store could not be written', async () => {
    const { db, clock, queue } = setup();
    const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
    const runner = createJobRunner({ db, clock, logger: silent, storePauseMs: 60_000 });
    db.exec('CREATE TABLE blobs (data BLOB NOT NULL)');
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 8}`);
    runner.register('grow', async (ctx) => {
      ctx.transaction(() => {
        db.prepare('INSERT INTO blobs (data) VALUES (?)').run(Buffer.alloc(64 * 1024));
      });
    });
    const job = queue.enqueue('grow', {});
    expect(await runner.runDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await runner.runDue()).toMatchObject({ claimed: 0 });
    expect(queue.get(job.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });
});
