import { describe, expect, it } from 'vitest';
import { allow, retailMesh, snapshotBuilder } from '../testing/snapshot-builder.ts';
import { deriveTopology, OUTSIDE_NODE_ID } from './topology.ts';

function bookinfo() {
  return snapshotBuilder('bookinfo', 'PERMISSIVE')
    .vs('details')
    .vs('ratings')
    .vs('reviews')
    .vs('productpage')
    .gateway('bookinfo-gw', [
      {
        name: 'bookinfoHost',
        hostnames: ['bookinfo.example.com'],
        listeners: [
          {
            protocol: 'HTTP',
            port: 9080,
            tls: {
              mode: 'TLS',
              serverCertificate: { type: 'OCI_CERTIFICATES', certificateId: 'c' },
            },
          },
        ],
      },
    ])
    .gatewayRoutes('bookinfo-gw-routes', 'bookinfo-gw', [
      {
        type: 'HTTP',
        ingressGatewayHost: { name: 'bookinfoHost' },
        destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: 'vs:productpage' }],
      },
    ])
    .policy('bookinfo-policy', [
      allow.vsToVs('productpage', 'details'),
      allow.vsToVs('productpage', 'reviews'),
      allow.vsToVs('reviews', 'ratings'),
      allow.gatewayToVs('bookinfo-gw', 'productpage'),
    ]);
}

const named = (t: ReturnType<typeof deriveTopology>) => {
  const name = new Map(t.nodes.map((n) => [n.id, n.name]));
  return t.edges.map((e) => ({ from: name.get(e.source), to: name.get(e.target), state: e.state }));
};

describe('deriveTopology', () => {
  it('shows the Bookinfo calls as mTLS edges and no other service-to-service traffic', () => {
    const t = deriveTopology(bookinfo().snapshot);
    const inMesh = named(t).filter((e) => e.from !== 'Outside the mesh');
    expect(inMesh).toEqual(
      expect.arrayContaining([
        { from: 'bookinfo-gw', to: 'productpage', state: 'mtls' },
        { from: 'productpage', to: 'details', state: 'mtls' },
        { from: 'productpage', to: 'reviews', state: 'mtls' },
        { from: 'reviews', to: 'ratings', state: 'mtls' },
      ]),
    );
    expect(inMesh).toHaveLength(4);
  });

  it('marks the gateway edge as both routed and allowed by policy', () => {
    const t = deriveTopology(bookinfo().snapshot);
    const edge = t.edges.find(
      (e) => e.source === 'gw:bookinfo-gw' && e.target === 'vs:productpage',
    );
    expect(edge?.origins.sort()).toEqual(['policy', 'route']);
    expect(edge?.matchedRules).toHaveLength(1);
  });

  it('shows a gateway route with no policy behind it as denied', () => {
    const t = deriveTopology(bookinfo().removePolicy('bookinfo-policy').snapshot);
    const edge = t.edges.find((e) => e.source === 'gw:bookinfo-gw');
    expect(edge).toMatchObject({ target: 'vs:productpage', state: 'denied', origins: ['route'] });
  });

  it('badges every service with its effective mode and whether it is inherited (case A1)', () => {
    const t = deriveTopology(retailMesh().vs('ledger2', 'STRICT').snapshot);
    const orders = t.nodes.find((n) => n.id === 'vs:orders');
    expect(orders).toMatchObject({
      effectiveMode: 'PERMISSIVE',
      inherited: true,
      declaredMode: null,
    });
    const ledger = t.nodes.find((n) => n.id === 'vs:ledger2');
    expect(ledger).toMatchObject({ effectiveMode: 'STRICT', inherited: false });
  });

  it('connects the outside world to gateways by listener mode and to services by their mode (case A12)', () => {
    const s = snapshotBuilder('payments-mesh', 'STRICT')
      .vs('ledger')
      .gateway('pay-gw', [
        { name: 'h', listeners: [{ protocol: 'HTTP', port: 8080, tls: { mode: 'DISABLED' } }] },
      ])
      .gatewayRoutes('r', 'pay-gw', [
        {
          type: 'HTTP',
          path: '/ledger',
          destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: 'vs:ledger' }],
        },
      ])
      .policy('p', [allow.gatewayToVs('pay-gw', 'ledger')]).snapshot;
    const t = deriveTopology(s);
    const state = (from: string, to: string) =>
      t.edges.find((e) => e.source === from && e.target === to)?.state;
    expect(state(OUTSIDE_NODE_ID, 'gw:pay-gw')).toBe('plaintext');
    expect(state('gw:pay-gw', 'vs:ledger')).toBe('mtls');
    expect(state(OUTSIDE_NODE_ID, 'vs:ledger')).toBe('refused');
  });

  it('draws exactly one allowed service edge for a single rule (case D1)', () => {
    const s = retailMesh()
      .removePolicy('ap-open')
      .vs('payments-r')
      .policy('one', [allow.vsToVs('orders', 'payments-r')]).snapshot;
    const allowed = deriveTopology(s).edges.filter(
      (e) => e.source !== OUTSIDE_NODE_ID && e.state !== 'denied',
    );
    expect(allowed.map((e) => `${e.source}->${e.target}`)).toEqual(['vs:orders->vs:payments-r']);
  });

  it('adds one node per external service a policy names', () => {
    const s = retailMesh().policy('ext', [
      {
        action: 'ALLOW',
        source: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'vs:orders' },
        destination: {
          type: 'EXTERNAL_SERVICE',
          protocol: 'HTTPS',
          hostnames: ['api.partner.example.com'],
          ports: [443],
        },
      },
    ]).snapshot;
    const t = deriveTopology(s);
    const ext = t.nodes.filter((n) => n.kind === 'external');
    expect(ext).toHaveLength(1);
    expect(ext[0]?.name).toBe('api.partner.example.com:443');
    expect(t.edges.find((e) => e.target === ext[0]?.id)).toMatchObject({
      source: 'vs:orders',
      state: 'tls',
    });
  });

  it('is deterministic whatever the order of the input', () => {
    const a = bookinfo().snapshot;
    const b = { ...a, virtualServices: [...a.virtualServices].reverse() };
    expect(deriveTopology(b).nodes).toEqual(deriveTopology(a).nodes);
  });
});
