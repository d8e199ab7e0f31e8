import { describe, expect, it } from 'vitest';
import { allow, retailMesh, snapshotBuilder } from '../testing/snapshot-builder.ts';
import { evaluateEdge, type EdgeDestination, type EdgeSource } from './edge-state.ts';
import { cidrContains, hostnameMatches } from './hostname.ts';

const vs = (name: string) => ({ kind: 'virtualService' as const, id: `vs:${name}` });
const gw = (name: string) => ({ kind: 'ingressGateway' as const, id: `gw:${name}` });
const outside = (name: string): EdgeSource => ({ kind: 'outside', name });

describe('what each mode does to incoming traffic', () => {
  it('encrypts in-mesh traffic to a PERMISSIVE service and lets outside callers in plaintext (case A8)', () => {
    const s = retailMesh().snapshot;
    expect(evaluateEdge(s, vs('cart'), vs('orders')).state).toBe('mtls');
    expect(evaluateEdge(s, gw('edge-gw'), vs('orders')).state).toBe('mtls');
    const outsider = evaluateEdge(s, outside('legacy-batch'), vs('orders'));
    expect(outsider.state).toBe('plaintext');
    expect(outsider.reason).toContain('PERMISSIVE (inherited from mesh)');
  });

  it('refuses outside callers of a STRICT service and makes DISABLED traffic plaintext (case A9)', () => {
    const retail = retailMesh().vs('a-strict', 'STRICT').vs('a-perm').snapshot;
    const sandbox = snapshotBuilder('sandbox-mesh', 'DISABLED')
      .vs('s-dis')
      .vs('s-client')
      .policy('ap-open', [allow.allToAll()]).snapshot;
    const probe = outside('uptime-probe');
    expect(evaluateEdge(retail, probe, vs('a-strict')).state).toBe('refused');
    expect(evaluateEdge(retail, probe, vs('a-perm')).state).toBe('plaintext');
    expect(evaluateEdge(sandbox, probe, vs('s-dis')).state).toBe('plaintext');
    expect(evaluateEdge(sandbox, vs('s-client'), vs('s-dis')).state).toBe('plaintext');
    expect(evaluateEdge(retail, vs('cart'), vs('a-strict')).state).toBe('mtls');
  });

  it('never shows an allowed in-mesh edge as plaintext unless the destination is DISABLED', () => {
    const s = retailMesh().vs('x-strict', 'STRICT').snapshot;
    for (const a of s.virtualServices) {
      for (const b of s.virtualServices) {
        const v = evaluateEdge(s, vs(a.name), vs(b.name));
        expect(v.state).toBe('mtls');
      }
    }
  });
});

describe('default deny (case D1)', () => {
  const mesh = () => retailMesh().removePolicy('ap-open').vs('payments-r');

  it('denies everything when no policy exists', () => {
    const s = mesh().snapshot;
    expect(evaluateEdge(s, vs('orders'), vs('payments-r')).state).toBe('denied');
    expect(evaluateEdge(s, vs('orders'), vs('inventory')).state).toBe('denied');
    expect(evaluateEdge(s, vs('orders'), vs('inventory')).reason).toBe(
      'no access policy allows orders → inventory (default deny)',
    );
  });

  it('allows exactly the one pair a single rule names', () => {
    const s = mesh().policy('orders-to-payments', [allow.vsToVs('orders', 'payments-r')]).snapshot;
    const allowed = evaluateEdge(s, vs('orders'), vs('payments-r'));
    expect(allowed.state).toBe('mtls');
    expect(allowed.matchedRules).toEqual([
      { policyId: 'ap:orders-to-payments', policyName: 'orders-to-payments', ruleIndex: 0 },
    ]);
    expect(evaluateEdge(s, vs('orders'), vs('inventory')).state).toBe('denied');
    expect(evaluateEdge(s, vs('inventory'), vs('payments-r')).state).toBe('denied');
  });

  it('lists every policy that allows an edge', () => {
    const s = retailMesh().policy('ap-cart', [allow.vsToVs('cart', 'orders')]).snapshot;
    const v = evaluateEdge(s, vs('cart'), vs('orders'));
    expect(v.matchedRules.map((r) => r.policyName)).toEqual(['ap-cart', 'ap-open']);
    expect(v.reason).toContain('ap-cart rule 1 and ap-open rule 1');
  });

  it('does not let a gateway through on an all-services source rule', () => {
    const s = retailMesh().removePolicy('ap-open').policy('p', [allow.allToAll()]).snapshot;
    expect(evaluateEdge(s, gw('edge-gw'), vs('orders')).state).toBe('denied');
  });
});

describe('egress to external services (case D2)', () => {
  const ext = (hostname: string, port: number): EdgeDestination => ({
    kind: 'external',
    hostname,
    port,
    protocol: 'HTTPS',
  });
  const base = () =>
    retailMesh()
      .removePolicy('ap-open')
      .vs('payments-r')
      .policy('orders-pay', [allow.vsToVs('orders', 'payments-r')]);

  it('denies egress when no rule names the external service', () => {
    const s = base().snapshot;
    expect(evaluateEdge(s, vs('orders'), ext('api.partner.example.com', 443)).state).toBe('denied');
  });

  it('allows exactly the named host, port and source', () => {
    const s = base().policy('ap-ext', [
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
    expect(evaluateEdge(s, vs('orders'), ext('api.partner.example.com', 443)).state).toBe('tls');
    expect(evaluateEdge(s, vs('orders'), ext('api.partner.example.com', 8443)).state).toBe(
      'denied',
    );
    expect(evaluateEdge(s, vs('orders'), ext('api2.partner.example.com', 443)).state).toBe(
      'denied',
    );
    expect(evaluateEdge(s, vs('cart'), ext('api.partner.example.com', 443)).state).toBe('denied');
  });
});

describe('hostname and CIDR matching', () => {
  it.each([
    ['api.example.com', 'API.Example.com', true],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'badexample.com', false],
    ['*', 'anything.org', true],
    ['api.example.com', 'api2.example.com', false],
  ])('%s matches %s: %s', (pattern, host, expected) => {
    expect(hostnameMatches(pattern, host)).toBe(expected);
  });

  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['0.0.0.0/0', '192.0.2.1', true],
    ['192.0.2.5', '192.0.2.5', true],
    ['192.0.2.0/24', 'not-an-ip', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });
});
