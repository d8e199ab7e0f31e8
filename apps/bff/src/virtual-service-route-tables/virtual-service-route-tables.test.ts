import { describe, expect, it } from 'vitest';
import {
  COMPARTMENT_ID,
  createMesh,
  createRouteTable,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

async function paymentsService(t: TestApp) {
  const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
  const vs = await createVirtualService(t, mesh.id, 'payments');
  const green = await createVirtualDeployment(t, vs.id, 'green');
  const blue = await createVirtualDeployment(t, vs.id, 'blue');
  return { mesh, vs, green, blue };
}

describe('virtual service route tables on the OCI face', () => {
  it('creates, reads, lists, updates and deletes a route table, always emitting destination types', async () => {
    const t = createTestApp();
    const { vs, green, blue } = await paymentsService(t);
    const created = await t.http.post('/20220615/virtualServiceRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: vs.id,
      name: 'payments-rt',
      priority: 5,
      routeRules: [
        {
          type: 'HTTP',
          path: '/',
          pathType: 'PREFIX',
          destinations: [
            { virtualDeploymentId: green.id, weight: 50 },
            { virtualDeploymentId: blue.id, weight: 50 },
          ],
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.routeRules[0].destinations).toEqual([
      { type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: green.id, weight: 50 },
      { type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: blue.id, weight: 50 },
    ]);
    const id = created.body.id as string;
    await t.settle();

    const list = await t.http.get(
      `/20220615/virtualServiceRouteTables?compartmentId=${COMPARTMENT_ID}&virtualServiceId=${vs.id}`,
    );
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, name: 'payments-rt', priority: 5, virtualServiceId: vs.id }),
    ]);
    expect(list.body.items[0]).not.toHaveProperty('routeRules');

    await t.http
      .put(`/20220615/virtualServiceRouteTables/${id}`)
      .send({ description: 'canary' })
      .expect(202);
    await t.settle();
    const read = await t.http.get(`/20220615/virtualServiceRouteTables/${id}`);
    expect(read.body).toMatchObject({ description: 'canary', priority: 5 });
    expect(read.body.routeRules).toHaveLength(1);

    await t.http.delete(`/20220615/virtualServiceRouteTables/${id}`).expect(202);
    await t.settle();
    expect(
      (await t.http.get(`/20220615/virtualServiceRouteTables/${id}`)).body.lifecycleState,
    ).toBe('DELETED');
  });

  it('keeps the priority through create and update, zero included (C2)', async () => {
    const t = createTestApp();
    const { vs, green } = await paymentsService(t);
    const rt = await createRouteTable(t, vs.id, 'rt-store', [[green.id, 100]], { priority: 10 });
    expect(rt.priority).toBe(10);
    await t.http
      .put(`/20220615/virtualServiceRouteTables/${rt.id}`)
      .send({ priority: 0 })
      .expect(202);
    const read = await t.http.get(`/20220615/virtualServiceRouteTables/${rt.id}`);
    expect(read.body.priority).toBe(0);
  });

  it('rejects all-zero weights, accepts a zero beside 100 and rejects negative weights (C4)', async () => {
    const t = createTestApp();
    const { vs, green, blue } = await paymentsService(t);
    const post = (g: number, b: number) =>
      t.http.post('/20220615/virtualServiceRouteTables').send({
        compartmentId: COMPARTMENT_ID,
        virtualServiceId: vs.id,
        name: `payments-rt-${g}-${b}`.replace('-', '_').replace(/-/g, '_'),
        routeRules: [
          {
            type: 'HTTP',
            destinations: [
              { virtualDeploymentId: green.id, weight: g },
              { virtualDeploymentId: blue.id, weight: b },
            ],
          },
        ],
      });
    const a = await post(0, 0);
    expect(a.status).toBe(400);
    expect(a.body.details.fieldErrors).toEqual({
      'routeRules[0].destinations': ['total weight must be at least 1'],
    });
    const b = await post(0, 100);
    expect(b.status).toBe(200);
    expect(b.body.routeRules[0].destinations.map((d: { weight: number }) => d.weight)).toEqual([
      0, 100,
    ]);
    const c = await post(-5, 105);
    expect(c.status).toBe(400);
    expect(c.body.details.fieldErrors['routeRules[0].destinations[0].weight']).toEqual([
      'weight must be ≥ 0',
    ]);
    const list = await t.http.get(
      `/20220615/virtualServiceRouteTables?compartmentId=${COMPARTMENT_ID}`,
    );
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses a destination that is not a deployment of the same virtual service', async () => {
    const t = createTestApp();
    const { mesh, vs } = await paymentsService(t);
    const other = await createVirtualService(t, mesh.id, 'ledger');
    const foreign = await createVirtualDeployment(t, other.id, 'ledger-v1');
    const res = await t.http.post('/20220615/virtualServiceRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: vs.id,
      name: 'rt',
      routeRules: [
        { type: 'TCP', destinations: [{ virtualDeploymentId: foreign.id, weight: 100 }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RelatedResourceNotAuthorizedOrNotFound');
    expect(res.body.details.fieldErrors).toEqual({
      'routeRules[0].destinations[0].virtualDeploymentId': [
        `virtual deployment ${foreign.id} not found in virtual service ${vs.id}`,
      ],
    });
  });

  it('keeps a duplicate destination and records the RT001 warning as a finding', async () => {
    const t = createTestApp();
    const { mesh, vs, green, blue } = await paymentsService(t);
    const rt = await createRouteTable(t, vs.id, 'reviews-rt', [
      [green.id, 50],
      [blue.id, 25],
      [blue.id, 25],
    ]);
    const detail = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(detail.body.findings).toEqual([
      {
        code: 'RT001',
        severity: 'warning',
        message: 'blue appears more than once in rule 1; its weights add up',
        path: 'routeRules[0].destinations[2]',
        resourceId: rt.id,
        resourceName: 'reviews-rt',
      },
    ]);
    await t.http
      .put(`/20220615/virtualServiceRouteTables/${rt.id}`)
      .send({
        routeRules: [
          { type: 'HTTP', destinations: [{ virtualDeploymentId: green.id, weight: 100 }] },
        ],
      })
      .expect(202);
    expect((await t.http.get(`/api/meshes/${mesh.id}`)).body.findings).toEqual([]);
  });
});
