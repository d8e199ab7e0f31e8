import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

/**
 * Global admission control (docs/reliability.md, "Overload"). Before a request reaches Express it
 * is admitted only while the process keeps up: fewer than `maxInFlight` requests in progress and
 * an event loop that is not lagging by more than `maxLagMs`. A request that finds every slot taken
 * waits in a short FIFO queue (`maxQueue` places, at most `maxQueueWaitMs`); everything else is
 * answered at once with 429 `TooManyRequests` and `Retry-After` (and the security headers and an
 * `opc-request-id`, like every answer), which costs far less than serving it, so the requests
 * that are admitted keep their latency and the server recovers as soon as the load drops. Every
 * admitted answer carries `Server-Timing: total;dur=<ms>`: the time from the request's arrival
 * (its headers parsed) to its answer's head, queue wait included.
 */
export interface AdmissionOptions {
  /** Requests in progress at once (default 256, `MESHDECK_MAX_IN_FLIGHT`). */
  maxInFlight?: number;
  /** Event-loop lag above which new requests are shed (default 100 ms, `MESHDECK_MAX_LAG_MS`). */
  maxLagMs?: number;
  /** Requests that may wait for a slot (default 64, `MESHDECK_MAX_QUEUE`; 0: none wait). */
  maxQueue?: number;
  /** The longest a request waits for a slot before it is answered 429 (default 100 ms). */
  maxQueueWaitMs?: number;
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
  queued: number;
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
export const DEFAULT_MAX_QUEUE = 64;
export const DEFAULT_MAX_QUEUE_WAIT_MS = 100;

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

/** Reads `MESHDECK_MAX_IN_FLIGHT`, `MESHDECK_MAX_LAG_MS`, `MESHDECK_MAX_QUEUE`; bad values are an error. */
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
  const queueText = env.MESHDECK_MAX_QUEUE;
  let maxQueue: number | undefined;
  if (queueText !== undefined && queueText !== '') {
    maxQueue = Number(queueText);
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new Error('MESHDECK_MAX_QUEUE must be a whole number (0 or more)');
  }
  return {
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(maxLagMs !== undefined ? { maxLagMs } : {}),
    ...(maxQueue !== undefined ? { maxQueue } : {}),
  };
}

interface Waiting {
  req: IncomingMessage;
  res: ServerResponse;
  arrival: number;
  listener: RequestListener;
}

export function createAdmission(options: AdmissionOptions = {}): Admission {
  const maxInFlight = positive(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT);
  const maxLagMs = positive(options.maxLagMs, DEFAULT_MAX_LAG_MS);
  const maxQueue =
    options.maxQueue !== undefined && Number.isInteger(options.maxQueue) && options.maxQueue >= 0
      ? options.maxQueue
      : DEFAULT_MAX_QUEUE;
  const maxQueueWaitMs = positive(options.maxQueueWaitMs, DEFAULT_MAX_QUEUE_WAIT_MS);
  const retryAfter = String(Math.ceil(positive(options.retryAfterSeconds, 1)));
  const sampler = options.measureLag ? undefined : lagSampler(positive(options.sampleMs, 20));
  const measureLag = options.measureLag ?? (() => sampler?.lag() ?? 0);
  let inFlight = 0;
  let admitted = 0;
  let rejected = 0;
  const queue: Waiting[] = [];
  let expiry: NodeJS.Timeout | undefined;

  const reject = (req: IncomingMessage, res: ServerResponse): void => {
    rejected += 1;
    // The body is not read: drop it rather than parse it.
    req.resume();
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify({
      code: 'TooManyRequests',
      message: 'the server is overloaded; retry after a second',
    });
    res.writeHead(429, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'retry-after': retryAfter,
      'cache-control': 'no-store',
      'opc-request-id': randomUUID().replace(/-/g, '').toUpperCase(),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    });
    res.end(body);
  };

  const admit = ({ req, res, arrival, listener }: Waiting): void => {
    inFlight += 1;
    admitted += 1;
    let done = false;
    const writeHead = res.writeHead;
    // Server-side latency: arrival (queue wait included) to the answer's head.
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (!this.headersSent)
        this.setHeader('server-timing', `total;dur=${(performance.now() - arrival).toFixed(1)}`);
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    res.once('close', () => {
      if (done) return;
      done = true;
      inFlight -= 1;
      drain();
    });
    listener(req, res);
  };

  /** Admits waiting requests while slots are free; answers 429 to those that waited too long. */
  function drain(): void {
    const now = performance.now();
    while (queue.length > 0) {
      const head = queue[0] as Waiting;
      if (head.res.destroyed) {
        queue.shift();
        continue;
      }
      if (now - head.arrival > maxQueueWaitMs) {
        queue.shift();
        reject(head.req, head.res);
        continue;
      }
      if (inFlight >= maxInFlight) break;
      queue.shift();
      admit(head);
    }
    if (queue.length > 0 && !expiry) {
      expiry = setTimeout(() => {
        expiry = undefined;
        drain();
      }, maxQueueWaitMs);
      expiry.unref();
    }
  }

  return {
    wrap(listener) {
      return (req: IncomingMessage, res: ServerResponse) => {
        const arrival = performance.now();
        if (measureLag() > maxLagMs) {
          reject(req, res);
          return;
        }
        if (inFlight >= maxInFlight || queue.length > 0) {
          if (queue.length >= maxQueue) {
            reject(req, res);
            return;
          }
          queue.push({ req, res, arrival, listener });
          drain();
          return;
        }
        admit({ req, res, arrival, listener });
      };
    },
    stats: () => ({ admitted, rejected, inFlight, queued: queue.length, lagMs: measureLag() }),
    close: () => {
      sampler?.close();
      if (expiry) clearTimeout(expiry);
    },
  };
}
