import express from 'express';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionOptionsFromEnv, createAdmission } from './overload.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real server whose `/slow` answers only when `release()` is called. */
async function serve(options: Parameters<typeof createAdmission>[0]) {
  const waiting: (() => void)[] = [];
  const app = express();
  app.get('/slow', (_req, res) => {
    waiting.push(() => res.json({ ok: true }));
  });
  app.get('/fast', (_req, res) => {
    res.json({ ok: true });
  });
  const admission = createAdmission(options);
  const server = createServer(admission.wrap(app));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const until = async (n: number) => {
    while (waiting.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { url, admission, waiting, until };
}

describe('admission control', () => {
  it('answers 429 with Retry-After beyond the in-flight limit and admits again once one ends', async () => {
    const s = await serve({ maxInFlight: 2, measureLag: () => 0 });
    const first = fetch(`${s.url}/slow`);
    const second = fetch(`${s.url}/slow`);
    await s.until(2);
    const shed = await fetch(`${s.url}/fast`);
    expect(shed.status).toBe(429);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await shed.json()).toEqual({
      code: 'TooManyRequests',
      message: 'the server is overloaded; retry after a second',
    });
    s.waiting.shift()?.();
    expect((await first).status).toBe(200);
    const admitted = await fetch(`${s.url}/fast`);
    expect(admitted.status).toBe(200);
    s.waiting.shift()?.();
    expect((await second).status).toBe(200);
    expect(s.admission.stats()).toMatchObject({ admitted: 3, rejected: 1, inFlight: 0 });
  });

  it('sheds while the event loop lags and recovers as soon as it does not', async () => {
    let lag = 500;
    const s = await serve({ maxLagMs: 100, measureLag: () => lag });
    const shed = await request(s.url)
      .post('/fast')
      .send({ big: 'x'.repeat(10_000) });
    expect(shed.status).toBe(429);
    expect(shed.headers['retry-after']).toBe('1');
    lag = 20;
    expect((await request(s.url).get('/fast')).status).toBe(200);
  });

  it('reads its limits from the environment and refuses bad ones', () => {
    expect(
      admissionOptionsFromEnv({ MESHDECK_MAX_IN_FLIGHT: '64', MESHDECK_MAX_LAG_MS: '150' }),
    ).toEqual({ maxInFlight: 64, maxLagMs: 150 });
    expect(admissionOptionsFromEnv({})).toEqual({});
    expect(() => admissionOptionsFromEnv({ MESHDECK_MAX_IN_FLIGHT: 'lots' })).toThrow(
      'MESHDECK_MAX_IN_FLIGHT must be a positive whole number',
    );
    expect(() => admissionOptionsFromEnv({ MESHDECK_MAX_LAG_MS: '0' })).toThrow(
      'MESHDECK_MAX_LAG_MS must be a positive whole number',
    );
    expect(admissionOptionsFromEnv({ MESHDECK_MAX_QUEUE: '0' })).toEqual({ maxQueue: 0 });
    expect(() => admissionOptionsFromEnv({ MESHDECK_MAX_QUEUE: '-1' })).toThrow(
      'MESHDECK_MAX_QUEUE must be a whole number (0 or more)',
    );
  });

  it('queues a request while every slot is taken, sheds beyond the queue at once, and admits the queued one when a slot frees', async () => {
    const s = await serve({
      maxInFlight: 1,
      maxQueue: 1,
      maxQueueWaitMs: 10_000,
      measureLag: () => 0,
    });
    const first = fetch(`${s.url}/slow`);
    await s.until(1);
    const queued = fetch(`${s.url}/fast`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.admission.stats()).toMatchObject({ inFlight: 1, queued: 1 });
    const shed = await fetch(`${s.url}/fast`);
    expect(shed.status).toBe(429);
    // A shed answer carries the same security headers and a request id as every other answer.
    expect(shed.headers.get('opc-request-id')).toMatch(/^[A-Z0-9]{32}$/);
    expect(shed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(shed.headers.get('x-frame-options')).toBe('DENY');
    expect(shed.headers.get('server-timing')).toBeNull();
    s.waiting.shift()?.();
    expect((await first).status).toBe(200);
    const answer = await queued;
    expect(answer.status).toBe(200);
    // The queued request's server-side time includes its wait (≥ 50 ms above).
    const timing = /^total;dur=([\d.]+)$/.exec(answer.headers.get('server-timing') ?? '');
    expect(Number(timing?.[1])).toBeGreaterThanOrEqual(40);
    expect(s.admission.stats()).toMatchObject({ admitted: 2, rejected: 1, inFlight: 0, queued: 0 });
  });

  it('answers 429 to a queued request that waited longer than the queue allows', async () => {
    const s = await serve({ maxInFlight: 1, maxQueue: 4, maxQueueWaitMs: 30, measureLag: () => 0 });
    const first = fetch(`${s.url}/slow`);
    await s.until(1);
    const waited = await fetch(`${s.url}/fast`);
    expect(waited.status).toBe(429);
    expect(waited.headers.get('retry-after')).toBe('1');
    s.waiting.shift()?.();
    expect((await first).status).toBe(200);
    expect(s.admission.stats()).toMatchObject({ admitted: 1, rejected: 1, queued: 0 });
  });
});
