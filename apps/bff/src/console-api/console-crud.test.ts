import { describe, expect, it } from 'vitest';
import {
  allow,
  CA_ID,
  COMPARTMENT_ID,
  createTestApp,
  gatewayBody,
  ingressRoute,
  vsTarget,
  type TestApp,
} from '../testing/test-app.ts';

type Body = Record<string, unknown>;

async function post(t: TestApp, path: string, body: Body) {
  const res = await t.http.post(`/api/${path}`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

async function makeMesh(t: TestApp, displayName: string) {
  const res = await post(t, 'meshes', {
    compartmentId: COMPARTMENT_ID,
    displayName,
    certificateAuthorities: [{ id: CA_ID }],
  });
  return res.body.mesh.id as string;
}

async function makeService(t: TestApp, meshId: string, name: string) {
  const res = await post(t, 'virtual-services', {
    compartmentId: COMPARTMENT_ID,
    meshId,
    name,
    hosts: [`${name}.shop.svc`],
  });
  return res.body.id as string;
}

async function makeDeployment(t: TestApp, virtualServiceId: string, name: string) {
  const res = await post(t, 'virtual-deployments', {
    compartmentId: COMPARTMENT_ID,
    virtualServiceId,
    name,
    serviceDiscovery: { type: 'DNS', hostname: `${name}.shop.svc.cluster.local` },
    listeners: [{ protocol: 'HTTP', port: 9080 }],
    accessLogging: { isEnabled: true },
  });
  return res.body.id as string;
}

function routeTableBody(virtualServiceId: string, name: string, weights: [string, number][]) {
  return {
    compartmentId: COMPARTMENT_ID,
    virtualServiceId,
    name,
    priority: 5,
    routeRules: [
      {
        type: 'HTTP',
        path: '/',
        destinations: weights.map(([virtualDeploymentId, weight]) => ({
          virtualDeploymentId,
          weight,
        })),
      },
    ],
  };
}

describe('console CRUD for every kind (/api/<kind>)', () => {
  it('creates, reads, edits and deletes each of the seven kinds through /api', async () => {
    const t = createTestApp();
    const meshId = await makeMesh(t, 'bookinfo');
    const reviews = await makeService(t, meshId, 'reviews');
    const v1 = await makeDeployment(t, reviews, 'reviews-v1');
    const v2 = await makeDeployment(t, reviews, 'reviews-v2');
    const rt = await post(t, 'virtual-service-route-tables', {
      ...routeTableBody(reviews, 'reviews-rt', [
        [v1, 100],
        [v2, 0],
      ]),
    });
    // A zero weight survives the round trip (case C4).
    expect(rt.body.routeRules[0].destinations.map((d: Body) => d.weight)).toEqual([100, 0]);
    expect(rt.body.meshId).toBe(meshId);
    const gw = await post(t, 'ingress-gateways', gatewayBody(meshId, 'edge'));
    const igrt = await post(t, 'ingress-gateway-route-tables', {
      compartmentId: COMPARTMENT_ID,
      ingressGatewayId: gw.body.id,
      name: 'edge-rt',
      routeRules: [ingressRoute('/reviews', reviews)],
    });
    const ap = await post(t, 'access-policies', {
      compartmentId: COMPARTMENT_ID,
      meshId,
      name: 'edge-to-reviews',
      rules: [allow({ type: 'INGRESS_GATEWAY', ingressGatewayId: gw.body.id }, vsTarget(reviews))],
    });

    const kinds: [string, string, Body, string][] = [
      ['virtual-deployments', v1, { listeners: [{ protocol: 'HTTP', port: 9090 }] }, 'listeners'],
      ['virtual-service-route-tables', rt.body.id, { priority: 0 }, 'priority'],
      ['ingress-gateways', gw.body.id, { description: 'public edge' }, 'description'],
      ['ingress-gateway-route-tables', igrt.body.id, { priority: 3 }, 'priority'],
      ['access-policies', ap.body.id, { description: 'edge may call reviews' }, 'description'],
      ['virtual-services', reviews, { hosts: ['reviews.bookinfo'] }, 'hosts'],
    ];
    for (const [path, id, patch, field] of kinds) {
      const read = await t.http.get(`/api/${path}/${id}`).expect(200);
      const res = await t.http
        .put(`/api/${path}/${id}`)
        .set('if-match', read.headers.etag as string)
        .send(patch);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.headers.etag).not.toBe(read.headers.etag);
      const again = await t.http.get(`/api/${path}/${id}`).expect(200);
      expect(again.body[field]).toEqual(patch[field]);
    }
    // Priority 0 stays 0 (no silent default).
    const rtRead = await t.http.get(`/api/virtual-service-route-tables/${rt.body.id}`);
    expect(rtRead.body.priority).toBe(0);

    // Delete leaves first, then parents; each answers 204 and the read shows DELETED.
    for (const [path, id] of [
      ['access-policies', ap.body.id],
      ['ingress-gateway-route-tables', igrt.body.id],
      ['ingress-gateways', gw.body.id],
      ['virtual-service-route-tables', rt.body.id],
      ['virtual-deployments', v1],
      ['virtual-deployments', v2],
      ['virtual-services', reviews],
    ] as const) {
      await t.http.delete(`/api/${path}/${id}`).expect(204);
      const gone = await t.http.get(`/api/${path}/${id}`).expect(200);
      expect(gone.body.lifecycleState).toBe('DELETED');
    }
    await t.http.delete(`/api/meshes/${meshId}`).expect(204);
    await t.http.get(`/api/meshes/${meshId}`).expect(404);
    expect((await t.http.get('/api/meshes')).body.items).toEqual([]);
  });

  it('lists with filters, text search, sort and pages, and refuses a bad list query', async () => {
    const t = createTestApp();
    const shop = await makeMesh(t, 'shop');
    const other = await makeMesh(t, 'other');
    const cart = await makeService(t, shop, 'cart');
    const orders = await makeService(t, shop, 'orders');
    const elsewhere = await makeService(t, other, 'billing');
    for (const name of ['cart-v1', 'cart-v2', 'cart-v3']) await makeDeployment(t, cart, name);
    await makeDeployment(t, orders, 'orders-v1');
    await makeDeployment(t, elsewhere, 'billing-v1');

    const names = (body: { items: Body[] }) => body.items.map((i) => i.name);
    const inShop = await t.http.get('/api/virtual-deployments').query({ meshId: shop });
    expect(names(inShop.body)).toEqual(['cart-v1', 'cart-v2', 'cart-v3', 'orders-v1']);
    expect(inShop.body).toMatchObject({ total: 4, page: 1, limit: 1000 });

    const byService = await t.http
      .get('/api/virtual-deployments')
      .query({ virtualServiceId: cart, sort: 'name', order: 'desc', limit: 2, page: 1 });
    expect(names(byService.body)).toEqual(['cart-v3', 'cart-v2']);
    expect(byService.body.total).toBe(3);
    const page2 = await t.http
      .get('/api/virtual-deployments')
      .query({ virtualServiceId: cart, order: 'desc', limit: 2, page: 2 });
    expect(names(page2.body)).toEqual(['cart-v1']);

    const search = await t.http.get('/api/virtual-deployments').query({ q: 'V1' });
    expect(names(search.body)).toEqual(['billing-v1', 'cart-v1', 'orders-v1']);

    const meshes = await t.http.get('/api/meshes').query({ sort: 'name', order: 'desc' });
    expect(meshes.body.items.map((m: Body) => m.displayName)).toEqual(['shop', 'other']);

    for (const [query, field] of [
      [{ sort: 'colour' }, 'sort'],
      [{ order: 'sideways' }, 'order'],
      [{ limit: '0' }, 'limit'],
      [{ page: 'two' }, 'page'],
      [{ ingressGatewayId: 'ocid1.meshingressgateway.oc1..x' }, 'ingressGatewayId'],
    ] as const) {
      const res = await t.http.get('/api/virtual-deployments').query(query);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('InvalidParameter');
      expect(Object.keys(res.body.details.fieldErrors)).toEqual([field]);
    }
    const bad = await t.http.get('/api/meshes').query({ meshId: shop });
    expect(bad.body.details.fieldErrors).toEqual({ meshId: ['does not apply to meshes'] });
  });

  it('needs if-match on an update, answers 412 to a stale one, and changes nothing either way', async () => {
    const t = createTestApp();
    const meshId = await makeMesh(t, 'shop');
    const cart = await makeService(t, meshId, 'cart');
    const v1 = await makeDeployment(t, cart, 'cart-v1');
    const path = `/api/virtual-deployments/${v1}`;
    const first = await t.http.get(path);

    const missing = await t.http.put(path).send({ description: 'no etag' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'MissingParameter',
      message: 'if-match is required',
    });

    await t.http
      .put(path)
      .set('if-match', first.headers.etag as string)
      .send({ description: 'first edit' })
      .expect(200);
    const stale = await t.http
      .put(path)
      .set('if-match', first.headers.etag as string)
      .send({ description: 'second edit' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('NoEtagMatch');
    const stillStale = await t.http.delete(path).set('if-match', first.headers.etag as string);
    expect(stillStale.status).toBe(412);
    const now = await t.http.get(path);
    expect(now.body.description).toBe('first edit');
    expect(now.body.lifecycleState).toBe('ACTIVE');
  });

  it('refuses immutable fields with a field error for each, alongside the other field errors', async () => {
    const t = createTestApp();
    const meshId = await makeMesh(t, 'shop');
    const cart = await makeService(t, meshId, 'cart');
    const v1 = await makeDeployment(t, cart, 'cart-v1');
    const path = `/api/virtual-deployments/${v1}`;
    const read = await t.http.get(path);
    const res = await t.http
      .put(path)
      .set('if-match', read.headers.etag as string)
      .send({
        name: 'cart-v9',
        virtualServiceId: cart,
        listeners: [{ protocol: 'HTTP', port: 0 }],
      });
    expect(res.status).toBe(400);
    expect(res.body.details.fieldErrors).toMatchObject({
      name: ['name cannot be changed after create'],
      virtualServiceId: ['virtualServiceId cannot be changed after create'],
    });
    expect(res.body.details.fieldErrors['listeners[0].port']).toBeDefined();
    const mesh = await t.http.put(`/api/meshes/${meshId}`).send({ compartmentId: COMPARTMENT_ID });
    expect(mesh.status).toBe(400);
    expect(mesh.body.details.fieldErrors).toEqual({
      compartmentId: ['compartmentId cannot be changed after create'],
    });
    const after = await t.http.get(path);
    expect(after.body.name).toBe('cart-v1');
    expect(after.headers.etag).toBe(read.headers.etag);
  });

  it('refuses to delete a resource with dependants (409 naming them) and lists them first', async () => {
    const t = createTestApp();
    const meshId = await makeMesh(t, 'shop');
    const cart = await makeService(t, meshId, 'cart');
    const v1 = await makeDeployment(t, cart, 'cart-v1');
    const v2 = await makeDeployment(t, cart, 'cart-v2');
    const rt = await post(
      t,
      'virtual-service-route-tables',
      routeTableBody(cart, 'cart-rt', [
        [v1, 1],
        [v2, 0],
      ]),
    );

    const dependants = await t.http.get(`/api/virtual-deployments/${v2}/dependants`).expect(200);
    expect(dependants.body).toEqual({
      items: [{ kind: 'VirtualServiceRouteTable', id: rt.body.id, name: 'cart-rt' }],
    });
    const ofService = await t.http.get(`/api/virtual-services/${cart}/dependants`);
    expect(ofService.body.items.map((d: Body) => d.name)).toEqual([
      'cart-v1',
      'cart-v2',
      'cart-rt',
    ]);

    const refused = await t.http.delete(`/api/virtual-deployments/${v2}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('Conflict');
    expect(refused.body.message).toBe(
      'cannot delete virtual deployment cart-v2: in use by virtual service route table cart-rt',
    );
    const meshRefused = await t.http.delete(`/api/meshes/${meshId}`);
    expect(meshRefused.status).toBe(409);
    expect(meshRefused.body.message).toContain('virtual service cart');
    expect((await t.http.get(`/api/virtual-deployments/${v2}`)).body.lifecycleState).toBe('ACTIVE');

    const vdView = await t.http.get(`/api/virtual-deployments/${v2}`);
    expect(vdView.body.related).toEqual([
      { kind: 'VirtualService', id: cart, name: 'cart', relation: 'parent' },
      {
        kind: 'VirtualServiceRouteTable',
        id: rt.body.id,
        name: 'cart-rt',
        relation: 'referencedBy',
      },
    ]);

    await t.http.delete(`/api/virtual-service-route-tables/${rt.body.id}`).expect(204);
    expect((await t.http.get(`/api/virtual-deployments/${v2}/dependants`)).body.items).toEqual([]);
    await t.http.delete(`/api/virtual-deployments/${v2}`).expect(204);
  });

  it('answers bad input with a 400 listing every field error, and creates nothing', async () => {
    const t = createTestApp();
    const meshId = await makeMesh(t, 'shop');
    const cart = await makeService(t, meshId, 'cart');
    const v1 = await makeDeployment(t, cart, 'cart-v1');
    const res = await t.http.post('/api/virtual-service-route-tables').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: cart,
      name: 'cart-rt',
      priority: -1,
      routeRules: [
        { type: 'HTTP', path: 'cart', destinations: [{ virtualDeploymentId: v1, weight: 0 }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
    expect(res.body.details.fieldErrors).toMatchObject({
      priority: ['priority must be between 0 and 1000'],
      'routeRules[0].path': ['path must start with /'],
      'routeRules[0].destinations': ['total weight must be at least 1'],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|\/work\//);
    const list = await t.http.get('/api/virtual-service-route-tables').query({ meshId });
    expect(list.body.total).toBe(0);

    const unknownParent = await t.http.post('/api/virtual-deployments').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: 'ocid1.meshvirtualservice.oc1..missing',
      name: 'x',
    });
    expect(unknownParent.status).toBe(400);
    expect(unknownParent.body.details.fieldErrors.virtualServiceId).toEqual([
      'virtual service ocid1.meshvirtualservice.oc1..missing not found',
    ]);
    const duplicate = await t.http.post('/api/virtual-deployments').send({
      compartmentId: COMPARTMENT_ID,
      virtualServiceId: cart,
      name: 'cart-v1',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.details.fieldErrors.name).toEqual([
      'a virtual deployment named cart-v1 already exists in virtual service cart',
    ]);
    expect((await t.http.get('/api/virtual-deployments').query({ meshId })).body.total).toBe(1);
  });
});
