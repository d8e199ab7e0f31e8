import { describe, expect, it } from 'vitest';
import { COMPARTMENT_ID, createMesh, createTestApp } from '../testing/test-app.ts';

describe('work requests', () => {
  it('records one finished work request per write and lists them newest first', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    t.clock.advance(1000);
    const update = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ description: 'x' })
      .expect(202);
    t.clock.advance(1000);
    await t.http.delete(`/20220615/meshes/${mesh.id}`).expect(202);

    const list = await t.http.get(`/20220615/workRequests?compartmentId=${COMPARTMENT_ID}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { operationType: string }) => w.operationType)).toEqual([
      'DELETE_MESH',
      'UPDATE_MESH',
      'CREATE_MESH',
    ]);
    for (const wr of list.body.items) {
      expect(wr).toMatchObject({ status: 'SUCCEEDED', percentComplete: 100 });
      expect(wr.timeFinished).toBe(wr.timeAccepted);
    }

    const byResource = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}&sortOrder=ASC&limit=1`,
    );
    expect(byResource.body.items[0].operationType).toBe('CREATE_MESH');
    const next = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}&sortOrder=ASC&limit=1&page=${byResource.headers['opc-next-page']}`,
    );
    expect(next.body.items[0].operationType).toBe('UPDATE_MESH');

    const one = await t.http.get(`/20220615/workRequests/${update.headers['opc-work-request-id']}`);
    expect(one.body).toMatchObject({
      operationType: 'UPDATE_MESH',
      resources: [
        {
          entityType: 'Mesh',
          actionType: 'UPDATED',
          identifier: mesh.id,
          entityUri: `/20220615/meshes/${mesh.id}`,
        },
      ],
    });
    expect((await t.http.get(`/20220615/workRequests/${one.body.id}/errors`)).body).toEqual({
      items: [],
    });
  });

  it('requires a compartmentId and answers 404 for an unknown id', async () => {
    const t = createTestApp();
    expect((await t.http.get('/20220615/workRequests')).body.code).toBe('MissingParameter');
    expect((await t.http.get('/20220615/workRequests/nope')).status).toBe(404);
  });

  it('names the proxy image', async () => {
    const t = createTestApp({ config: { proxyImage: 'example/proxy:1' } });
    const res = await t.http.get('/20220615/proxyDetails');
    expect(res.body).toEqual({ proxyImage: 'example/proxy:1' });
  });
});
