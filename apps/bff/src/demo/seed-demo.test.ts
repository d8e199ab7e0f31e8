import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { openTestDb } from '../testing/test-db.ts';
import { createTestApp } from '../testing/test-app.ts';
import { DEMO_COMPARTMENT_ID, seedDemo } from './seed-demo.ts';

interface Edge {
  source: string;
  target: string;
  state: string;
}

describe('the demo seed', () => {
  it('seeds the shop into an empty database once, through the same rules as the API', async () => {
    const db = openTestDb();
    const seeded = seedDemo(db, createManualClock());
    expect(seeded).toBeDefined();
    expect(seedDemo(db, createManualClock())).toBeUndefined();

    const t = createTestApp({ db });
    const meshes = await t.http.get(`/20220615/meshes?compartmentId=${DEMO_COMPARTMENT_ID}`);
    expect(meshes.body.items).toEqual([
      expect.objectContaining({ displayName: 'shop-mesh', mtls: { minimum: 'PERMISSIVE' } }),
    ]);
    const detail = await t.http.get(`/api/meshes/${seeded?.meshId}`);
    const modes = Object.fromEntries(
      detail.body.virtualServices.map((v: { name: string; mtlsView: { label: string } }) => [
        v.name,
        v.mtlsView.label,
      ]),
    );
    expect(modes).toEqual({
      cart: 'STRICT',
      catalog: 'PERMISSIVE · inherited from mesh',
      orders: 'STRICT',
      payments: 'STRICT',
      recommendations: 'PERMISSIVE',
      storefront: 'PERMISSIVE · inherited from mesh',
    });
    const listeners = detail.body.ingressGateways[0].hosts[0].listeners.map(
      (l: { tls: { mode: string } }) => l.tls.mode,
    );
    expect(listeners).toEqual(['TLS', 'DISABLED']);

    const topology = await t.http.get(`/api/meshes/${seeded?.meshId}/topology`);
    const names = new Map<string, string>(
      topology.body.nodes.map((n: { id: string; name: string }) => [n.id, n.name]),
    );
    const edges = (topology.body.edges as Edge[]).map(
      (e) => `${names.get(e.source)} -> ${names.get(e.target)}: ${e.state}`,
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        'shop-gw -> storefront: mtls',
        'shop-gw -> orders: mtls',
        'shop-gw -> payments: denied',
        'storefront -> cart: mtls',
        'cart -> orders: mtls',
        'orders -> payments: mtls',
        'payments -> api.stripe.example.com:443: tls',
        'Outside the mesh -> payments: refused',
        'Outside the mesh -> storefront: plaintext',
      ]),
    );
  });
});
