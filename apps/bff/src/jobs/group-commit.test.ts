import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { openTestDb } from '../testing/test-db.ts';
import type { Logger } from '../logger.ts';
import { createJobQueue } from './job-queue.ts';
import { createJobRunner } from './job-runner.ts';

function setup() {
  const db = openTestDb();
  db.exec('CREATE TABLE written (n INTEGER NOT NULL)');
  const clock = createManualClock('2025-03-01T00:00:00.000Z');
  const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
  const queue = createJobQueue(db, clock);
  const runner = createJobRunner({ db, clock, logger, owner: 'runner-a' });
  const written = () =>
    (db.prepare('SELECT n FROM written ORDER BY n').pluck().all() as number[]).slice();
  return { db, queue, runner, written };
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('job runner group commit', () => {
  it("commits a batch's writes together, once every run waits, then settles them all", async () => {
    const { db, queue, runner, written } = setup();
    const events: string[] = [];
    runner.register<{ n: number }>(
      'grouped',
      async (ctx) => {
        // Runs finish their own work (a worker thread, in the certificate sweep) at different times.
        await later(ctx.payload.n % 4);
        const n = await ctx.groupTransaction(() => {
          db.prepare('INSERT INTO written (n) VALUES (?)').run(ctx.payload.n);
          events.push('write');
          return ctx.payload.n;
        });
        events.push('committed');
        return { note: `wrote ${n}` };
      },
      { groupCommit: true },
    );
    const jobs = Array.from({ length: 20 }, (_, n) => queue.enqueue('grouped', { n }));

    expect(await runner.runDue()).toMatchObject({ claimed: 20, succeeded: 20 });
    // One transaction: every run's write was made before any run saw its commit.
    expect(events).toEqual([...Array(20).fill('write'), ...Array(20).fill('committed')]);
    expect(written()).toEqual(Array.from({ length: 20 }, (_, n) => n));
    for (const [n, job] of jobs.entries()) {
      expect(queue.get(job.id)).toMatchObject({ status: 'SUCCEEDED', leaseOwner: null });
      expect(queue.runs(job.id)).toEqual([
        expect.objectContaining({ outcome: 'SUCCEEDED', note: `wrote ${n}` }),
      ]);
    }
  });

  it('rolls back only the write that threw; that run is retried, the others commit', async () => {
    const { db, queue, runner, written } = setup();
    runner.register<{ n: number }>(
      'grouped',
      async (ctx) => {
        await ctx.groupTransaction(() => {
          db.prepare('INSERT INTO written (n) VALUES (?)').run(ctx.payload.n);
          if (ctx.payload.n === 2) throw new Error('version 2 is not valid');
        });
      },
      { groupCommit: true },
    );
    const jobs = Array.from({ length: 5 }, (_, n) => queue.enqueue('grouped', { n }));

    expect(await runner.runDue()).toMatchObject({ claimed: 5, succeeded: 4, retried: 1 });
    expect(written()).toEqual([0, 1, 3, 4]);
    expect(queue.get(jobs[2]!.id)).toMatchObject({
      status: 'PENDING',
      lastError: 'version 2 is not valid',
    });
    expect(queue.get(jobs[3]!.id)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fences the grouped write of a run whose lease was taken over', async () => {
    const { db, queue, runner, written } = setup();
    runner.register<{ n: number }>(
      'grouped',
      async (ctx) => {
        if (ctx.payload.n === 1) {
          // Another runner claimed this job after our lease expired.
          db.prepare("UPDATE jobs SET lease_token = 'someone-else' WHERE id = ?").run(ctx.job.id);
        }
        await ctx.groupTransaction(() => {
          db.prepare('INSERT INTO written (n) VALUES (?)').run(ctx.payload.n);
        });
      },
      { groupCommit: true },
    );
    const jobs = Array.from({ length: 3 }, (_, n) => queue.enqueue('grouped', { n }));

    expect(await runner.runDue()).toMatchObject({ claimed: 3, succeeded: 2, leaseLost: 1 });
    expect(written()).toEqual([0, 2]);
    expect(queue.runs(jobs[1]!.id)).toEqual([expect.objectContaining({ outcome: 'LEASE_LOST' })]);
    // The job stays with whoever holds it now.
    expect(
      db.prepare('SELECT status, lease_token FROM jobs WHERE id = ?').get(jobs[1]!.id),
    ).toEqual({ status: 'RUNNING', lease_token: 'someone-else' });
  });

  it('runs ungrouped handlers as before alongside grouped ones in one batch', async () => {
    const { db, queue, runner, written } = setup();
    runner.register<{ n: number }>(
      'grouped',
      async (ctx) => {
        await ctx.groupTransaction(() =>
          db.prepare('INSERT INTO written (n) VALUES (?)').run(ctx.payload.n),
        );
      },
      { groupCommit: true },
    );
    runner.register<{ n: number }>('single', async (ctx) => {
      // groupTransaction without groupCommit commits at once.
      await ctx.groupTransaction(() =>
        db.prepare('INSERT INTO written (n) VALUES (?)').run(ctx.payload.n),
      );
      expect(
        db.prepare('SELECT COUNT(*) FROM written WHERE n = ?').pluck().get(ctx.payload.n),
      ).toBe(1);
    });
    for (let n = 0; n < 6; n += 1) queue.enqueue(n % 2 === 0 ? 'grouped' : 'single', { n });

    expect(await runner.runDue()).toMatchObject({ claimed: 6, succeeded: 6 });
    expect(written()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
