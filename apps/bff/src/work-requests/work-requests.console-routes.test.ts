import { describe, expect, it } from 'vitest';
import { createMesh, createTestApp } from '../testing/test-app.ts';

describe('GET /api/work-requests', () => {
  it('lists the work requests of one resource, newest first, with their logs', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'wr-mesh');
    t.clock.advance(1000);
    await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ description: 'second write' })
      .expect(202);
    await t.settle();

    const res = await t.http.get('/api/work-requests').query({ resourceId: mesh.id });
    expect(res.status).toBe(200);
    const items = res.body.items as { operationType: string; status: string; logs: unknown[] }[];
    expect(items.map((w) => w.operationType)).toEqual(['UPDATE_MESH', 'CREATE_MESH']);
    expect(items.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(items[1]?.logs.length).toBeGreaterThan(0);
  });

  it('asks for a resource id', async () => {
    const t = createTestApp();
    const res = await t.http.get('/api/work-requests');
    expect(res.status).toBe(400);
    expect(res.body.details.fieldErrors).toEqual({ resourceId: ['resourceId is required'] });
  });
});
