import { deriveTopology, type Topology } from '@meshdeck/domain';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadMeshRecords, meshSnapshot } from '../console-api/views.ts';
import { createStores } from '../resources/definitions.ts';
import {
  allow,
  COMPARTMENT_ID,
  createAccessPolicy,
  createIngressRouteTable,
  createMesh,
  createRouteTable,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  vsTarget,
  type TestApp,
} from '../testing/test-app.ts';

type Json = Record<string, unknown>;

/** A mesh with every kind, every access-policy target type and every listener TLS variant. */
async function buildBookinfo(t: TestApp): Promise<string> {
  const mesh = await createMesh(t, 'bookinfo', 'PERMISSIVE', {
    description: 'Bookinfo sample',
    freeformTags: { team: 'books' },
  });
  const productpage = await createVirtualService(t, mesh.id, 'productpage', 'STRICT', {
    hosts: ['productpage', 'productpage:9080'],
    defaultRoutingPolicy: { type: 'UNIFORM' },
  });
  const details = await createVirtualService(t, mesh.id, 'details', undefined, {
    hosts: ['details'],
  });
  const reviews = await createVirtualService(t, mesh.id, 'reviews', 'PERMISSIVE', {
    hosts: ['reviews'],
    mtls: { mode: 'PERMISSIVE', maximumValidity: 60 },
  });
  const ratings = await createVirtualService(t, mesh.id, 'ratings', undefined, {
    hosts: ['ratings'],
  });
  await createVirtualDeployment(t, productpage.id, 'v1');
  await createVirtualDeployment(t, details.id, 'v1');
  const v1 = await createVirtualDeployment(t, reviews.id, 'v1');
  const v2 = await createVirtualDeployment(t, reviews.id, 'v2');
  const v3 = await createVirtualDeployment(t, reviews.id, 'v3');
  await createVirtualDeployment(t, ratings.id, 'v1');
  await createRouteTable(
    t,
    reviews.id,
    'reviews-routes',
    [
      [v1.id, 0],
      [v2.id, 50],
      [v3.id, 50],
    ],
    { priority: 2, description: 'zero weight on v1' },
  );
  const gwRes = await t.http.post('/20220615/ingressGateways').send({
    compartmentId: COMPARTMENT_ID,
    meshId: mesh.id,
    name: 'bookinfo-gw',
    hosts: [
      {
        name: 'web',
        hostnames: ['bookinfo.example.com'],
        listeners: [
          { protocol: 'HTTP', port: 8080 },
          {
            protocol: 'HTTP',
            port: 8443,
            tls: {
              mode: 'TLS',
              serverCertificate: {
                type: 'OCI_CERTIFICATES',
                certificateId: 'ocid1.certificate.oc1..web',
              },
            },
          },
        ],
      },
      {
        name: 'partners',
        hostnames: ['partners.example.com'],
        listeners: [
          {
            protocol: 'HTTP',
            port: 9443,
            tls: {
              mode: 'MUTUAL_TLS',
              serverCertificate: { type: 'LOCAL_FILE', secretName: 'partners-cert' },
              clientValidation: {
                trustedCaBundle: { type: 'OCI_CERTIFICATES', caBundleId: 'ocid1.cabundle.oc1..p' },
                subjectAlternateNames: ['partner.example.org'],
              },
            },
          },
        ],
      },
    ],
    accessLogging: { isEnabled: true },
    mtls: { maximumValidity: 50 },
  });
  expect(gwRes.status, JSON.stringify(gwRes.body)).toBe(200);
  await t.settle();
  const gatewayId = gwRes.body.id as string;
  await createIngressRouteTable(
    t,
    gatewayId,
    'bookinfo-gw-routes',
    [
      {
        type: 'HTTP',
        ingressGatewayHost: { name: 'web', port: 8080 },
        path: '/productpage',
        pathType: 'PREFIX',
        isPathRewriteEnabled: true,
        isHostRewriteEnabled: false,
        requestTimeoutInMs: 0,
        destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: productpage.id, port: 9080 }],
      },
      {
        type: 'HTTP',
        ingressGatewayHost: { name: 'partners' },
        path: '/api',
        destinations: [
          { type: 'VIRTUAL_SERVICE', virtualServiceId: reviews.id, weight: 0 },
          { type: 'VIRTUAL_SERVICE', virtualServiceId: details.id, weight: 100 },
        ],
      },
    ],
    { priority: 1 },
  );
  const igTarget = { type: 'INGRESS_GATEWAY', ingressGatewayId: gatewayId };
  await createAccessPolicy(t, mesh.id, 'gateway-in', [
    allow(igTarget, vsTarget(productpage.id)),
    allow(igTarget, vsTarget(details.id)),
  ]);
  await createAccessPolicy(t, mesh.id, 'inside', [
    allow(vsTarget(productpage.id), vsTarget(reviews.id)),
    allow(vsTarget(reviews.id), vsTarget(ratings.id)),
    allow({ type: 'ALL_VIRTUAL_SERVICES' }, vsTarget(details.id)),
  ]);
  await createAccessPolicy(t, mesh.id, 'egress', [
    allow(vsTarget(ratings.id), {
      type: 'EXTERNAL_SERVICE',
      protocol: 'HTTPS',
      hostnames: ['*.googleapis.com'],
      ports: [443],
    }),
    allow(
      { type: 'ALL_VIRTUAL_SERVICES' },
      { type: 'EXTERNAL_SERVICE', protocol: 'TCP', ipAddresses: ['10.0.0.0/16'], ports: [5432] },
    ),
    allow(vsTarget(details.id), {
      type: 'EXTERNAL_SERVICE',
      protocol: 'HTTP',
      hostnames: ['books.example.org'],
    }),
  ]);
  return mesh.id;
}

/** Replaces every id in `value` (also inside strings such as edge ids) by `Kind:name`. */
function withNames(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [id, name] of names) out = out.split(id).join(name);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => withNames(v, names));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !['id', 'timeCreated', 'timeUpdated', 'certificateId', 'etag'].includes(k))
        .map(([k, v]) => [k, k === 'certificateAuthorities' ? 'CA' : withNames(v, names)]),
    );
  }
  return value;
}

/** The mesh's resources (OCI reads plus declared modes) and its graph, ids replaced by names. */
function stateOf(t: TestApp, meshId: string): { resources: unknown; topology: unknown } {
  const stores = createStores(t.db);
  const mesh = stores.Mesh.get(meshId);
  if (!mesh) throw new Error(`no mesh ${meshId}`);
  const snapshot = meshSnapshot(loadMeshRecords(stores, mesh));
  const names = new Map<string, string>([[snapshot.mesh.id, `Mesh:${snapshot.mesh.displayName}`]]);
  for (const vs of snapshot.virtualServices) names.set(vs.id, `VirtualService:${vs.name}`);
  for (const vd of snapshot.virtualDeployments) {
    const parent = names.get(vd.virtualServiceId) ?? '?';
    names.set(vd.id, `VirtualDeployment:${parent}/${vd.name}`);
  }
  for (const r of snapshot.virtualServiceRouteTables) names.set(r.id, `RouteTable:${r.name}`);
  for (const g of snapshot.ingressGateways) names.set(g.id, `IngressGateway:${g.name}`);
  for (const r of snapshot.ingressGatewayRouteTables) names.set(r.id, `IngressRoutes:${r.name}`);
  for (const p of snapshot.accessPolicies) names.set(p.id, `AccessPolicy:${p.name}`);
  const topology: Topology = deriveTopology(snapshot);
  const sortBy = <T>(items: T[], key: (x: T) => string) =>
    [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const named = withNames(topology, names) as Topology;
  const ordered = Object.fromEntries(
    Object.entries(snapshot).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? sortBy(value as { id: string }[], (r) => names.get(r.id) ?? r.id)
        : value,
    ]),
  );
  return {
    resources: withNames(ordered, names),
    topology: {
      nodes: sortBy(named.nodes, (n) => `${n.kind}:${n.name}`),
      edges: sortBy(named.edges, (e) => `${e.source}->${e.target}`),
    },
  };
}

async function importInto(t: TestApp, text: string, contentType: string): Promise<Json> {
  const res = await t.http.post('/api/import').set('content-type', contentType).send(text);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.rejected, JSON.stringify(res.body.rejected)).toEqual([]);
  await t.settle();
  return res.body as Json;
}

describe('GET /api/meshes/:id/export', () => {
  for (const [format, contentType, extension] of [
    ['oci-json', 'application/json', 'oci.json'],
    ['operator-yaml', 'application/yaml', 'operator.yaml'],
  ] as const) {
    it(`${format} imports into a fresh database as the same resources and the same graph`, async () => {
      const source = createTestApp();
      const meshId = await buildBookinfo(source);
      const res = await source.http.get(`/api/meshes/${meshId}/export?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain(contentType);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="bookinfo.${extension}"`,
      );

      const target = createTestApp();
      const report = await importInto(target, res.text, contentType);
      expect(report.format).toBe(format);
      const created = report.created as { kind: string; id: string; name: string }[];
      expect(created.map((c) => c.kind)).toEqual([
        'Mesh',
        ...Array<string>(4).fill('VirtualService'),
        ...Array<string>(6).fill('VirtualDeployment'),
        'VirtualServiceRouteTable',
        'IngressGateway',
        'IngressGatewayRouteTable',
        ...Array<string>(3).fill('AccessPolicy'),
      ]);
      const newMeshId = created[0]?.id ?? '';

      const before = stateOf(source, meshId);
      const after = stateOf(target, newMeshId);
      expect(after.resources).toEqual(before.resources);
      expect(after.topology).toEqual(before.topology);
      // Spot checks, so that the comparison above cannot pass on two empty meshes.
      const topology = before.topology as {
        edges: { source: string; target: string; state: string }[];
      };
      expect(topology.edges).toContainEqual(
        expect.objectContaining({
          source: 'IngressGateway:bookinfo-gw',
          target: 'VirtualService:productpage',
          state: 'mtls',
        }),
      );
      const snapshot = after.resources as {
        virtualServices: { name: string; declaredMode: string | null }[];
        virtualServiceRouteTables: { routeRules: { destinations: { weight: number }[] }[] }[];
      };
      expect(snapshot.virtualServices.map((v) => [v.name, v.declaredMode])).toEqual([
        ['details', null],
        ['productpage', 'STRICT'],
        ['ratings', null],
        ['reviews', 'PERMISSIVE'],
      ]);
      expect(
        snapshot.virtualServiceRouteTables[0]?.routeRules[0]?.destinations.map((d) => d.weight),
      ).toEqual([0, 50, 50]);
    });
  }

  it('writes operator YAML with references by metadata.name and OCI names in spec', async () => {
    const t = createTestApp();
    const meshId = await buildBookinfo(t);
    const res = await t.http.get(`/api/meshes/${meshId}/export?format=operator-yaml`);
    const docs = parseAllDocuments(res.text).map((d) => d.toJS() as Json);
    const deployments = docs.filter((d) => d.kind === 'VirtualDeployment');
    expect(deployments.map((d) => (d.metadata as Json).name)).toEqual([
      'details-v1',
      'productpage-v1',
      'ratings-v1',
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(deployments[0]?.spec).toMatchObject({
      name: 'v1',
      virtualService: { ref: { name: 'details' } },
    });
    const policy = docs.find((d) => (d.metadata as Json).name === 'gateway-in');
    expect((policy?.spec as Json).rules).toEqual([
      {
        action: 'ALLOW',
        source: { ingressGateway: { ref: { name: 'bookinfo-gw' } } },
        destination: { virtualService: { ref: { name: 'productpage' } } },
      },
      {
        action: 'ALLOW',
        source: { ingressGateway: { ref: { name: 'bookinfo-gw' } } },
        destination: { virtualService: { ref: { name: 'details' } } },
      },
    ]);
    const inheriting = docs.find((d) => (d.metadata as Json).name === 'details');
    expect((inheriting?.spec as Json).mtls).toEqual({ maximumValidity: 45 });
  });

  it('says in the YAML header when an external service without a protocol gets one', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'egress-only', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'api');
    await createAccessPolicy(t, mesh.id, 'out', [
      allow(vsTarget(vs.id), { type: 'EXTERNAL_SERVICE', hostnames: ['example.com'] }),
    ]);
    const yaml = await t.http.get(`/api/meshes/${mesh.id}/export?format=operator-yaml`);
    expect(yaml.text).toContain(
      "# Note: access policy 'out' rules[0].destination: an external service without a protocol is written as HTTPS (the operator needs one)",
    );
    const json = await t.http.get(`/api/meshes/${mesh.id}/export?format=oci-json`);
    expect(json.body.accessPolicies[0].rules[0].destination).toEqual({
      type: 'EXTERNAL_SERVICE',
      hostnames: ['example.com'],
    });
  });

  it('answers 404 for a mesh that does not exist and changes nothing', async () => {
    const t = createTestApp();
    const res = await t.http.get('/api/meshes/ocid1.servicemesh.oc1..missing/export');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'NotAuthorizedOrNotFound',
      message: 'mesh ocid1.servicemesh.oc1..missing not found',
    });
  });

  it('answers 400 for an unknown format', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm');
    const res = await t.http.get(`/api/meshes/${mesh.id}/export?format=terraform`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('format: must be oci-json or operator-yaml');
  });
});

describe('console views and the browser cache', () => {
  it('a conditional GET of a mesh view after a child was added answers the new view, never 304', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'cached');
    const first = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(first.headers['cache-control']).toBe('no-store');
    await createVirtualService(t, mesh.id, 'added-later');
    const again = await t.http
      .get(`/api/meshes/${mesh.id}`)
      .set('if-none-match', first.headers.etag as string);
    expect(again.status).toBe(200);
    expect(again.body.virtualServices.map((v: { name: string }) => v.name)).toEqual([
      'added-later',
    ]);
  });
});
