import { selectIngressRoute, type IngressGatewayRouteTable } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import {
  COMPARTMENT_ID,
  createIngressGateway,
  createIngressRouteTable,
  createMesh,
  createTestApp,
  createVirtualService,
  ingressRoute,
  type TestApp,
} from '../testing/test-app.ts';

async function edge(t: TestApp) {
  const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
  const orders = await createVirtualService(t, mesh.id, 'orders');
  const storefront = await createVirtualService(t, mesh.id, 'storefront');
  const gw = await createIngressGateway(t, mesh.id, 'edge-gw');
  return { mesh, orders, storefront, gw };
}

describe('ingress gateway route tables on the OCI face', () => {
  it('creates, reads, lists, updates and deletes an ingress route table', async () => {
    const t = createTestApp();
    const { orders, gw } = await edge(t);
    const created = await t.http.post('/20220615/ingressGatewayRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.id,
      name: 'edge-routes',
      priority: 3,
      routeRules: [
        {
          type: 'HTTP',
          path: '/api',
          ingressGatewayHost: { name: 'main' },
          destinations: [{ virtualServiceId: orders.id }],
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.routeRules[0].destinations).toEqual([
      { type: 'VIRTUAL_SERVICE', virtualServiceId: orders.id },
    ]);
    const id = created.body.id as string;
    await t.settle();
    const list = await t.http.get(
      `/20220615/ingressGatewayRouteTables?compartmentId=${COMPARTMENT_ID}&ingressGatewayId=${gw.id}`,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ id, priority: 3 })]);
    await t.http
      .put(`/20220615/ingressGatewayRouteTables/${id}`)
      .send({ description: 'api' })
      .expect(202);
    await t.settle();
    expect((await t.http.get(`/20220615/ingressGatewayRouteTables/${id}`)).body).toMatchObject({
      description: 'api',
      priority: 3,
    });
    await t.http.delete(`/20220615/ingressGatewayRouteTables/${id}`).expect(202);
    await t.settle();
    expect(
      (await t.http.get(`/20220615/ingressGatewayRouteTables/${id}`)).body.lifecycleState,
    ).toBe('DELETED');
  });

  it('keeps each priority through create and update, so routing follows it (C2)', async () => {
    const t = createTestApp();
    const { orders, storefront, gw } = await edge(t);
    const api = await createIngressRouteTable(
      t,
      gw.id,
      'rt-api',
      [ingressRoute('/api', orders.id)],
      {
        priority: 1,
      },
    );
    const store = await createIngressRouteTable(
      t,
      gw.id,
      'rt-store',
      [ingressRoute('/', storefront.id)],
      { priority: 10 },
    );
    const read = async (id: string) =>
      (await t.http.get(`/20220615/ingressGatewayRouteTables/${id}`))
        .body as IngressGatewayRouteTable;
    const route = async () =>
      selectIngressRoute([await read(api.id), await read(store.id)], { path: '/api/x' })?.rule
        .destinations[0]?.virtualServiceId;

    expect((await read(api.id)).priority).toBe(1);
    expect((await read(store.id)).priority).toBe(10);
    expect(await route()).toBe(orders.id);

    await t.http
      .put(`/20220615/ingressGatewayRouteTables/${store.id}`)
      .send({ priority: 0 })
      .expect(202);
    await t.settle();
    expect((await read(store.id)).priority).toBe(0);
    expect(await route()).toBe(storefront.id);
  });

  it('accepts the path /orders and rejects orders with "path must start with /" (C5)', async () => {
    const t = createTestApp();
    const { orders, gw } = await edge(t);
    const ok = await createIngressRouteTable(t, gw.id, 'rt-ok', [
      ingressRoute('/orders', orders.id),
    ]);
    expect(ok.routeRules).toEqual([expect.objectContaining({ path: '/orders' })]);
    const bad = await t.http.post('/20220615/ingressGatewayRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.id,
      name: 'rt-bad',
      routeRules: [ingressRoute('orders', orders.id)],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fieldErrors).toEqual({
      'routeRules[0].path': ['path must start with /'],
    });
  });

  it('refuses a destination outside the gateway mesh and a host the gateway lacks', async () => {
    const t = createTestApp();
    const { gw, orders } = await edge(t);
    const otherMesh = await createMesh(t, 'other', 'PERMISSIVE');
    const foreign = await createVirtualService(t, otherMesh.id, 'foreign');
    const res = await t.http.post('/20220615/ingressGatewayRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.id,
      name: 'rt',
      routeRules: [ingressRoute('/', foreign.id)],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RelatedResourceNotAuthorizedOrNotFound');
    expect(res.body.message).toBe(
      `virtual service ${foreign.id} not found in the mesh of ingress gateway edge-gw`,
    );
    const host = await t.http.post('/20220615/ingressGatewayRouteTables').send({
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.id,
      name: 'rt',
      routeRules: [{ ...ingressRoute('/', orders.id), ingressGatewayHost: { name: 'nope' } }],
    });
    expect(host.status).toBe(400);
    expect(host.body.details.fieldErrors).toEqual({
      'routeRules[0].ingressGatewayHost.name': ['ingress gateway edge-gw has no host nope'],
    });
  });

  it('answers 413 with the limit for a 2 MB body and accepts a realistic 150-rule table (G5)', async () => {
    const t = createTestApp();
    const { gw, orders } = await edge(t);
    const huge = await t.http
      .post('/20220615/ingressGatewayRouteTables')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({
      code: 'PayloadTooLarge',
      message: 'payload too large',
      error: 'payload too large',
      limitBytes: 1024 * 1024,
    });
    expect(huge.headers['opc-request-id']).toBeTruthy();

    const rules = Array.from({ length: 150 }, (_, i) => ({
      ...ingressRoute(`/api/v1/section-${i}/items-with-a-rather-long-path-name`, orders.id),
      isPathRewriteEnabled: false,
      isHostRewriteEnabled: false,
      requestTimeoutInMs: 15000,
      ingressGatewayHost: { name: 'main', port: 8080 },
    }));
    const body = {
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.id,
      name: 'big-table',
      routeRules: rules,
    };
    expect(JSON.stringify(body).length).toBeGreaterThan(40_000);
    const big = await t.http.post('/20220615/ingressGatewayRouteTables').send(body);
    expect(big.status).toBe(200);
    expect(big.body.routeRules).toHaveLength(150);
  });
});
