import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createMesh,
  createTestApp,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

const TARGET = 'ocid1.compartment.oc1..mine';

function fixture(name: string): string {
  return readFileSync(new URL(`../import/fixtures/${name}`, import.meta.url), 'utf8');
}

function post(
  t: TestApp,
  text: string,
  contentType = 'application/yaml',
  query = `compartmentId=${TARGET}`,
) {
  return t.http.post(`/api/import?${query}`).set('content-type', contentType).send(text);
}

async function meshCount(t: TestApp, compartmentId = TARGET): Promise<number> {
  const res = await t.http.get(`/20220615/meshes?compartmentId=${compartmentId}`);
  return res.body.items.length as number;
}

describe('POST /api/import', () => {
  it('creates the Bookinfo tutorial in dependency order and keeps its flags as findings', async () => {
    const t = createTestApp();
    const res = await post(t, fixture('bookinfo.yaml'));
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('operator-yaml');
    expect(res.body.compartmentId).toBe(TARGET);
    expect(res.body.rejected).toEqual([]);
    const kinds = res.body.created.map((c: { kind: string }) => c.kind);
    expect(kinds.indexOf('Mesh')).toBe(0);
    expect(kinds.lastIndexOf('VirtualService')).toBeLessThan(kinds.indexOf('VirtualDeployment'));
    expect(kinds[kinds.length - 1]).toBe('AccessPolicy');
    const rt001 = res.body.flagged.filter((f: { code: string }) => f.code === 'RT001');
    expect(rt001).toEqual([
      expect.objectContaining({ kind: 'VirtualServiceRouteTable', name: 'reviews-routes' }),
    ]);

    const meshId = res.body.created[0].id as string;
    const detail = await t.http.get(`/api/meshes/${meshId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.summary.counts).toEqual({
      virtualServices: 4,
      virtualDeployments: 6,
      virtualServiceRouteTables: 4,
      ingressGateways: 1,
      ingressGatewayRouteTables: 1,
      accessPolicies: 1,
    });
    const codes = detail.body.findings.map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual(res.body.flagged.map((f: { code: string }) => f.code).sort());
    expect(detail.body.findings).toContainEqual(
      expect.objectContaining({ code: 'RT001', resourceName: 'reviews-routes' }),
    );
    const topology = await t.http.get(`/api/meshes/${meshId}/topology`);
    expect(topology.status).toBe(200);
  });

  it('marks a mesh whose CA Meshdeck does not manage as external (CA001)', async () => {
    const t = createTestApp();
    const res = await post(t, fixture('storefront.yaml'));
    expect(res.status).toBe(200);
    expect(res.body.flagged).toContainEqual(
      expect.objectContaining({ kind: 'Mesh', code: 'CA001' }),
    );
    const meshes = await t.http.get('/api/meshes');
    expect(meshes.body.items[0].certificateAuthority).toEqual({
      id: 'ocid1.certificateauthority.oc1.iad.shopca',
      external: true,
    });
  });

  it('imports an OCI JSON export sent as application/json', async () => {
    const t = createTestApp();
    const res = await post(t, fixture('shop-export.json'), 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('oci-json');
    expect(res.body.created.length).toBeGreaterThan(0);
  });

  it('creates nothing and answers 422 ImportRejected when the plan rejects an item', async () => {
    const t = createTestApp();
    const res = await post(t, fixture('broken-refs.yaml'));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ImportRejected');
    expect(res.body.details.report.created).toEqual([]);
    expect(res.body.details.report.rejected.length).toBeGreaterThan(0);
    expect(await meshCount(t)).toBe(0);
  });

  it('rolls back every create when one item breaks a rule at apply time', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'shop-mesh', 'PERMISSIVE');
    await createVirtualService(t, mesh.id, 'cart');
    const yaml = `apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualService
metadata:
  name: orders
spec:
  compartmentId: ${TARGET}
  mesh:
    ref:
      name: shop-mesh
---
apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualService
metadata:
  name: cart
spec:
  compartmentId: ${TARGET}
  mesh:
    ref:
      name: shop-mesh
`;
    const res = await post(t, yaml);
    expect(res.status).toBe(422);
    expect(res.body.details.report.created).toEqual([]);
    expect(res.body.details.report.rejected).toEqual([
      {
        kind: 'VirtualService',
        name: 'cart',
        documentIndex: 1,
        reasons: ['name: a virtual service named cart already exists in mesh shop-mesh'],
      },
    ]);
    const list = await t.http.get(`/20220615/virtualServices?compartmentId=${TARGET}`);
    expect(list.body.items).toEqual([]);
  });

  it('rejects Terraform HCL with one file-level reason', async () => {
    const t = createTestApp();
    const res = await post(t, fixture('gateway.tf'), 'text/plain');
    expect(res.status).toBe(422);
    expect(res.body.details.report).toMatchObject({
      rejected: [
        {
          kind: 'File',
          name: '',
          reasons: ['Terraform HCL is not supported: use operator YAML or OCI JSON'],
        },
      ],
    });
    expect(res.body.details.report).not.toHaveProperty('format');
  });
});
