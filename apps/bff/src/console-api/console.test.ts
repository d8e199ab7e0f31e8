import { describe, expect, it } from 'vitest';
import {
  allow,
  COMPARTMENT_ID,
  createAccessPolicy,
  createIngressGateway,
  createIngressRouteTable,
  createMesh,
  createRouteTable,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  ingressRoute,
  vsTarget,
} from '../testing/test-app.ts';

interface Edge {
  source: string;
  target: string;
  state: string;
  origins: string[];
}

describe('console mesh views', () => {
  it('lists live meshes by displayName with counts, declared/inherited mode counts and CA', async () => {
    const t = createTestApp();
    const retail = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    await createMesh(t, 'payments-mesh', 'STRICT');
    const gone = await createMesh(t, 'gone-mesh');
    await t.http.delete(`/20220615/meshes/${gone.id}`).expect(202);
    await t.settle();
    const cart = await createVirtualService(t, retail.id, 'cart', 'STRICT');
    await createVirtualService(t, retail.id, 'orders');
    await createVirtualService(t, retail.id, 'inventory');
    const v1 = await createVirtualDeployment(t, cart.id, 'cart-v1');
    await createRouteTable(t, cart.id, 'cart-rt', [[v1.id, 100]]);
    await createIngressGateway(t, retail.id, 'edge-gw');

    const res = await t.http.get('/api/meshes');
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { displayName: string }) => m.displayName)).toEqual([
      'payments-mesh',
      'retail-mesh',
    ]);
    expect(res.body.items[1]).toEqual({
      id: retail.id,
      displayName: 'retail-mesh',
      compartmentId: COMPARTMENT_ID,
      lifecycleState: 'ACTIVE',
      timeCreated: '2025-03-01T00:00:00.000Z',
      minimum: 'PERMISSIVE',
      minimumChangedAt: null,
      certificateAuthority: { id: 'ocid1.certificateauthority.oc1..test', external: false },
      counts: {
        virtualServices: 3,
        virtualDeployments: 1,
        virtualServiceRouteTables: 1,
        ingressGateways: 1,
        ingressGatewayRouteTables: 0,
        accessPolicies: 0,
      },
      modeCounts: { STRICT: 1, PERMISSIVE: 0, DISABLED: 0, inherited: 2 },
      // Made through the OCI face and waited for until ACTIVE, which a virtual service or
      // gateway only becomes once its leaf is issued: the CA and all four leaves are there.
      certificates: {
        authority: {
          id: 'ocid1.certificateauthority.oc1..test',
          status: 'ACTIVE',
          notBefore: '2025-02-28T23:55:00.000Z',
          notAfter: '2026-03-01T00:00:00.000Z',
          expired: false,
          warning: null,
        },
        counts: { total: 4, active: 4, pending: 0, failed: 0, external: 0 },
        nextRenewalAt: '2025-03-31T00:00:00.000Z',
      },
    });
  });

  it('shows an inheriting service as "PERMISSIVE · inherited from mesh" on every view (A1)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    const expected = {
      declared: null,
      effective: 'PERMISSIVE',
      inherited: true,
      label: 'PERMISSIVE · inherited from mesh',
      lastChangedAt: null,
    };
    const detail = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.mesh).toMatchObject({ id: mesh.id, mtls: { minimum: 'PERMISSIVE' } });
    expect(detail.body.virtualServices[0].mtlsView).toEqual(expected);
    expect(detail.body.virtualServices[0].mtls.mode).toBe('PERMISSIVE');
    const single = await t.http.get(`/api/virtual-services/${orders.id}`);
    expect(single.body.mtlsView).toEqual(expected);
    const topology = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    expect(topology.body.nodes).toContainEqual(
      expect.objectContaining({
        id: orders.id,
        kind: 'virtualService',
        declaredMode: null,
        effectiveMode: 'PERMISSIVE',
        inherited: true,
      }),
    );
  });

  it('returns the mesh detail with every live resource and nothing deleted', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const cart = await createVirtualService(t, mesh.id, 'cart');
    const old = await createVirtualService(t, mesh.id, 'old');
    await t.http.delete(`/20220615/virtualServices/${old.id}`).expect(202);
    const gw = await createIngressGateway(t, mesh.id, 'edge-gw');
    await createIngressRouteTable(t, gw.id, 'edge-routes', [ingressRoute('/', cart.id)]);
    await createAccessPolicy(t, mesh.id, 'ap', [
      allow({ type: 'INGRESS_GATEWAY', ingressGatewayId: gw.id }, vsTarget(cart.id)),
    ]);
    const res = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(res.body.summary.counts).toMatchObject({
      virtualServices: 1,
      ingressGateways: 1,
      ingressGatewayRouteTables: 1,
      accessPolicies: 1,
    });
    expect(res.body.virtualServices.map((v: { name: string }) => v.name)).toEqual(['cart']);
    expect(res.body.ingressGatewayRouteTables[0].name).toBe('edge-routes');
    expect(res.body.accessPolicies[0].name).toBe('ap');
    expect(res.body.findings).toEqual([]);
  });

  it('answers 404 for an unknown or deleted mesh', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm');
    await t.http.delete(`/20220615/meshes/${mesh.id}`).expect(202);
    await t.settle();
    for (const path of [`/api/meshes/${mesh.id}`, '/api/meshes/nope/topology']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NotAuthorizedOrNotFound');
    }
  });

  it('denies by default and allows exactly the one edge a single policy names (D1)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    const payments = await createVirtualService(t, mesh.id, 'payments-r');
    const inventory = await createVirtualService(t, mesh.id, 'inventory');
    const allowed = (edges: Edge[]) =>
      edges.filter((e) => e.origins.includes('policy') && e.state !== 'denied');

    const before = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    expect(allowed(before.body.edges)).toEqual([]);

    await createAccessPolicy(t, mesh.id, 'orders-to-payments', [
      allow(vsTarget(orders.id), vsTarget(payments.id)),
    ]);
    const after = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    const edges = after.body.edges as Edge[];
    expect(allowed(edges)).toEqual([
      expect.objectContaining({ source: orders.id, target: payments.id, state: 'mtls' }),
    ]);
    const between = (a: string, b: string) => edges.find((e) => e.source === a && e.target === b);
    expect(between(orders.id, inventory.id)?.state ?? 'denied').toBe('denied');
    expect(between(inventory.id, payments.id)?.state ?? 'denied').toBe('denied');
  });
});

describe('console virtual service endpoints', () => {
  it('creates with 201, updates with 200 and deletes with 204', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const created = await t.http
      .post('/api/virtual-services')
      .send({ compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'cart', hosts: ['cart'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'cart',
      hosts: ['cart'],
      mtls: { mode: 'PERMISSIVE' },
      mtlsView: { declared: null, effective: 'PERMISSIVE' },
    });
    const id = created.body.id as string;

    const updated = await t.http
      .put(`/api/virtual-services/${id}`)
      .send({ mtls: { mode: 'STRICT' } });
    expect(updated.status).toBe(200);
    expect(updated.body.mtlsView).toEqual({
      declared: 'STRICT',
      effective: 'STRICT',
      inherited: false,
      label: 'STRICT',
      lastChangedAt: '2025-03-01T00:00:00.000Z',
    });

    const removed = await t.http.delete(`/api/virtual-services/${id}`);
    expect(removed.status).toBe(204);
    const read = await t.http.get(`/api/virtual-services/${id}`);
    expect(read.body.lifecycleState).toBe('DELETED');
    expect((await t.http.get(`/api/virtual-services/nope`)).status).toBe(404);
  });

  it('answers a taken name with 409 Conflict', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const body = { compartmentId: COMPARTMENT_ID, meshId: mesh.id, name: 'cart' };
    await t.http.post('/api/virtual-services').send(body).expect(201);
    const dup = await t.http.post('/api/virtual-services').send(body);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('Conflict');
  });
});
