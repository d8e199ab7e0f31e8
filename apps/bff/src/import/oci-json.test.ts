import { describe, expect, it } from 'vitest';
import { MANAGED_CA, OCI_JSON_FORMAT, planImport, type ImportPlan } from './plan-import.ts';
import { applyPlan, countByKind, fixture, MESHDECK_CA_ID } from './plan-test-utils.ts';

const JSON_TYPE = 'application/json';

function exportOf(collections: Record<string, unknown[]>): string {
  return JSON.stringify({ format: OCI_JSON_FORMAT, ...collections });
}

const MESH = {
  id: 'ocid1.servicemesh.oc1..m',
  compartmentId: 'ocid1.compartment.oc1..source',
  displayName: 'm',
  certificateAuthorities: [{ id: '$CA' }],
  mtls: { minimum: 'STRICT' },
  lifecycleState: 'ACTIVE',
  timeCreated: '2025-01-01T00:00:00Z',
};

function service(extra: Record<string, unknown> = {}) {
  return {
    id: 'ocid1.meshvirtualservice.oc1..vs',
    compartmentId: 'ocid1.compartment.oc1..source',
    meshId: MESH.id,
    name: 'vs',
    lifecycleState: 'ACTIVE',
    timeCreated: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

function reasonsOf(plan: ImportPlan): string[] {
  return plan.rejected.flatMap((r) => r.reasons);
}

describe('planImport — OCI JSON export', () => {
  const plan = planImport(fixture('shop-export.json'), JSON_TYPE);

  it('plans every resource of the export, parents first', () => {
    expect(plan.format).toBe('oci-json');
    expect(plan.rejected).toEqual([]);
    expect(countByKind(plan.items)).toEqual({
      Mesh: 1,
      VirtualService: 2,
      VirtualDeployment: 2,
      VirtualServiceRouteTable: 1,
      IngressGateway: 1,
      IngressGatewayRouteTable: 1,
      AccessPolicy: 1,
    });
    expect(plan.items[0]).toMatchObject({
      key: 'Mesh/ocid1.servicemesh.oc1.iad.shop',
      sourceId: 'ocid1.servicemesh.oc1.iad.shop',
      name: 'shop',
    });
  });

  it('round-trips ids: every reference lands on the new id of the resource it named', () => {
    const { idOf, bodies } = applyPlan(plan);
    const newId = (kind: string, oldId: string) => idOf.get(`${kind}/${oldId}`);
    const body = (kind: string, oldId: string) => bodies.get(`${kind}/${oldId}`);
    const mesh = newId('Mesh', 'ocid1.servicemesh.oc1.iad.shop');
    const cart = newId('VirtualService', 'ocid1.meshvirtualservice.oc1.iad.cart');
    const payments = newId('VirtualService', 'ocid1.meshvirtualservice.oc1.iad.payments');
    const gateway = newId('IngressGateway', 'ocid1.meshingressgateway.oc1.iad.shopgw');
    expect(new Set(idOf.values()).size).toBe(plan.items.length);
    expect([...idOf.values()].some((id) => id.includes('iad'))).toBe(false);

    expect(body('VirtualService', 'ocid1.meshvirtualservice.oc1.iad.cart')?.meshId).toBe(mesh);
    expect(
      body('VirtualDeployment', 'ocid1.meshvirtualdeployment.oc1.iad.cartv2')?.virtualServiceId,
    ).toBe(cart);
    expect(
      body('VirtualServiceRouteTable', 'ocid1.meshvirtualserviceroutetable.oc1.iad.cartroutes'),
    ).toMatchObject({
      virtualServiceId: cart,
      routeRules: [
        {
          destinations: [
            {
              virtualDeploymentId: newId(
                'VirtualDeployment',
                'ocid1.meshvirtualdeployment.oc1.iad.cartv1',
              ),
              weight: 100,
            },
            {
              virtualDeploymentId: newId(
                'VirtualDeployment',
                'ocid1.meshvirtualdeployment.oc1.iad.cartv2',
              ),
              weight: 0,
            },
          ],
        },
      ],
    });
    expect(body('IngressGateway', 'ocid1.meshingressgateway.oc1.iad.shopgw')?.meshId).toBe(mesh);
    expect(
      body('IngressGatewayRouteTable', 'ocid1.meshingressgatewayroutetable.oc1.iad.shopgwroutes'),
    ).toMatchObject({
      ingressGatewayId: gateway,
      routeRules: [{ destinations: [{ virtualServiceId: cart }] }],
    });
    expect(body('AccessPolicy', 'ocid1.meshaccesspolicy.oc1.iad.shoppolicy')).toMatchObject({
      meshId: mesh,
      rules: [
        { source: { ingressGatewayId: gateway }, destination: { virtualServiceId: cart } },
        { source: { virtualServiceId: cart }, destination: { virtualServiceId: payments } },
      ],
    });
  });

  it('drops read-only fields: ids, lifecycle, times, system tags, leaf certificate ids', () => {
    const text = JSON.stringify(plan.items.map((i) => i.body));
    for (const field of [
      '"id":"ocid1.mesh',
      'lifecycleState',
      'timeCreated',
      'timeUpdated',
      'systemTags',
      'certificateId',
    ]) {
      expect(text).not.toContain(field);
    }
    expect(plan.items.find((i) => i.kind === 'IngressGateway')?.body).toMatchObject({
      mtls: { maximumValidity: 45 },
    });
    expect(plan.items[0]?.body).toMatchObject({ freeformTags: { team: 'shop' } });
  });

  it('reads mtls.declared: false inherits the mesh minimum, true keeps the mode', () => {
    const [cart, payments] = plan.items.filter((i) => i.kind === 'VirtualService');
    expect(cart?.body.mtls).toEqual({ maximumValidity: 45 });
    expect(payments?.body.mtls).toEqual({ mode: 'STRICT' });
  });

  it('turns the MANAGED_CA marker into Meshdeck’s CA', () => {
    expect(plan.items[0]?.refs).toEqual([
      { path: ['certificateAuthorities', 0, 'id'], key: MANAGED_CA },
    ]);
    expect(applyPlan(plan).bodies.get(plan.items[0]?.key ?? '')?.certificateAuthorities).toEqual([
      { id: MESHDECK_CA_ID },
    ]);
  });

  it('keeps a mode when declared is absent, and checks it against the mesh minimum', () => {
    const kept = planImport(
      exportOf({
        meshes: [MESH],
        virtualServices: [service({ mtls: { mode: 'STRICT', certificateId: 'x' } })],
      }),
      JSON_TYPE,
    );
    expect(kept.items[1]?.body).toMatchObject({ mtls: { mode: 'STRICT' } });
    const below = planImport(
      exportOf({
        meshes: [MESH],
        virtualServices: [service({ mtls: { mode: 'PERMISSIVE', declared: true } })],
      }),
      JSON_TYPE,
    );
    expect(reasonsOf(below)).toEqual([
      'mtls.mode: PERMISSIVE is less strict than mesh minimum STRICT (VS001)',
    ]);
  });

  it('resolves ids that are not in the file through existing resources', () => {
    const text = exportOf({ virtualServices: [service()] });
    const resolved = planImport(text, JSON_TYPE, {
      existing: {
        findById: (kind, id) => (kind === 'Mesh' && id === MESH.id ? { id } : undefined),
      },
    });
    expect(resolved.rejected).toEqual([]);
    expect(resolved.items[0]?.body.compartmentId).toBe('ocid1.compartment.oc1..source');
    expect(resolved.items[0]).toMatchObject({ body: { meshId: MESH.id }, refs: [] });

    const unknown = planImport(text, JSON_TYPE);
    expect(unknown.rejected).toEqual([
      {
        kind: 'VirtualService',
        name: 'vs',
        sourceId: 'ocid1.meshvirtualservice.oc1..vs',
        reasons: ["meshId: mesh 'ocid1.servicemesh.oc1..m' is not in this file or in Meshdeck"],
      },
    ]);
  });

  it('overrides compartments with the compartmentId option', () => {
    const moved = planImport(fixture('shop-export.json'), JSON_TYPE, {
      compartmentId: 'ocid1.compartment.oc1..target',
    });
    expect(new Set(moved.items.map((i) => i.body.compartmentId))).toEqual(
      new Set(['ocid1.compartment.oc1..target']),
    );
  });

  it.each([
    ['invalid JSON', '{"format": ', /^invalid JSON: /],
    ['a missing format', '{"meshes": []}', /"format": "meshdeck\/oci-json@1" is missing/],
    [
      'another format version',
      '{"format": "meshdeck/oci-json@2"}',
      /unsupported format "meshdeck\/oci-json@2"/,
    ],
    [
      'an unknown collection',
      `{"format": "${OCI_JSON_FORMAT}", "virtualService": []}`,
      /unknown field virtualService: expected/,
    ],
    [
      'a collection that is not an array',
      `{"format": "${OCI_JSON_FORMAT}", "meshes": {}}`,
      /meshes must be an array/,
    ],
  ])('rejects %s as a whole file', (_what, text, reason) => {
    const rejected = planImport(text, JSON_TYPE);
    expect(rejected.items).toEqual([]);
    expect(rejected.rejected).toHaveLength(1);
    expect(rejected.rejected[0]?.kind).toBe('File');
    expect(rejected.rejected[0]?.reasons[0]).toMatch(reason);
  });

  it.each([
    [
      'a duplicate id',
      { meshes: [MESH], virtualServices: [service(), service({ name: 'again' })] },
      'duplicate id ocid1.meshvirtualservice.oc1..vs: virtualServices[1] repeats virtualServices[0]',
    ],
    [
      'a policy without meshId',
      {
        meshes: [MESH],
        accessPolicies: [
          {
            id: 'ocid1.meshaccesspolicy.oc1..p',
            compartmentId: 'ocid1.compartment.oc1..c',
            name: 'p',
            rules: [],
          },
        ],
      },
      'meshId is missing',
    ],
    [
      'a route to a deployment of another service',
      {
        meshes: [MESH],
        virtualServices: [
          service(),
          service({ id: 'ocid1.meshvirtualservice.oc1..other', name: 'other' }),
        ],
        virtualDeployments: [
          {
            id: 'ocid1.meshvirtualdeployment.oc1..d',
            compartmentId: 'ocid1.compartment.oc1..c',
            virtualServiceId: 'ocid1.meshvirtualservice.oc1..other',
            name: 'd',
          },
        ],
        virtualServiceRouteTables: [
          {
            compartmentId: 'ocid1.compartment.oc1..c',
            virtualServiceId: 'ocid1.meshvirtualservice.oc1..vs',
            name: 'rt',
            routeRules: [
              {
                type: 'HTTP',
                destinations: [
                  {
                    type: 'VIRTUAL_DEPLOYMENT',
                    virtualDeploymentId: 'ocid1.meshvirtualdeployment.oc1..d',
                    weight: 1,
                  },
                ],
              },
            ],
          },
        ],
      },
      "routeRules[0].destinations[0].virtualDeploymentId: virtual deployment 'd' belongs to another virtual service than virtual service 'vs'",
    ],
    [
      'an unknown field on an item',
      { meshes: [{ ...MESH, colour: 'blue' }] },
      'unknown field colour',
    ],
  ])('rejects %s', (_what, collections, reason) => {
    expect(reasonsOf(planImport(exportOf(collections), JSON_TYPE))).toEqual([reason]);
  });
});
