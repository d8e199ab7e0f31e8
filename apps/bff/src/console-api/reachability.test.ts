import { describe, expect, it } from 'vitest';
import {
  allow,
  createAccessPolicy,
  createMesh,
  createTestApp,
  createVirtualService,
  vsTarget,
} from '../testing/test-app.ts';

describe('GET /api/meshes/:meshId/reachability (can A talk to B?)', () => {
  it('answers with the verdict and the rules behind it, for services, outside callers and external hosts', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const cart = await createVirtualService(t, mesh.id, 'cart');
    const orders = await createVirtualService(t, mesh.id, 'orders', 'STRICT');
    const policy = await createAccessPolicy(t, mesh.id, 'ap-cart', [
      allow(vsTarget(cart.id), vsTarget(orders.id)),
      allow(vsTarget(orders.id), {
        type: 'EXTERNAL_SERVICE',
        protocol: 'HTTPS',
        hostnames: ['api.partner.example.com'],
        ports: [443],
      }),
    ]);

    const ok = await t.http
      .get(`/api/meshes/${mesh.id}/reachability`)
      .query({ from: cart.id, to: orders.id });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      state: 'mtls',
      allowed: true,
      sourceName: 'cart',
      destinationName: 'orders',
      destinationMode: 'STRICT',
      destinationInherited: false,
      outsideCallerRefused: true,
      meshMinimum: 'PERMISSIVE',
      matchedRules: [{ policyId: policy.id, policyName: 'ap-cart', ruleIndex: 0 }],
    });

    const back = await t.http
      .get(`/api/meshes/${mesh.id}/reachability`)
      .query({ from: orders.id, to: cart.id });
    expect(back.body.state).toBe('denied');
    expect(back.body.reason).toBe('no access policy allows orders → cart (default deny)');

    const outside = await t.http
      .get(`/api/meshes/${mesh.id}/reachability`)
      .query({ from: 'outside', to: orders.id });
    expect(outside.body.state).toBe('refused');
    expect(outside.body.policiesApply).toBe(false);

    const ext = await t.http.get(`/api/meshes/${mesh.id}/reachability`).query({
      from: orders.id,
      to: 'external',
      host: 'api.partner.example.com',
      port: '8443',
      protocol: 'HTTPS',
    });
    expect(ext.body.state).toBe('denied');
    expect(ext.body.external).toEqual({
      hostname: 'api.partner.example.com',
      port: 8443,
      protocol: 'HTTPS',
    });
  });

  it('rejects a bad question with a 400 that names each field', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const res = await t.http
      .get(`/api/meshes/${mesh.id}/reachability`)
      .query({ from: 'ocid1.virtualservice.oc1..nope', to: 'external', port: '99999' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
    expect(res.body.details.fieldErrors).toEqual({
      from: ['no virtual service or ingress gateway of this mesh has that id'],
      host: ['an external destination needs a host'],
      port: ['port must be a whole number from 1 to 65535'],
    });

    const missing = await t.http.get(`/api/meshes/${mesh.id}/reachability`);
    expect(missing.status).toBe(400);
    expect(missing.body.details.fieldErrors).toEqual({
      from: ['choose a source'],
      to: ['choose a destination'],
    });
    expect(JSON.stringify(missing.body)).not.toMatch(/at |\.ts/);

    const gone = await t.http
      .get('/api/meshes/ocid1.mesh.oc1..nope/reachability')
      .query({ from: 'outside', to: 'x' });
    expect(gone.status).toBe(404);
  });
});
