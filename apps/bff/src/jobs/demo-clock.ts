import { Router } from 'express';
import { z } from 'zod';
import { canAdvance, type Clock } from '../clock.ts';
import { prepare, type Db } from '../db/open-db.ts';
import { RouteNotFoundError, ValidationError } from '../errors.ts';
import { parseInput } from '../resources/parse-input.ts';
import type { JobRunner } from './job-runner.ts';

/** The stored offset of the demo clock (0 when it was never advanced). */
export function loadDemoClockOffset(db: Db): number {
  return (
    (prepare(db, 'SELECT offset_ms FROM demo_clock WHERE id = 1').pluck().get() as
      number | undefined) ?? 0
  );
}

export function saveDemoClockOffset(db: Db, offsetMs: number): void {
  prepare(
    db,
    `INSERT INTO demo_clock (id, offset_ms, updated_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, updated_at = excluded.updated_at`,
  ).run(offsetMs, new Date().toISOString());
}

/** At most a little over a year per step, so a typo cannot jump past every CA at once. */
const MAX_ADVANCE_SECONDS = 400 * 24 * 60 * 60;

export const AdvanceClockSchema = z.strictObject({
  seconds: z
    .int({ error: 'seconds must be a whole number' })
    .min(1, { error: `seconds must be between 1 and ${MAX_ADVANCE_SECONDS}` })
    .max(MAX_ADVANCE_SECONDS, { error: `seconds must be between 1 and ${MAX_ADVANCE_SECONDS}` }),
});

/**
 * `GET /api/clock` (always) and, in demo mode with an advanceable clock,
 * `POST /api/demo/clock/advance {seconds}`: moves the clock and runs the jobs now due, so the
 * answer already reflects the renewals that happened.
 */
export function clockRouter(deps: { clock: Clock; demo: boolean; runner: JobRunner }): Router {
  const router = Router();
  const { clock } = deps;
  const offsetOf = () =>
    typeof (clock as { offsetMs?: unknown }).offsetMs === 'function'
      ? (clock as unknown as { offsetMs(): number }).offsetMs()
      : null;
  const demoClock = deps.demo && canAdvance(clock);

  router.get('/clock', (_req, res) => {
    res.json({ now: clock.now().toISOString(), demo: demoClock, offsetMs: offsetOf() });
  });

  router.post('/demo/clock/advance', async (req, res) => {
    if (!demoClock || !canAdvance(clock)) {
      throw new RouteNotFoundError('the demo clock is off (MESHDECK_DEMO=0)');
    }
    const parsed = parseInput(AdvanceClockSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    clock.advance(parsed.data.seconds * 1000);
    const jobs = await deps.runner.runDue();
    res.json({ now: clock.now().toISOString(), demo: true, offsetMs: offsetOf(), jobs });
  });

  return router;
}
