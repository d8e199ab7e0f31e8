import { describe, expect, it } from 'vitest';
import {
  COMPARTMENT_ID,
  createMesh,
  createRouteTable,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
} from '../testing/test-app.ts';

describe('virtual deployments on the OCI face', () => {
  it('creates, reads, lists, updates and deletes a virtual deployment', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'reviews');
    const created = await t.http.post('/20220615/virtualDeployments').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: vs.id,
      name: 'reviews-v1',
      serviceDiscovery: { type: 'DNS', hostname: 'reviews' },
      listeners: [{ protocol: 'HTTP', port: 9080, requestTimeoutInMs: 0 }],
      accessLogging: { isEnabled: true },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      virtualServiceId: vs.id,
      name: 'reviews-v1',
      serviceDiscovery: { type: 'DNS', hostname: 'reviews' },
      listeners: [{ protocol: 'HTTP', port: 9080, requestTimeoutInMs: 0 }],
      accessLogging: { isEnabled: true },
      lifecycleState: 'CREATING',
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^ocid1\.meshvirtualdeployment\./);
    await t.settle();
    expect((await t.http.get(`/20220615/virtualDeployments/${id}`)).body.lifecycleState).toBe(
      'ACTIVE',
    );

    const list = await t.http.get(
      `/20220615/virtualDeployments?compartmentId=${COMPARTMENT_ID}&virtualServiceId=${vs.id}&name=reviews-v1`,
    );
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([id]);

    await t.http
      .put(`/20220615/virtualDeployments/${id}`)
      .send({ listeners: [{ protocol: 'GRPC', port: 9090 }] })
      .expect(202);
    await t.settle();
    const read = await t.http.get(`/20220615/virtualDeployments/${id}`);
    expect(read.body.listeners).toEqual([{ protocol: 'GRPC', port: 9090 }]);
    expect(read.body.serviceDiscovery).toEqual({ type: 'DNS', hostname: 'reviews' });

    await t.http.delete(`/20220615/virtualDeployments/${id}`).expect(202);
    await t.settle();
    expect((await t.http.get(`/20220615/virtualDeployments/${id}`)).body.lifecycleState).toBe(
      'DELETED',
    );
  });

  it('refuses a deployment under a deleting (409) or deleted (400) virtual service', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'reviews');
    await t.http.delete(`/20220615/virtualServices/${vs.id}`).expect(202);
    const body = { compartmentId: COMPARTMENT_ID, virtualServiceId: vs.id, name: 'reviews-v1' };
    const deleting = await t.http.post('/20220615/virtualDeployments').send(body);
    expect(deleting.status).toBe(409);
    expect(deleting.body).toMatchObject({
      code: 'Conflict',
      message: 'virtual service reviews is DELETING',
    });
    await t.settle();
    const res = await t.http.post('/20220615/virtualDeployments').send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RelatedResourceNotAuthorizedOrNotFound');
    expect(res.body.message).toBe(`virtual service ${vs.id} not found`);
  });

  it('refuses to delete a deployment a route table still routes to', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'reviews');
    const vd = await createVirtualDeployment(t, vs.id, 'reviews-v1');
    await createRouteTable(t, vs.id, 'reviews-rt', [[vd.id, 100]]);
    const res = await t.http.delete(`/20220615/virtualDeployments/${vd.id}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      'cannot delete virtual deployment reviews-v1: in use by virtual service route table reviews-rt',
    );
  });
});
