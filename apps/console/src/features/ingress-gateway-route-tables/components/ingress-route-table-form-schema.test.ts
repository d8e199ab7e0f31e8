import { describe, expect, it } from 'vitest';
import {
  emptyDestination,
  emptyIngressRouteTableFormValues,
  ingressRouteTableFormSchema,
  toIngressRouteTableCreate,
  toIngressRouteTableUpdate,
  type IngressRouteTableFormValues,
} from './ingress-route-table-form-schema.ts';

const PRODUCT = 'ocid1.meshvirtualservice.oc1..product';
const REVIEWS = 'ocid1.meshvirtualservice.oc1..reviews';

function table(): IngressRouteTableFormValues {
  const values = emptyIngressRouteTableFormValues('web');
  values.name = 'gw-routes';
  const rule = values.routeRules[0];
  if (!rule) throw new Error('no rule');
  rule.path = '/productpage';
  rule.destinations = [
    { virtualServiceId: PRODUCT, weight: '0', port: '' },
    { ...emptyDestination(), virtualServiceId: REVIEWS, weight: '100' },
  ];
  return values;
}

describe('ingress gateway route table form', () => {
  it('keeps a zero weight, leaves empty numbers out, and sets the destination type', () => {
    const body = toIngressRouteTableCreate(table(), {
      id: 'ocid1.meshingressgateway.oc1..gw',
      compartmentId: 'ocid1.compartment.oc1..c',
    });
    expect(body).not.toHaveProperty('priority');
    expect(body.routeRules).toEqual([
      {
        type: 'HTTP',
        ingressGatewayHost: { name: 'web' },
        path: '/productpage',
        pathType: 'PREFIX',
        destinations: [
          { type: 'VIRTUAL_SERVICE', virtualServiceId: PRODUCT, weight: 0 },
          { type: 'VIRTUAL_SERVICE', virtualServiceId: REVIEWS, weight: 100 },
        ],
      },
    ]);
  });

  it('reports the path rule, a bad weight and a host the gateway does not have at once', () => {
    const values = table();
    const rule = values.routeRules[0];
    if (!rule) throw new Error('no rule');
    rule.path = 'productpage';
    rule.hostName = 'api';
    const dest = rule.destinations[1];
    if (dest) dest.weight = '101';
    const result = ingressRouteTableFormSchema(['web']).safeParse(values);
    const byPath = Object.fromEntries(
      (result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]),
    );
    expect(byPath).toEqual({
      'routeRules.0.path': 'path must start with /',
      'routeRules.0.destinations.1.weight': 'weight must be ≤ 100',
      'routeRules.0.hostName': "'api' is not a host of this gateway",
    });
  });

  it('an edit sends a priority of 0 and nothing else that did not change', () => {
    const opened = table();
    expect(toIngressRouteTableUpdate(opened, opened)).toEqual({});
    expect(toIngressRouteTableUpdate({ ...opened, priority: '0' }, opened)).toEqual({
      priority: 0,
    });
    expect(toIngressRouteTableUpdate({ ...opened, routeRules: [] }, opened)).toEqual({
      routeRules: [],
    });
  });
});
