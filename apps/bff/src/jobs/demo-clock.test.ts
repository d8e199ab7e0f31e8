import { signedInAgent } from '../testing/test-app.ts';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import {
  createAuthority,
  createCertTestApp,
  createMeshWithCa,
  createService,
  getCertificate,
} from '../certificates/certificate-testing.ts';
import { createOffsetClock, systemClock } from '../clock.ts';
import { openTestDb } from '../testing/test-db.ts';
import { silentLogger } from '../logger.ts';
import { loadDemoClockOffset, saveDemoClockOffset } from './demo-clock.ts';

describe('demo clock', () => {
  it('tells the time and whether it can be advanced', async () => {
    const t = createCertTestApp();
    const res = await t.http.get('/api/clock');
    expect(res.body).toEqual({ now: '2025-03-01T00:00:00.000Z', demo: true, offsetMs: null });
  });

  it('advances and runs the renewals that fell due before answering', async () => {
    const t = createCertTestApp();
    const ca = await createAuthority(t, { validityDays: 3650 });
    const mesh = await createMeshWithCa(t, 'retail-mesh', ca.id);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    const res = await t.http.post('/api/demo/clock/advance').send({ seconds: 30 * 86_400 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ now: '2025-03-31T00:00:00.000Z', demo: true });
    expect(res.body.jobs.rescheduled).toBeGreaterThanOrEqual(1);
    expect(await getCertificate(t, vs.certificateId)).toMatchObject({
      currentVersion: 2,
      renewAt: '2025-04-30T00:00:00.000Z',
    });
  });

  it('rejects a bad amount', async () => {
    const t = createCertTestApp();
    for (const seconds of [0, -5, 1.5, '60', 400 * 86_400 + 1]) {
      const res = await t.http.post('/api/demo/clock/advance').send({ seconds });
      expect(res.status).toBe(400);
    }
    expect((await t.http.get('/api/clock')).body.now).toBe('2025-03-01T00:00:00.000Z');
  });

  it('is not there outside demo mode', async () => {
    const db = openTestDb();
    const app = createApp({
      db,
      clock: createOffsetClock(),
      logger: silentLogger,
      config: { ociAuth: 'none' },
    });
    const http = signedInAgent(app, db, createOffsetClock(), 'admin');
    const res = await http.post('/api/demo/clock/advance').send({ seconds: 60 });
    expect(res.status).toBe(404);
    expect((await http.get('/api/clock')).body.demo).toBe(false);
  });

  it('keeps its offset in the database, so a restart shows the same time', () => {
    const db = openTestDb();
    expect(loadDemoClockOffset(db)).toBe(0);
    const base = { now: () => new Date('2025-03-01T00:00:00.000Z') };
    const clock = createOffsetClock({
      base,
      offsetMs: loadDemoClockOffset(db),
      onAdvance: (offset) => saveDemoClockOffset(db, offset),
    });
    clock.advance(86_400_000);
    clock.advance(1_000);
    const restarted = createOffsetClock({ base, offsetMs: loadDemoClockOffset(db) });
    expect(restarted.now().toISOString()).toBe('2025-03-02T00:00:01.000Z');
    expect(restarted.offsetMs()).toBe(86_401_000);
    expect(createOffsetClock().now().getTime()).toBeGreaterThanOrEqual(
      systemClock.now().getTime() - 1000,
    );
  });
});
