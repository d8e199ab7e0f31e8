import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Global admission control (docs/reliability.md, "Overload"). Before a request reaches Express it
 * is admitted only while the process keeps up: fewer than `maxInFlight` requests in progress and
 * an event loop that is not lagging by more than `maxLagMs`. Everything else is answered at once
 * with 429 `TooManyRequests` and `Retry-After`, which costs far less than serving it, so the
 * requests that are admitted keep their latency and the server recovers as soon as the load drops.
 */
export interface AdmissionOptions {
  /** Requests in progress at once (default 256, `MESHDECK_MAX_IN_FLIGHT`). */
  maxInFlight?: number;
  /** Event-loop lag above which new requests are shed (default 100 ms, `MESHDECK_MAX_LAG_MS`). */
  maxLagMs?: number;
  /** Seconds sent as `Retry-After` (default 1). */
  retryAfterSeconds?: number;
  /** How often the lag is sampled (default 20 ms). */
  sampleMs?: number;
  /** The current lag, for tests; the default samples the event loop with a timer. */
  measureLag?: () => number;
}

export interface AdmissionStats {
  admitted: number;
  rejected: number;
  inFlight: number;
  lagMs: number;
}

export interface Admission {
  /** `listener` behind admission control. */
  wrap(listener: RequestListener): RequestListener;
  stats(): AdmissionStats;
  /** Stops sampling the event loop. */
  close(): void;
}

export const DEFAULT_MAX_IN_FLIGHT = 256;
export const DEFAULT_MAX_LAG_MS = 100;

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Samples the event loop: how late a timer fires. The lag is the smallest of the last three
 * samples, so only a loop that keeps falling behind counts as overloaded — one long pause (a
 * statement waiting out a lock, a big import) is not load and sheds nothing.
 */
function lagSampler(sampleMs: number): { lag(): number; close(): void } {
  const recent = [0, 0, 0];
  let expected = performance.now() + sampleMs;
  const timer = setInterval(() => {
    const now = performance.now();
    recent.shift();
    recent.push(Math.max(0, now - expected));
    expected = now + sampleMs;
  }, sampleMs);
  timer.unref();
  return { lag: () => Math.min(...recent), close: () => clearInterval(timer) };
}

/** Reads `MESHDECK_MAX_IN_FLIGHT` and `MESHDECK_MAX_LAG_MS`; bad values are an error. */
export function admissionOptionsFromEnv(env: NodeJS.ProcessEnv): AdmissionOptions {
  const read = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number`);
    return n;
  };
  const maxInFlight = read('MESHDECK_MAX_IN_FLIGHT');
  const maxLagMs = read('MESHDECK_MAX_LAG_MS');
  return {
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(maxLagMs !== undefined ? { maxLagMs } : {}),
  };
}

export function createAdmission(options: AdmissionOptions = {}): Admission {
  const maxInFlight = positive(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT);
  const maxLagMs = positive(options.maxLagMs, DEFAULT_MAX_LAG_MS);
  const retryAfter = String(Math.ceil(positive(options.retryAfterSeconds, 1)));
  const sampler = options.measureLag ? undefined : lagSampler(positive(options.sampleMs, 20));
  const measureLag = options.measureLag ?? (() => sampler?.lag() ?? 0);
  let inFlight = 0;
  let admitted = 0;
  let rejected = 0;

  const reject = (res: ServerResponse): void => {
    rejected += 1;
    const body = JSON.stringify({
      code: 'TooManyRequests',
      message: 'the server is overloaded; retry after a second',
    });
    res.writeHead(429, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'retry-after': retryAfter,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  };

  return {
    wrap(listener) {
      return (req: IncomingMessage, res: ServerResponse) => {
        if (inFlight >= maxInFlight || measureLag() > maxLagMs) {
          // The body is not read: drop it rather than parse it.
          req.resume();
          reject(res);
          return;
        }
        inFlight += 1;
        admitted += 1;
        let done = false;
        res.once('close', () => {
          if (done) return;
          done = true;
          inFlight -= 1;
        });
        listener(req, res);
      };
    },
    stats: () => ({ admitted, rejected, inFlight, lagMs: measureLag() }),
    close: () => sampler?.close(),
  };
}
