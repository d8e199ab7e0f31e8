import { describe, expect, it } from 'vitest';
import {
  allow,
  COMPARTMENT_ID,
  createAccessPolicy,
  createMesh,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  vsTarget,
} from '../testing/test-app.ts';

describe('virtual services on the OCI face', () => {
  it('creates, reads, lists, updates and deletes a virtual service', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const created = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'cart',
      description: 'the cart',
      hosts: ['cart', 'cart:8080'],
      defaultRoutingPolicy: { type: 'UNIFORM' },
      mtls: { mode: 'STRICT', maximumValidity: 60 },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      meshId: mesh.id,
      name: 'cart',
      hosts: ['cart', 'cart:8080'],
      defaultRoutingPolicy: { type: 'UNIFORM' },
      lifecycleState: 'CREATING',
      mtls: { mode: 'STRICT', maximumValidity: 60 },
    });
    expect(created.body.mtls.certificateId).toMatch(/^ocid1\.certificate\./);
    expect(created.headers.location).toBe(`/20220615/virtualServices/${created.body.id}`);
    const id = created.body.id as string;
    await t.settle();
    expect((await t.http.get(`/20220615/virtualServices/${id}`)).body.lifecycleState).toBe(
      'ACTIVE',
    );

    const list = await t.http.get(
      `/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}&meshId=${mesh.id}`,
    );
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, name: 'cart', meshId: mesh.id, description: 'the cart' }),
    ]);
    expect(list.body.items[0]).not.toHaveProperty('hosts');
    const otherMesh = await t.http.get(
      `/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}&meshId=ocid1.servicemesh.oc1..x`,
    );
    expect(otherMesh.body.items).toEqual([]);

    await t.http
      .put(`/20220615/virtualServices/${id}`)
      .send({ hosts: ['cart2'] })
      .expect(202);
    const updating = await t.http.get(`/20220615/virtualServices/${id}`);
    expect(updating.body).toMatchObject({ lifecycleState: 'UPDATING', hosts: ['cart2'] });
    await t.settle();
    const read = await t.http.get(`/20220615/virtualServices/${id}`);
    expect(read.body).toMatchObject({
      lifecycleState: 'ACTIVE',
      hosts: ['cart2'],
      description: 'the cart',
    });
    expect(read.body.mtls).toMatchObject({ mode: 'STRICT', maximumValidity: 60 });

    await t.http.delete(`/20220615/virtualServices/${id}`).expect(202);
    expect((await t.http.get(`/20220615/virtualServices/${id}`)).body.lifecycleState).toBe(
      'DELETING',
    );
    await t.settle();
    expect((await t.http.get(`/20220615/virtualServices/${id}`)).body.lifecycleState).toBe(
      'DELETED',
    );
  });

  it('refuses a second live service with the same name in one mesh (409) but allows it after delete', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const first = await createVirtualService(t, mesh.id, 'cart');
    const dup = await t.http
      .post('/20220615/virtualServices')
      .send({ compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'cart' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe('a virtual service named cart already exists in mesh m');
    await t.http.delete(`/20220615/virtualServices/${first.id}`).expect(202);
    // A DELETING service still holds its name; once DELETED it does not.
    expect(
      (
        await t.http
          .post('/20220615/virtualServices')
          .send({ compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'cart' })
      ).status,
    ).toBe(409);
    await t.settle();
    await createVirtualService(t, mesh.id, 'cart');
  });

  it('refuses a service under a missing mesh with 400 RelatedResourceNotAuthorizedOrNotFound', async () => {
    const t = createTestApp();
    const res = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId: 'ocid1.servicemesh.oc1..gone',
      name: 'cart',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'RelatedResourceNotAuthorizedOrNotFound',
      message: 'mesh ocid1.servicemesh.oc1..gone not found',
      details: { fieldErrors: { meshId: ['mesh ocid1.servicemesh.oc1..gone not found'] } },
    });
  });

  it('refuses to delete a service that still has deployments or is named by a policy', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const cart = await createVirtualService(t, mesh.id, 'cart');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    await createVirtualDeployment(t, cart.id, 'cart-v1');
    await createAccessPolicy(t, mesh.id, 'cart-to-orders', [
      allow(vsTarget(cart.id), vsTarget(orders.id)),
    ]);
    const withChild = await t.http.delete(`/20220615/virtualServices/${cart.id}`);
    expect(withChild.status).toBe(409);
    expect(withChild.body.message).toBe(
      'cannot delete virtual service cart: in use by virtual deployment cart-v1; access policy cart-to-orders',
    );
    const referenced = await t.http.delete(`/20220615/virtualServices/${orders.id}`);
    expect(referenced.status).toBe(409);
    expect(referenced.body.message).toContain('access policy cart-to-orders');
  });
});

describe('virtual service mTLS rules', () => {
  it('accepts a service stricter than the mesh minimum and only rejects DISABLED (A2)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const created = await t.http.post('/api/virtual-services').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'ledger2',
      mtls: { mode: 'STRICT' },
    });
    expect(created.status).toBe(201);
    expect(created.body.mtlsView).toMatchObject({ declared: 'STRICT', effective: 'STRICT' });
    const detail = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(detail.body.findings).toEqual([]);

    const edit = await t.http
      .put(`/api/virtual-services/${created.body.id}`)
      .send({ mtls: { mode: 'PERMISSIVE' } });
    expect(edit.status).toBe(200);
    expect(edit.body.mtlsView).toMatchObject({ declared: 'PERMISSIVE', effective: 'PERMISSIVE' });

    const disabled = await t.http
      .put(`/api/virtual-services/${created.body.id}`)
      .send({ mtls: { mode: 'DISABLED' } });
    expect(disabled.status).toBe(422);
    expect(disabled.body.message).toBe('DISABLED is less strict than mesh minimum PERMISSIVE');
  });

  it('leaves mTLS and its timer untouched by updates without an mtls key (A5)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const ledger = await createVirtualService(t, mesh.id, 'ledger', 'STRICT');
    t.clock.advance(1_000);
    const first = await t.http
      .put(`/api/virtual-services/${ledger.id}`)
      .send({ description: 'ledger v2' });
    expect(first.status).toBe(200);
    const second = await t.http
      .put(`/api/virtual-services/${ledger.id}`)
      .send({ hosts: ['ledger.payments.svc'] });
    expect(second.status).toBe(200);
    expect(second.body.description).toBe('ledger v2');
    expect(second.body.mtlsView).toEqual({
      declared: 'STRICT',
      effective: 'STRICT',
      inherited: false,
      label: 'STRICT',
      lastChangedAt: null,
    });
    const oci = await t.http.get(`/20220615/virtualServices/${ledger.id}`);
    expect(oci.body.mtls.mode).toBe('STRICT');
  });

  it('lists both field errors at once when the name is empty and the mode is below the minimum (F2)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const res = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: '',
      mtls: { mode: 'PERMISSIVE' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
    expect(res.body.details.fieldErrors).toEqual({
      name: expect.arrayContaining(['required']),
      'mtls.mode': ['PERMISSIVE is less strict than mesh minimum STRICT'],
    });
  });

  it('rejects a raw DISABLED service in a STRICT mesh with 422 (F3)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const res = await t.http.post('/api/virtual-services').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'x',
      mtls: { mode: 'DISABLED' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RuleViolation');
    expect(res.body.message).toBe('DISABLED is less strict than mesh minimum STRICT');
    expect(res.body.details.findings).toEqual([
      expect.objectContaining({ code: 'VS001', path: 'mtls.mode' }),
    ]);
    const list = await t.http.get(`/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}`);
    expect(list.body.items).toEqual([]);
  });

  it('inherits when mode is omitted and refuses an empty-string mode (F6)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const inherit = await t.http
      .post('/api/virtual-services')
      .send({ compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'orders', mtls: {} });
    expect(inherit.status).toBe(201);
    const read = await t.http.get(`/api/virtual-services/${inherit.body.id}`);
    expect(read.body.mtlsView).toMatchObject({
      declared: null,
      effective: 'PERMISSIVE',
      inherited: true,
      label: 'PERMISSIVE · inherited from mesh',
    });
    expect(read.body.meshMinimum).toBe('PERMISSIVE');

    const empty = await t.http.post('/api/virtual-services').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'cart',
      mtls: { mode: '' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.details.fieldErrors).toEqual({
      'mtls.mode': ['mode must be DISABLED, PERMISSIVE, STRICT or omitted'],
    });
    const list = await t.http.get(`/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}`);
    expect(list.body.items.map((v: { name: string }) => v.name)).toEqual(['orders']);
  });

  it('refuses a body with a __proto__ key and pollutes no prototype (G1)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const res = await t.http
      .post('/20220615/virtualServices')
      .set('content-type', 'application/json')
      .send(
        `{"compartmentId":"${COMPARTMENT_ID}","meshId":"${mesh.id}","name":"orders2","__proto__":{"isAdmin":true,"mtls":{"mode":"DISABLED"}}}`,
      );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('unknown field __proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).mtls).toBeUndefined();

    const nested = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .set('content-type', 'application/json')
      .send('{"freeformTags":{"constructor":{"prototype":{"isAdmin":true}}}}');
    expect(nested.status).toBe(400);
    expect(nested.body.details.fieldErrors).toEqual({
      'freeformTags.constructor': ['unknown field constructor'],
    });

    const after = await createVirtualService(t, mesh.id, 'orders2');
    expect(after.mtls).toMatchObject({ mode: 'PERMISSIVE' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses an unknown field by name', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const res = await t.http
      .post('/20220615/virtualServices')
      .send({ compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'a', isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.body.details.fieldErrors).toEqual({ isAdmin: ['unknown field isAdmin'] });
  });

  it('moves a declared mode one step at a time, 30 s apart (A10 for services)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const vs = await createVirtualService(t, mesh.id, 's1', 'DISABLED');
    const put = (mode: string) =>
      t.http.put(`/20220615/virtualServices/${vs.id}`).send({ mtls: { mode } });
    const skip = await put('STRICT');
    expect(skip.status).toBe(422);
    expect(skip.body.message).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
    expect((await put('PERMISSIVE')).status).toBe(202);
    await t.settle();
    t.clock.advance(29_000);
    const early = await put('STRICT');
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    expect((await put('STRICT')).status).toBe(202);
    await t.settle();
    expect((await t.http.get(`/20220615/virtualServices/${vs.id}`)).body.mtls.mode).toBe('STRICT');
  });

  it('shows the effective mode in the OCI read of an inheriting service', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'orders');
    expect(vs.mtls).toMatchObject({ mode: 'PERMISSIVE', maximumValidity: 45 });
  });
});
