import { describe, expect, it } from 'vitest';
import type { IngressGatewayRouteTable } from '../ingress-gateway-route-table/ingress-gateway-route-table.schema.ts';
import { selectIngressRoute } from './routing.ts';

function table(
  name: string,
  path: string,
  target: string,
  priority?: number,
): IngressGatewayRouteTable {
  return {
    id: `igrt:${name}`,
    compartmentId: 'c',
    timeCreated: '2025-03-01T00:00:00.000Z',
    lifecycleState: 'ACTIVE',
    ingressGatewayId: 'gw:edge-gw',
    name,
    ...(priority !== undefined ? { priority } : {}),
    routeRules: [
      {
        type: 'HTTP',
        path,
        pathType: 'PREFIX',
        destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: `vs:${target}` }],
      },
    ],
  };
}

const target = (tables: IngressGatewayRouteTable[], path: string) => {
  const match = selectIngressRoute(tables, { path });
  return match?.rule.destinations[0]?.virtualServiceId;
};

describe('ingress route precedence', () => {
  it('picks the longest prefix among equal priorities, whatever the creation order (case C1)', () => {
    const store = table('rt-store', '/', 'storefront', 5);
    const api = table('rt-api', '/api', 'orders', 5);
    for (const order of [
      [store, api],
      [api, store],
    ]) {
      expect(target(order, '/api/orders/42')).toBe('vs:orders');
      expect(target(order, '/about')).toBe('vs:storefront');
    }
  });

  it('applies the lower priority number first (case C2)', () => {
    const api = table('rt-api', '/api', 'orders', 1);
    expect(target([api, table('rt-store', '/', 'storefront', 10)], '/api/x')).toBe('vs:orders');
    expect(target([api, table('rt-store', '/', 'storefront', 0)], '/api/x')).toBe('vs:storefront');
  });

  it('matches prefixes on whole path segments', () => {
    const api = table('rt-api', '/api', 'orders', 1);
    expect(target([api], '/api')).toBe('vs:orders');
    expect(target([api], '/apix')).toBeUndefined();
  });
});
