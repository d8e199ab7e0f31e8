import { AppError } from '../errors.ts';

/** 429: this client (account, address, session or API key) sent too many requests. */
export class TooManyRequestsError extends AppError {
  readonly code = 'TooManyRequests';
  constructor(message: string, retryAfterSeconds: number) {
    super(message, undefined, Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit for `key`; the seconds to wait when over the limit, else undefined. */
  hit(key: string): number | undefined;
  /** Whether `key` is over the limit, without counting a hit. */
  blocked(key: string): number | undefined;
  reset(key: string): void;
}

/**
 * Per-client limits (issue #8): a fixed window per key, kept in memory (one process). Keys are
 * bounded: when more than `maxKeys` are tracked, expired windows are dropped first, then the
 * oldest. Global overload shedding is another middleware's job.
 */
export function createRateLimiter(
  rule: RateLimit,
  now: () => number = Date.now,
  maxKeys = 10_000,
): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = rule.windowSeconds * 1000;
  const current = (key: string) => {
    const entry = windows.get(key);
    if (!entry || now() - entry.start >= windowMs) return undefined;
    return entry;
  };
  const retryAfter = (entry: { start: number }) => (entry.start + windowMs - now()) / 1000;
  const prune = () => {
    for (const [key, entry] of windows) {
      if (now() - entry.start >= windowMs) windows.delete(key);
    }
    while (windows.size >= maxKeys) {
      const oldest = windows.keys().next().value as string;
      windows.delete(oldest);
    }
  };
  return {
    hit(key) {
      let entry = current(key);
      if (!entry) {
        if (windows.size >= maxKeys) prune();
        entry = { start: now(), count: 0 };
        windows.set(key, entry);
      }
      entry.count += 1;
      return entry.count > rule.limit ? retryAfter(entry) : undefined;
    },
    blocked(key) {
      const entry = current(key);
      return entry && entry.count >= rule.limit ? retryAfter(entry) : undefined;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
