import { describe, expect, it } from 'vitest';
import { allow, retailMesh } from '../testing/snapshot-builder.ts';
import { deriveTopology, OUTSIDE_NODE_ID } from '../topology/topology.ts';
import { evaluateEdge, type EdgeDestination } from './edge-state.ts';
import {
  ReachabilityQuerySchema,
  resolveReachabilityQuery,
  traceReachability,
} from './reachability.ts';

const vs = (name: string) => ({ kind: 'virtualService' as const, id: `vs:${name}` });
const gw = (name: string) => ({ kind: 'ingressGateway' as const, id: `gw:${name}` });

describe('can A talk to B? (traceReachability)', () => {
  it('gives the graph’s verdict for every edge of the mesh (case B1: one function decides)', () => {
    const s = retailMesh()
      .vs('ledger', 'STRICT')
      .policy('ap-cart', [allow.vsToVs('cart', 'orders')]).snapshot;
    const topology = deriveTopology(s);
    let checked = 0;
    for (const edge of topology.edges) {
      // Gateways are reached through their listeners, not through evaluateEdge.
      if (!edge.target.startsWith('vs:')) continue;
      const source =
        edge.source === OUTSIDE_NODE_ID
          ? ({ kind: 'outside' } as const)
          : edge.source.startsWith('gw:')
            ? gw(edge.source.slice(3))
            : vs(edge.source.slice(3));
      const trace = traceReachability(s, source, vs(edge.target.slice(3)));
      expect([edge.id, trace.state, trace.reason]).toEqual([edge.id, edge.state, edge.reason]);
      expect(trace.matchedRules).toEqual(edge.matchedRules);
      checked += 1;
    }
    // 6 outside callers, 6 gateway routes by policy, 6 × 5 service pairs.
    expect(checked).toBe(42);
  });

  it('names both policies when two allow cart → orders, and says the mode is inherited (case B1)', () => {
    const s = retailMesh().policy('ap-cart', [allow.vsToVs('cart', 'orders')]).snapshot;
    const trace = traceReachability(s, vs('cart'), vs('orders'));
    expect(trace.state).toBe('mtls');
    expect(trace.allowed).toBe(true);
    expect(trace.policiesApply).toBe(true);
    expect(trace.matchedRules).toEqual([
      { policyId: 'ap:ap-cart', policyName: 'ap-cart', ruleIndex: 0 },
      { policyId: 'ap:ap-open', policyName: 'ap-open', ruleIndex: 0 },
    ]);
    expect(
      trace.rules.filter((r) => r.matched).map((r) => `${r.policyName}#${r.ruleIndex}`),
    ).toEqual(['ap-cart#0', 'ap-open#0']);
    // ap-open's gateway rule covers the destination but not the source.
    expect(trace.rules.find((r) => r.policyName === 'ap-open' && r.ruleIndex === 1)).toMatchObject({
      sourceMatches: false,
      destinationMatches: true,
      matched: false,
    });
    expect(trace.destinationMode).toBe('PERMISSIVE');
    expect(trace.destinationInherited).toBe(true);
    expect(trace.outsideCallerRefused).toBe(false);
    expect(trace.meshMinimum).toBe('PERMISSIVE');
    expect(trace.steps).toContain(
      'orders is PERMISSIVE (inherited from the mesh minimum PERMISSIVE)',
    );
  });

  it('shows an outside caller of a PERMISSIVE service as plaintext, and refused once it is STRICT (cases B1, B2)', () => {
    const before = traceReachability(
      retailMesh().snapshot,
      { kind: 'outside', name: 'legacy-batch' },
      vs('orders'),
    );
    expect(before.state).toBe('plaintext');
    expect(before.policiesApply).toBe(false);
    expect(before.rules).toEqual([]);
    expect(before.steps[0]).toBe(
      "legacy-batch is outside the mesh: access policies do not apply, only the destination's mode",
    );

    const strict = retailMesh();
    const orders = strict.snapshot.virtualServices.find((v) => v.name === 'orders');
    if (!orders) throw new Error('fixture has orders');
    orders.declaredMode = 'STRICT';
    const after = traceReachability(
      strict.snapshot,
      { kind: 'outside', name: 'legacy-batch' },
      vs('orders'),
    );
    expect(after.state).toBe('refused');
    expect(after.allowed).toBe(false);
    expect(after.destinationInherited).toBe(false);
    expect(after.outsideCallerRefused).toBe(true);
    expect(traceReachability(strict.snapshot, vs('cart'), vs('orders')).state).toBe('mtls');
  });

  it('says that no rule matched under default deny, rule by rule (case D1)', () => {
    const s = retailMesh()
      .removePolicy('ap-open')
      .vs('payments-r')
      .policy('orders-pay', [allow.vsToVs('orders', 'payments-r')]).snapshot;
    const denied = traceReachability(s, vs('inventory'), vs('payments-r'));
    expect(denied.state).toBe('denied');
    expect(denied.matchedRules).toEqual([]);
    expect(denied.rules).toEqual([
      {
        policyId: 'ap:orders-pay',
        policyName: 'orders-pay',
        ruleIndex: 0,
        sourceMatches: false,
        destinationMatches: true,
        matched: false,
        explanation:
          'source virtual service orders does not cover inventory; destination virtual service payments-r covers payments-r',
      },
    ]);
    expect(denied.steps[0]).toBe('1 access-policy rule checked: none allows it (default deny)');
    expect(traceReachability(s, vs('orders'), vs('payments-r')).state).toBe('mtls');
  });

  it('checks host and port of an external destination (case D2)', () => {
    const s = retailMesh().policy('ap-ext', [
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
    const ext = (hostname: string, port: number): EdgeDestination => ({
      kind: 'external',
      hostname,
      port,
      protocol: 'https',
    });
    const ok = traceReachability(s, vs('orders'), ext('api.partner.example.com', 443));
    expect(ok.state).toBe('tls');
    expect(ok.destinationName).toBe('api.partner.example.com:443');
    expect(ok.external).toEqual({
      hostname: 'api.partner.example.com',
      port: 443,
      protocol: 'HTTPS',
    });
    expect(ok.matchedRules.map((r) => r.policyName)).toEqual(['ap-ext']);
    expect(ok.destinationMode).toBeUndefined();
    expect(traceReachability(s, vs('orders'), ext('api.partner.example.com', 8443)).state).toBe(
      'denied',
    );
    expect(traceReachability(s, vs('orders'), ext('api2.partner.example.com', 443)).state).toBe(
      'denied',
    );
    const cart = traceReachability(s, vs('cart'), ext('api.partner.example.com', 443));
    expect(cart.state).toBe('denied');
    expect(cart.reason).toBe(
      'no access policy allows cart → api.partner.example.com:443 (egress is denied by default)',
    );
  });

  it('agrees with evaluateEdge for a gateway caller', () => {
    const s = retailMesh().snapshot;
    const trace = traceReachability(s, gw('edge-gw'), vs('catalog'));
    const edge = evaluateEdge(s, gw('edge-gw'), vs('catalog'));
    expect(trace.state).toBe(edge.state);
    expect(trace.matchedRules).toEqual([
      { policyId: 'ap:ap-open', policyName: 'ap-open', ruleIndex: 1 },
    ]);
  });
});

describe('the reachability question as a query (resolveReachabilityQuery)', () => {
  const s = retailMesh().snapshot;

  it('resolves ids, outside and an external host with port', () => {
    expect(resolveReachabilityQuery(s, { from: 'outside', to: 'vs:orders' })).toEqual({
      ok: true,
      source: { kind: 'outside' },
      destination: { kind: 'virtualService', id: 'vs:orders' },
    });
    expect(
      resolveReachabilityQuery(s, {
        from: 'gw:edge-gw',
        to: 'external',
        host: 'api.partner.example.com',
        port: '443',
        protocol: 'HTTPS',
      }),
    ).toEqual({
      ok: true,
      source: { kind: 'ingressGateway', id: 'gw:edge-gw' },
      destination: {
        kind: 'external',
        hostname: 'api.partner.example.com',
        port: 443,
        protocol: 'HTTPS',
      },
    });
    expect(
      resolveReachabilityQuery(s, { from: 'vs:cart', to: 'external', host: '10.0.0.7' }),
    ).toEqual({
      ok: true,
      source: { kind: 'virtualService', id: 'vs:cart' },
      destination: { kind: 'external', ipAddress: '10.0.0.7' },
    });
  });

  it('says what is wrong with each field', () => {
    expect(
      resolveReachabilityQuery(s, { from: 'vs:nope', to: 'external', host: '', port: '70000' }),
    ).toEqual({
      ok: false,
      fieldErrors: {
        from: ['no virtual service or ingress gateway of this mesh has that id'],
        host: ['an external destination needs a host'],
        port: ['port must be a whole number from 1 to 65535'],
      },
    });
    expect(resolveReachabilityQuery(s, { from: 'vs:cart', to: 'gw:edge-gw' })).toEqual({
      ok: false,
      fieldErrors: {
        to: ['no virtual service of this mesh has that id; choose external for a host'],
      },
    });
    expect(
      ReachabilityQuerySchema.safeParse({ from: 'vs:cart', to: 'x', port: '4x' }).success,
    ).toBe(false);
  });
});
