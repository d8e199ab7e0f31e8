import { describe, expect, it } from 'vitest';
import {
  CA_ID,
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  createVirtualService,
} from '../testing/test-app.ts';

describe('meshes on the OCI face', () => {
  it('creates a mesh as CREATING with etag, work request and location, and a job makes it ACTIVE', async () => {
    const t = createTestApp();
    const res = await t.http.post('/20220615/meshes').send({
      compartmentId: COMPARTMENT_ID,
      displayName: 'retail mesh',
      description: 'shop',
      certificateAuthorities: [{ id: CA_ID }],
      mtls: { minimum: 'PERMISSIVE' },
      freeformTags: { team: 'shop' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      displayName: 'retail mesh',
      description: 'shop',
      compartmentId: COMPARTMENT_ID,
      certificateAuthorities: [{ id: CA_ID }],
      mtls: { minimum: 'PERMISSIVE' },
      freeformTags: { team: 'shop' },
      lifecycleState: 'CREATING',
      timeCreated: '2025-03-01T00:00:00.000Z',
    });
    expect(res.body.id).toMatch(/^ocid1\.servicemesh\./);
    expect(res.body).not.toHaveProperty('etag');
    expect(res.headers.etag).toBeTruthy();
    expect(res.headers.location).toBe(`/20220615/meshes/${res.body.id}`);
    const wrPath = `/20220615/workRequests/${res.headers['opc-work-request-id']}`;
    const accepted = await t.http.get(wrPath);
    expect(accepted.status).toBe(200);
    expect(accepted.headers['retry-after']).toBe('1');
    expect(accepted.body).toMatchObject({
      operationType: 'CREATE_MESH',
      status: 'ACCEPTED',
      percentComplete: 0,
      timeAccepted: '2025-03-01T00:00:00.000Z',
      resources: [{ actionType: 'IN_PROGRESS', identifier: res.body.id }],
    });
    expect(accepted.body).not.toHaveProperty('timeFinished');

    t.clock.advance(2000);
    await t.settle();
    const read = await t.http.get(`/20220615/meshes/${res.body.id}`);
    expect(read.body).toMatchObject({ lifecycleState: 'ACTIVE', displayName: 'retail mesh' });
    expect(read.headers.etag).not.toBe(res.headers.etag);
    const wr = await t.http.get(wrPath);
    expect(wr.headers['retry-after']).toBeUndefined();
    expect(wr.body).toMatchObject({
      operationType: 'CREATE_MESH',
      status: 'SUCCEEDED',
      percentComplete: 100,
      timeStarted: '2025-03-01T00:00:02.000Z',
      timeFinished: '2025-03-01T00:00:02.000Z',
      resources: [{ actionType: 'CREATED', identifier: res.body.id }],
    });
  });

  it('reads a mesh back with the same etag it was created with', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const res = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(mesh.etag);
    expect(res.body.displayName).toBe('m1');
  });

  it('answers 404 NotAuthorizedOrNotFound for an unknown mesh id', async () => {
    const t = createTestApp();
    const res = await t.http.get('/20220615/meshes/ocid1.servicemesh.oc1..nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'NotAuthorizedOrNotFound',
      message: 'mesh ocid1.servicemesh.oc1..nope not found',
    });
  });

  it('materialises minimum STRICT for a mesh created without mtls (A4)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'warehouse-mesh');
    expect(mesh.mtls).toEqual({ minimum: 'STRICT' });
    const res = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(res.body.mtls).toEqual({ minimum: 'STRICT' });
  });

  it('rejects a PERMISSIVE service in a mesh created without mtls (A4)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'warehouse-mesh');
    const res = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'picking',
      mtls: { mode: 'PERMISSIVE' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RuleViolation');
    expect(res.body.details.fieldErrors).toEqual({
      'mtls.mode': ['PERMISSIVE is less strict than mesh minimum STRICT'],
    });
  });

  it('refuses a create with two certificate authorities', async () => {
    const t = createTestApp();
    const res = await t.http.post('/20220615/meshes').send({
      compartmentId: COMPARTMENT_ID,
      displayName: 'm',
      certificateAuthorities: [{ id: CA_ID }, { id: 'ocid1.certificateauthority.oc1..b' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
    expect(res.body.details.fieldErrors.certificateAuthorities).toEqual([
      'exactly one certificate authority is supported',
    ]);
  });

  it('updates only the fields a PUT names and answers 202 with a work request', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1', 'PERMISSIVE', { description: 'before' });
    t.clock.advance(1000);
    const res = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ description: 'after', freeformTags: { a: 'b' } });
    expect(res.status).toBe(202);
    expect(res.headers['opc-work-request-id']).toMatch(/^ocid1\.meshworkrequest\./);
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.body).toMatchObject({
      displayName: 'm1',
      description: 'after',
      freeformTags: { a: 'b' },
      mtls: { minimum: 'PERMISSIVE' },
      timeUpdated: '2025-03-01T00:00:01.000Z',
    });
    expect(read.headers.etag).not.toBe(mesh.etag);
  });

  it('treats a PUT without a body as a no-op that keeps the etag', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const res = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .set('content-type', 'application/json');
    expect(res.status).toBe(202);
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.headers.etag).toBe(mesh.etag);
  });

  it('refuses a PUT whose if-match names an older version with 412 and changes nothing', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .set('if-match', mesh.etag)
      .send({ description: 'v2' })
      .expect(202);
    await t.settle();
    const stale = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .set('if-match', mesh.etag)
      .send({ description: 'v3' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('NoEtagMatch');
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.body.description).toBe('v2');
    const del = await t.http.delete(`/20220615/meshes/${mesh.id}`).set('if-match', mesh.etag);
    expect(del.status).toBe(412);
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.lifecycleState).toBe('ACTIVE');
  });

  it('deletes with the current etag and keeps the mesh readable as DELETED', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const res = await t.http.delete(`/20220615/meshes/${mesh.id}`).set('if-match', mesh.etag);
    expect(res.status).toBe(202);
    expect(res.headers['opc-work-request-id']).toBeTruthy();
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.lifecycleState).toBe('DELETING');
    await t.settle();
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.status).toBe(200);
    expect(read.body.lifecycleState).toBe('DELETED');
    const list = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
    expect(list.body.items).toEqual([]);
    const deleted = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&lifecycleState=DELETED`,
    );
    expect(deleted.body.items.map((m: { id: string }) => m.id)).toEqual([mesh.id]);
  });

  it('refuses to delete a mesh that still has live children, naming them (409)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    await createVirtualService(t, mesh.id, 'cart');
    await createVirtualService(t, mesh.id, 'orders');
    const res = await t.http.delete(`/20220615/meshes/${mesh.id}`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('Conflict');
    expect(res.body.message).toBe('cannot delete mesh m1: in use by virtual services cart, orders');
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.lifecycleState).toBe('ACTIVE');
  });

  it('moves a mesh to another compartment with changeCompartment', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const res = await t.http
      .post(`/20220615/meshes/${mesh.id}/actions/changeCompartment`)
      .send({ compartmentId: 'ocid1.compartment.oc1..other' });
    expect(res.status).toBe(202);
    const wr = await t.http.get(`/20220615/workRequests/${res.headers['opc-work-request-id']}`);
    expect(wr.body.operationType).toBe('MOVE_MESH');
    await t.settle();
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.body.compartmentId).toBe('ocid1.compartment.oc1..other');
    expect(read.body.lifecycleState).toBe('ACTIVE');
  });
});

describe('listing meshes', () => {
  async function threeMeshes() {
    const t = createTestApp();
    const ids: string[] = [];
    for (const name of ['bravo', 'alpha', 'charlie']) {
      ids.push((await createMesh(t, name)).id);
      t.clock.advance(1000);
    }
    return { t, ids };
  }
  const names = (body: { items: { displayName: string }[] }) =>
    body.items.map((m) => m.displayName);

  it('requires compartmentId (400 MissingParameter)', async () => {
    const t = createTestApp();
    const res = await t.http.get('/20220615/meshes');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'MissingParameter',
      message: 'compartmentId is required',
    });
  });

  it('sorts by timeCreated newest first by default', async () => {
    const { t } = await threeMeshes();
    const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['charlie', 'alpha', 'bravo']);
  });

  it('sorts by displayName ascending by default and descending when asked', async () => {
    const { t } = await threeMeshes();
    const asc = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&sortBy=displayName`,
    );
    expect(names(asc.body)).toEqual(['alpha', 'bravo', 'charlie']);
    const desc = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&sortBy=displayName&sortOrder=DESC`,
    );
    expect(names(desc.body)).toEqual(['charlie', 'bravo', 'alpha']);
  });

  it('pages with an opaque opc-next-page token until the last page', async () => {
    const { t } = await threeMeshes();
    const base = `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&sortBy=displayName&limit=2`;
    const first = await t.http.get(base);
    expect(names(first.body)).toEqual(['alpha', 'bravo']);
    const token = first.headers['opc-next-page'] as string;
    expect(token).toBeTruthy();
    const second = await t.http.get(`${base}&page=${token}`);
    expect(names(second.body)).toEqual(['charlie']);
    expect(second.headers['opc-next-page']).toBeUndefined();
  });

  it('filters by exact displayName, id and compartment', async () => {
    const { t, ids } = await threeMeshes();
    const byName = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&displayName=alpha`,
    );
    expect(names(byName.body)).toEqual(['alpha']);
    const partial = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&displayName=alp`,
    );
    expect(partial.body.items).toEqual([]);
    const byId = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}&id=${ids[0]}`);
    expect(names(byId.body)).toEqual(['bravo']);
    const other = await t.http.get('/20220615/meshes?compartmentId=ocid1.compartment.oc1..other');
    expect(other.body.items).toEqual([]);
  });

  it('returns summaries without fields the summary model does not have', async () => {
    const { t } = await threeMeshes();
    const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}&limit=1`);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(
      [
        'compartmentId',
        'displayName',
        'id',
        'lifecycleState',
        'mtls',
        'timeCreated',
        'timeUpdated',
      ].sort(),
    );
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['sortBy=name', 'sortBy'],
    ['sortOrder=UP', 'sortOrder'],
    ['lifecycleState=GONE', 'lifecycleState'],
    ['page=garbage', 'page'],
  ])('answers 400 InvalidParameter for %s', async (query, field) => {
    const t = createTestApp();
    const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}&${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
    expect(Object.keys(res.body.details.fieldErrors)).toEqual([field]);
  });
});

describe('changing a mesh minimum', () => {
  it('blocks a raise over services that declare a weaker mode, never over inheriting ones (A6)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const ledger = await createVirtualService(t, mesh.id, 'ledger-r', 'PERMISSIVE');
    await createVirtualService(t, mesh.id, 'orders');
    t.clock.advance(60_000);

    const refused = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ mtls: { minimum: 'STRICT' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('Conflict');
    expect(refused.body.message).toBe(
      'cannot raise the mesh minimum to STRICT: ledger-r declares a less strict mode',
    );
    expect(refused.body.message).not.toContain('orders');
    expect(refused.body.details.findings).toEqual([
      expect.objectContaining({ code: 'MESH001', path: 'mtls.minimum' }),
    ]);
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.mtls.minimum).toBe('PERMISSIVE');

    await t.http
      .put(`/20220615/virtualServices/${ledger.id}`)
      .send({ mtls: { mode: 'STRICT' } })
      .expect(202);
    const accepted = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ mtls: { minimum: 'STRICT' } });
    expect(accepted.status).toBe(202);
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.mtls.minimum).toBe('STRICT');
  });

  it('moves one step at a time and 30 s apart, with Retry-After while propagating (A10)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const put = (minimum: string) =>
      t.http.put(`/20220615/meshes/${mesh.id}`).send({ mtls: { minimum } });
    const minimum = async () =>
      (await t.http.get(`/20220615/meshes/${mesh.id}`)).body.mtls.minimum as string;

    const skip = await put('STRICT');
    expect(skip.status).toBe(422);
    expect(skip.body.message).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
    expect(await minimum()).toBe('DISABLED');

    expect((await put('PERMISSIVE')).status).toBe(202);
    await t.settle();

    t.clock.advance(29_000);
    const early = await put('STRICT');
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.body.message).toBe('the last mTLS change is still propagating: wait 1 s');
    expect(await minimum()).toBe('PERMISSIVE');

    t.clock.advance(1_000);
    expect((await put('STRICT')).status).toBe(202);
    await t.settle();
    expect(await minimum()).toBe('STRICT');

    t.clock.advance(30_000);
    const down = await put('DISABLED');
    expect(down.status).toBe(422);
    expect(down.body.message).toBe('one step at a time: STRICT→PERMISSIVE→DISABLED');
  });

  it('starts the 30 s timer of inheriting services when the minimum changes', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    const ledger = await createVirtualService(t, mesh.id, 'ledger', 'STRICT');
    t.clock.advance(5_000);
    await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ mtls: { minimum: 'DISABLED' } })
      .expect(202);

    const ordersRead = await t.http.get(`/20220615/virtualServices/${orders.id}`);
    expect(ordersRead.body.mtls.mode).toBe('DISABLED');
    expect(ordersRead.headers.etag).not.toBe(orders.etag);
    const view = await t.http.get(`/api/virtual-services/${orders.id}`);
    expect(view.body.mtlsView).toMatchObject({
      declared: null,
      effective: 'DISABLED',
      lastChangedAt: '2025-03-01T00:00:05.000Z',
    });
    const ledgerView = await t.http.get(`/api/virtual-services/${ledger.id}`);
    expect(ledgerView.body.mtlsView.lastChangedAt).toBeNull();

    t.clock.advance(10_000);
    const early = await t.http
      .put(`/20220615/virtualServices/${orders.id}`)
      .send({ mtls: { mode: 'PERMISSIVE' } });
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('20');
    t.clock.advance(20_000);
    await t.http
      .put(`/20220615/virtualServices/${orders.id}`)
      .send({ mtls: { mode: 'PERMISSIVE' } })
      .expect(202);
  });
});
