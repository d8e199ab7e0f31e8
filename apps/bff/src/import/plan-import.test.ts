import { describe, expect, it } from 'vitest';
import {
  MANAGED_CA,
  planImport,
  planItemDependencies,
  resolvePlanBody,
  UnresolvedReferenceError,
  usesManagedCa,
  type PlanItem,
} from './plan-import.ts';
import { fixture } from './plan-test-utils.ts';

const HCL = 'Terraform HCL is not supported: use operator YAML or OCI JSON';

describe('planImport — content types', () => {
  it.each([
    ['application/yaml', 'operator-yaml'],
    ['text/yaml; charset=utf-8', 'operator-yaml'],
    ['application/x-yaml', 'operator-yaml'],
    ['text/plain', 'operator-yaml'],
    ['', 'operator-yaml'],
  ])('plans operator YAML sent as %s', (contentType, format) => {
    const plan = planImport(fixture('storefront.yaml'), contentType);
    expect(plan.format).toBe(format);
    expect(plan.items).toHaveLength(7);
  });

  it.each(['application/json', 'application/vnd.meshdeck+json', 'application/yaml', 'text/plain'])(
    'plans an OCI JSON export sent as %s',
    (contentType) => {
      const plan = planImport(fixture('shop-export.json'), contentType);
      expect(plan.format).toBe('oci-json');
      expect(plan.rejected).toEqual([]);
    },
  );

  it('plans a Kubernetes manifest written as JSON as operator YAML', () => {
    const manifest = JSON.stringify({
      apiVersion: 'servicemesh.oci.oracle.com/v1beta1',
      kind: 'Mesh',
      metadata: { name: 'm' },
      spec: { compartmentId: 'ocid1.compartment.oc1..c', certificateAuthorities: [{ id: '$CA' }] },
    });
    const plan = planImport(manifest, 'text/plain');
    expect(plan.format).toBe('operator-yaml');
    expect(plan.items.map((i) => i.key)).toEqual(['Mesh/m']);
  });

  it.each(['text/plain', 'application/yaml', 'application/json', 'application/octet-stream'])(
    'rejects Terraform HCL sent as %s with one reason',
    (contentType) => {
      const plan = planImport(fixture('gateway.tf'), contentType);
      expect(plan.format).toBeUndefined();
      expect(plan.items).toEqual([]);
      expect(plan.rejected).toEqual([{ kind: 'File', name: '', reasons: [HCL] }]);
    },
  );

  it('recognises Terraform variable and locals blocks too', () => {
    expect(
      planImport('variable "compartment_ocid" {\n}\n', 'text/plain').rejected[0]?.reasons,
    ).toEqual([HCL]);
    expect(planImport('locals {\n  a = 1\n}\n', 'text/plain').rejected[0]?.reasons).toEqual([HCL]);
  });

  it('rejects any other content type', () => {
    expect(planImport('<mesh/>', 'application/xml').rejected).toEqual([
      {
        kind: 'File',
        name: '',
        reasons: [
          'unsupported content type application/xml: send operator YAML as application/yaml or an OCI JSON export as application/json',
        ],
      },
    ]);
  });
});

describe('resolvePlanBody', () => {
  const item: PlanItem = {
    key: 'VirtualServiceRouteTable/rt',
    kind: 'VirtualServiceRouteTable',
    name: 'rt',
    body: {
      compartmentId: 'ocid1.compartment.oc1..c',
      virtualServiceId: 'VirtualService/vs',
      name: 'rt',
      routeRules: [
        {
          type: 'HTTP',
          destinations: [
            { type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: 'VirtualDeployment/v1', weight: 50 },
            { type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: 'VirtualDeployment/v1', weight: 50 },
          ],
        },
      ],
    },
    refs: [
      { path: ['virtualServiceId'], key: 'VirtualService/vs' },
      {
        path: ['routeRules', 0, 'destinations', 0, 'virtualDeploymentId'],
        key: 'VirtualDeployment/v1',
      },
      {
        path: ['routeRules', 0, 'destinations', 1, 'virtualDeploymentId'],
        key: 'VirtualDeployment/v1',
      },
    ],
  };
  const ids: Record<string, string> = {
    'VirtualService/vs': 'ocid1.meshvirtualservice.oc1..new',
    'VirtualDeployment/v1': 'ocid1.meshvirtualdeployment.oc1..new',
  };

  it('replaces every ref with the id the applier gives and leaves the item unchanged', () => {
    const before = structuredClone(item);
    const body = resolvePlanBody(item, (key) => ids[key]);
    expect(body.virtualServiceId).toBe('ocid1.meshvirtualservice.oc1..new');
    expect(body.routeRules[0]?.destinations.map((d) => d.virtualDeploymentId)).toEqual([
      'ocid1.meshvirtualdeployment.oc1..new',
      'ocid1.meshvirtualdeployment.oc1..new',
    ]);
    expect(item).toEqual(before);
  });

  it('throws naming the keys it has no id for', () => {
    expect(() =>
      resolvePlanBody(item, (key) => (key === 'VirtualService/vs' ? 'x' : undefined)),
    ).toThrow(
      new UnresolvedReferenceError('VirtualServiceRouteTable/rt', ['VirtualDeployment/v1']),
    );
  });

  it('lists the dependencies of an item once each', () => {
    expect(planItemDependencies(item)).toEqual(['VirtualService/vs', 'VirtualDeployment/v1']);
  });

  it('asks idOf for MANAGED_CA like any other ref', () => {
    const mesh = planImport(fixture('bookinfo.yaml'), 'application/yaml', {
      compartmentId: 'ocid1.compartment.oc1..c',
    }).items[0];
    if (!mesh || mesh.kind !== 'Mesh') throw new Error('expected the mesh first');
    expect(usesManagedCa(mesh)).toBe(true);
    expect(usesManagedCa(item)).toBe(false);
    expect(
      resolvePlanBody(mesh, (key) => (key === MANAGED_CA ? 'ocid1.ca..own' : undefined))
        .certificateAuthorities,
    ).toEqual([{ id: 'ocid1.ca..own' }]);
  });
});
