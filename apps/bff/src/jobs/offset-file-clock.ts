import { readFileSync } from 'node:fs';
import type { Clock } from '../clock.ts';

/**
 * TEST ONLY (`MESHDECK_CLOCK_OFFSET_FILE`, docs/reliability.md): `base` plus a signed offset in
 * milliseconds read from `file`, re-read at most every `refreshMs`. The reliability harness writes
 * the file to make the BFF's clock jump forward or back (the demo clock only moves forward).
 * A missing or unreadable file means no offset.
 */
export function createOffsetFileClock(base: Clock, file: string, refreshMs = 100): Clock {
  let offset = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  const current = (): number => {
    const real = performance.now();
    if (real - readAt >= refreshMs) {
      readAt = real;
      try {
        const n = Number(readFileSync(file, 'utf8').trim());
        offset = Number.isFinite(n) ? Math.trunc(n) : 0;
      } catch {
        offset = 0;
      }
    }
    return offset;
  };
  return { now: () => new Date(base.now().getTime() + current()) };
}
