/** The one source of time in the BFF (DESIGN "Time"); tests and demo mode inject their own. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, demo time travel). */
export interface ManualClock extends Clock {
  set(instant: Date | string): void;
  advance(ms: number): void;
}

export function createManualClock(start: Date | string = '2025-03-01T00:00:00.000Z'): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (instant) => {
      current = new Date(instant).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/**
 * The demo clock: system time plus an offset that only grows (`POST /api/demo/clock/advance`).
 * It keeps running in real time, so leases and timers behave as usual between advances.
 */
export interface OffsetClock extends Clock {
  advance(ms: number): void;
  offsetMs(): number;
}

export function createOffsetClock(
  options: { base?: Clock; offsetMs?: number; onAdvance?: (offsetMs: number) => void } = {},
): OffsetClock {
  const base = options.base ?? systemClock;
  let offset = options.offsetMs ?? 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    advance: (ms) => {
      offset += ms;
      options.onAdvance?.(offset);
    },
    offsetMs: () => offset,
  };
}

/** A clock the demo may move forward (the offset clock, or a test's manual clock). */
export function canAdvance(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}
