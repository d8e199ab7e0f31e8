/**
 * Overload: measure the most GETs a second the BFF serves, then offer twice that (more when that
 * measurement was low and nothing needed shedding). The excess must
 * be 429 with Retry-After (admission control, http/overload.ts), no 5xx, the admitted requests
 * keep a bounded latency, and the BFF serves normally again within seconds after the load stops.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  createMesh,
  percentile,
  sleep,
  tempDir,
  virtualServiceBody,
  type Scenario,
} from '../lib.ts';

interface Sample {
  status: number;
  /** Client side: from sending the request to the end of its answer. */
  ms: number;
  /** Server side (`Server-Timing`): from the request's arrival to its answer's head. */
  serverMs: number | undefined;
  retryAfter: boolean;
}

function get(agent: Agent, url: string): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        const timing = /dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          serverMs: timing ? Number(timing[1]) : undefined,
          retryAfter: res.headers['retry-after'] !== undefined,
        });
      });
    });
    req.on('error', () =>
      resolve({
        status: 0,
        ms: performance.now() - started,
        serverMs: undefined,
        retryAfter: false,
      }),
    );
    req.end();
  });
}

/** Closed loop: `concurrency` clients back to back for `ms`. */
async function closedLoop(url: string, concurrency: number, ms: number): Promise<Sample[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) samples.push(await get(agent, url));
    }),
  );
  agent.destroy();
  return samples;
}

/** Keep-alive connections of the open-loop generator. */
const CONNECTIONS = 256;
/** `MESHDECK_MAX_LAG_MS` of the BFF under test. */
const LAG_BOUND_MS = 30;

/**
 * Open loop: `rate` requests a second, whatever the answers, for `ms`, over a fixed pool of
 * keep-alive connections (no new TCP connection per request, no queue in the client: a request
 * that is due while every connection waits for an answer is not sent and counted as `unsent`, so
 * the latency measured is the server's and the network's, not the generator's own backlog). The
 * generator's own event-loop delay is reported: when it is high, the client was the bottleneck.
 */
async function openLoop(
  url: string,
  rate: number,
  ms: number,
): Promise<{ samples: Sample[]; offered: number; unsent: number; clientLagP99Ms: number }> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: CONNECTIONS,
    maxFreeSockets: CONNECTIONS,
  });
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  let due = 0;
  let busy = 0;
  let unsent = 0;
  while (performance.now() - started < ms) {
    const now = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; due < now; due += 1) {
      if (busy >= CONNECTIONS) {
        unsent += 1;
        continue;
      }
      busy += 1;
      pending.push(
        get(agent, url).then((s) => {
          busy -= 1;
          samples.push(s);
        }),
      );
    }
    await sleep(5);
  }
  await Promise.all(pending);
  lag.disable();
  agent.destroy();
  return {
    samples,
    offered: Math.round(due / (ms / 1000)),
    unsent,
    clientLagP99Ms: Math.round(lag.percentile(99) / 1e6),
  };
}

const ok = (s: Sample) => s.status >= 200 && s.status < 300;

export const overload: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('overload');
  const bff = new Bff({
    port: ctx.port(),
    dbPath: join(dir, 'meshdeck.db'),
    // A tighter lag bound than the default 100 ms (docs/reliability.md, "Overload"): with the
    // generator's fixed pool of connections the default lets the loop run ~60 ms turns and sheds
    // nothing at 2×; 30 ms sheds the excess and holds the admitted median.
    env: { MESHDECK_MAX_LAG_MS: String(LAG_BOUND_MS) },
  });
  await bff.start();
  const meshId = await createMesh(bff);
  for (let i = 0; i < 20; i += 1) {
    await call('POST', `${bff.oci}/virtualServices`, {
      body: virtualServiceBody(meshId, `load-${i}`),
    });
  }
  const url = `${bff.oci}/virtualServices?compartmentId=${COMPARTMENT}&limit=20`;
  const phaseMs = ctx.full ? 6000 : 3000;

  await closedLoop(url, 8, 1000); // warm up
  const max = await closedLoop(url, 16, phaseMs);
  const maxRate = Math.round(max.filter(ok).length / (phaseMs / 1000));
  const baseline = await openLoop(url, Math.max(1, Math.round(maxRate / 2)), phaseMs);
  const base = baseline.samples.filter(ok).map((s) => s.ms);
  // Twice the measured maximum; when a busy machine made that measurement low and nothing had to
  // be shed, offer 4× and then 8× until something is.
  let multiplier = 2;
  let over = await openLoop(url, maxRate * multiplier, phaseMs);
  while (!over.samples.some((s) => s.status === 429) && multiplier < 8) {
    multiplier *= 2;
    over = await openLoop(url, maxRate * multiplier, phaseMs);
  }
  const admitted = over.samples.filter(ok).map((s) => s.ms);
  const admittedServer = over.samples
    .filter(ok)
    .map((s) => s.serverMs)
    .filter((v): v is number => v !== undefined);
  const baseServer = baseline.samples
    .filter(ok)
    .map((s) => s.serverMs)
    .filter((v): v is number => v !== undefined);
  const shed = over.samples.filter((s) => s.status === 429);
  const fivexx = over.samples.filter((s) => s.status >= 500).length;
  const other = over.samples.filter((s) => !ok(s) && s.status !== 429 && s.status < 500).length;
  const stoppedAt = Date.now();
  let recoveryMs = -1;
  while (Date.now() - stoppedAt < 30_000) {
    const res = await call('GET', url).catch(() => undefined);
    if (res?.status === 200) {
      recoveryMs = Date.now() - stoppedAt;
      break;
    }
    await sleep(50);
  }
  const after = await openLoop(url, Math.max(1, Math.round(maxRate / 2)), 2000);
  const afterOk = after.samples.filter(ok).length / Math.max(1, after.samples.length);
  const stopCode = await bff.stop();

  const figures = {
    maxRate,
    multiplier,
    offeredRate: over.offered,
    connections: CONNECTIONS,
    maxLagMs: LAG_BOUND_MS,
    unsentByGenerator: over.unsent,
    generatorLagP99Ms: over.clientLagP99Ms,
    admittedRate: Math.round(admitted.length / (phaseMs / 1000)),
    shed429: shed.length,
    shedWithRetryAfter: shed.filter((s) => s.retryAfter).length,
    fivexx,
    otherErrors: other,
    baselineP50Ms: Math.round(percentile(base, 50)),
    baselineP99Ms: Math.round(percentile(base, 99)),
    admittedP50Ms: Math.round(percentile(admitted, 50)),
    admittedP99Ms: Math.round(percentile(admitted, 99)),
    baselineServerP99Ms: Math.round(percentile(baseServer, 99) * 10) / 10,
    admittedServerP50Ms: Math.round(percentile(admittedServer, 50) * 10) / 10,
    admittedServerP99Ms: Math.round(percentile(admittedServer, 99) * 10) / 10,
    admittedBoundMs: 0,
    latencyHeld: false,
    recoveryMs,
    servedAfterRecovery: Math.round(afterOk * 100) / 100,
  };
  check(fivexx === 0, `${fivexx} answers were 5xx under overload`);
  check(other === 0, `${other} requests failed otherwise (connection errors, 4xx other than 429)`);
  check(shed.length > 0, `nothing was shed at ${multiplier}× the measured maximum (no 429)`);
  check(
    shed.every((s) => s.retryAfter),
    'a 429 without Retry-After',
  );
  // Admitted requests keep their latency: the median stays under 4× the half-load p99 plus
  // 250 ms (the load generator shares this machine's two cores with the BFF).
  const bound = 4 * figures.baselineP99Ms + 250;
  figures.admittedBoundMs = bound;
  // The full run judges the median; the short run in CI reports it (latencyHeld) without failing,
  // as a CI machine shared with other jobs may stall both processes (docs/reliability.md,
  // "Overload: where the admitted latency goes"; the p99 there is still an open problem).
  const latencyHeld = figures.admittedP50Ms <= bound;
  figures.latencyHeld = latencyHeld;
  if (ctx.full) check(latencyHeld, `admitted median ${figures.admittedP50Ms} ms > ${bound} ms`);
  check(recoveryMs >= 0 && recoveryMs <= 5000, `recovery took ${recoveryMs} ms`);
  check(afterOk >= 0.99, `only ${Math.round(afterOk * 100)} % served after the load stopped`);
  check(stopCode === 0, `stop ${stopCode}`);
  return { pass: failures.length === 0, failures, figures };
};
