import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/open-db.ts';
import { tableNames } from '../testing/test-db.ts';
import {
  createMesh,
  createTestApp,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

/*
 * References across file-by-file imports: a `ref.name` is a Kubernetes metadata.name, which an
 * earlier import records (import_sources) with the resource it created. Fixtures:
 * bookstore-split/ (one operator resource per file, every OCI name differing from its
 * metadata.name) and bookstore-legacy.yaml (another namespace whose OCI names equal the split
 * files' metadata.names: a decoy for any lookup by OCI name).
 */

const TARGET = 'ocid1.compartment.oc1..bookstore';

const SPLIT = [
  '1-mesh.yaml',
  '2-virtualservice.yaml',
  '3-virtualdeployment.yaml',
  '4-virtualserviceroutetable.yaml',
  '5-ingressgateway.yaml',
  '6-ingressgatewayroutetable.yaml',
  '7-accesspolicy.yaml',
] as const;
type SplitFile = (typeof SPLIT)[number];

function fixture(name: string): string {
  return readFileSync(new URL(`../import/fixtures/${name}`, import.meta.url), 'utf8');
}

function post(t: TestApp, text: string) {
  return t.http
    .post(`/api/import?compartmentId=${TARGET}`)
    .set('content-type', 'application/yaml')
    .send(text);
}

interface Created {
  kind: string;
  name: string;
  id: string;
}

/** Imports one file and expects it to be created whole; answers the created items. */
async function imported(t: TestApp, name: string): Promise<Created[]> {
  const res = await post(t, fixture(name));
  expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
  expect(res.body.rejected).toEqual([]);
  return res.body.created as Created[];
}

async function importSplit(t: TestApp, files: readonly SplitFile[] = SPLIT) {
  const ids: Partial<Record<SplitFile, string>> = {};
  const reports: Partial<Record<SplitFile, Record<string, unknown>>> = {};
  for (const file of files) {
    const res = await post(t, fixture(`bookstore-split/${file}`));
    expect(res.status, `${file}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body.created).toHaveLength(1);
    ids[file] = res.body.created[0].id as string;
    reports[file] = res.body as Record<string, unknown>;
  }
  return { ids, reports };
}

async function read(t: TestApp, path: string, id: string | undefined) {
  const res = await t.http.get(`/20220615/${path}/${id ?? 'missing'}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Record<string, unknown> & Record<string, never>;
}

/** Every table of the database (migrations included), with its row count and rows. */
function snapshot(db: Db): { counts: Record<string, number>; rows: Record<string, unknown[]> } {
  const tables = tableNames(db);
  const counts: Record<string, number> = {};
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    counts[table] = db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
    // Sorted by content: a snapshot compares what is stored, not where the engine keeps it.
    rows[table] = db
      .prepare(`SELECT * FROM "${table}"`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return { counts, rows };
}

function reasonsOf(res: { body: { details: { report: { rejected: { reasons: string[] }[] } } } }) {
  return res.body.details.report.rejected.flatMap((r) => r.reasons);
}

describe('POST /api/import — references to resources of earlier imports', () => {
  it('imports operator files one at a time in dependency order, binding each to the parents it names', async () => {
    const t = createTestApp();
    const legacy = await imported(t, 'bookstore-legacy.yaml');
    const legacyIds = legacy.map((c) => c.id);
    const { ids, reports } = await importSplit(t);

    const meshId = ids['1-mesh.yaml'];
    const vsId = ids['2-virtualservice.yaml'];
    const vdId = ids['3-virtualdeployment.yaml'];
    const gatewayId = ids['5-ingressgateway.yaml'];

    const vs = await read(t, 'virtualServices', vsId);
    expect(vs).toMatchObject({ name: 'catalog-svc', meshId });
    const vd = await read(t, 'virtualDeployments', vdId);
    expect(vd).toMatchObject({ name: 'catalog-v1', virtualServiceId: vsId });
    const routes = await read(
      t,
      'virtualServiceRouteTables',
      ids['4-virtualserviceroutetable.yaml'],
    );
    expect(routes).toMatchObject({
      virtualServiceId: vsId,
      routeRules: [{ destinations: [{ virtualDeploymentId: vdId, weight: 100 }] }],
    });
    const gateway = await read(t, 'ingressGateways', gatewayId);
    expect(gateway).toMatchObject({ name: 'bookstore-ig', meshId });
    const gatewayRoutes = await read(
      t,
      'ingressGatewayRouteTables',
      ids['6-ingressgatewayroutetable.yaml'],
    );
    expect(gatewayRoutes).toMatchObject({
      ingressGatewayId: gatewayId,
      routeRules: [{ destinations: [{ virtualServiceId: vsId }] }],
    });
    const policy = await read(t, 'accessPolicies', ids['7-accesspolicy.yaml']);
    expect(policy).toMatchObject({
      meshId,
      rules: [
        {
          source: { type: 'VIRTUAL_SERVICE', virtualServiceId: vsId },
          destination: { type: 'ALL_VIRTUAL_SERVICES' },
        },
        {
          source: { type: 'INGRESS_GATEWAY', ingressGatewayId: gatewayId },
          destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: vsId },
        },
      ],
    });
    // Nothing of the split set points into the legacy namespace's same-named resources.
    const bound = JSON.stringify([vs, vd, routes, gateway, gatewayRoutes, policy]);
    for (const id of legacyIds) expect(bound).not.toContain(id);

    // The report says which existing resource each reference bound to, and how.
    expect(reports['3-virtualdeployment.yaml']?.resolved).toEqual([
      {
        kind: 'VirtualDeployment',
        name: 'catalog-v1',
        documentIndex: 0,
        id: vdId,
        path: 'spec.virtualService',
        reference: { name: 'catalog', namespace: 'bookstore-demo' },
        via: 'import-source',
        target: {
          kind: 'VirtualService',
          id: vsId,
          name: 'catalog-svc',
          meshId,
          meshName: 'Bookstore',
          source: { namespace: 'bookstore-demo', name: 'catalog' },
        },
        message: expect.stringContaining(`virtual service 'catalog-svc' in mesh 'Bookstore'`),
      },
    ]);
    const policyTargets = (reports['7-accesspolicy.yaml']?.resolved as { path: string }[]).map(
      (r) => [r.path, (r as unknown as { target: { id: string } }).target.id],
    );
    expect(policyTargets).toEqual([
      ['spec.mesh', meshId],
      ['spec.rules[0].source.virtualService', vsId],
      ['spec.rules[1].source.ingressGateway', gatewayId],
      ['spec.rules[1].destination.virtualService', vsId],
    ]);

    const sources = t.db
      .prepare('SELECT kind, namespace, source_name FROM import_sources WHERE resource_id = ?')
      .get(vdId);
    expect(sources).toEqual({
      kind: 'VirtualDeployment',
      namespace: 'bookstore-demo',
      source_name: 'catalog-version1',
    });
  });

  it('never binds a reference to a same-named resource of another mesh or namespace', async () => {
    const t = createTestApp();
    await imported(t, 'bookstore-legacy.yaml');
    await importSplit(t, ['1-mesh.yaml']);

    // The service the deployment names (bookstore-demo/catalog) was not imported: the legacy
    // mesh's OCI-named `catalog` came from legacy/catalog, another Kubernetes resource.
    const orphan = await post(t, fixture('bookstore-split/3-virtualdeployment.yaml'));
    expect(orphan.status).toBe(422);
    expect(reasonsOf(orphan)).toEqual([
      expect.stringMatching(
        /^spec\.virtualService\.ref: virtual service 'catalog' is not defined in this file \(namespace bookstore-demo\) or in Meshdeck; not bound by OCI name to .*'catalog' in mesh 'legacy' .*imported from legacy\/catalog/,
      ),
    ]);

    // A service created through the API (no import source) in another mesh is out of scope for
    // a policy of the Bookstore mesh, even when its name is the only match in Meshdeck.
    const other = await createMesh(t, 'other');
    await createVirtualService(t, other.id, 'search');
    const policy = `apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: AccessPolicy
metadata:
  name: search-access
  namespace: bookstore-demo
spec:
  name: search-ap
  mesh:
    ref:
      name: bookstore-mesh
  rules:
    - action: ALLOW
      source:
        allVirtualServices: {}
      destination:
        virtualService:
          ref:
            name: search
`;
    const scoped = await post(t, policy);
    expect(scoped.status).toBe(422);
    expect(reasonsOf(scoped)).toEqual([
      "spec.rules[0].destination.virtualService.ref: virtual service 'search' is not defined in this file (namespace bookstore-demo) or in Meshdeck",
    ]);

    // Once the Bookstore's own `catalog` is imported, the deployment binds to it.
    const [vs] = await imported(t, 'bookstore-split/2-virtualservice.yaml');
    const [vd] = await imported(t, 'bookstore-split/3-virtualdeployment.yaml');
    expect(await read(t, 'virtualDeployments', vd?.id)).toMatchObject({
      virtualServiceId: vs?.id,
    });
  });

  it('binds by OCI name when exactly one live resource in the scope has it', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'Bookstore');
    const catalog = await createVirtualService(t, mesh.id, 'catalog');
    const res = await post(t, fixture('bookstore-split/3-virtualdeployment.yaml'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.resolved).toMatchObject([
      {
        path: 'spec.virtualService',
        via: 'name',
        target: { kind: 'VirtualService', id: catalog.id, meshName: 'Bookstore' },
      },
    ]);
    expect(await read(t, 'virtualDeployments', res.body.created[0].id)).toMatchObject({
      virtualServiceId: catalog.id,
    });
  });

  it('rejects an ambiguous fallback by OCI name, naming the candidates and how to choose', async () => {
    const t = createTestApp();
    const east = await createMesh(t, 'east');
    const west = await createMesh(t, 'west');
    const eastCatalog = await createVirtualService(t, east.id, 'catalog');
    const westCatalog = await createVirtualService(t, west.id, 'catalog');

    const res = await post(t, fixture('bookstore-split/3-virtualdeployment.yaml'));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ImportRejected');
    const [reason, ...more] = reasonsOf(res);
    expect(more).toEqual([]);
    expect(reason).toContain(
      "spec.virtualService.ref: virtual service 'catalog' (namespace bookstore-demo) is ambiguous:" +
        " no earlier import created it, and 2 live virtual services are named 'catalog':",
    );
    expect(reason).toContain(`'catalog' in mesh 'east' (${eastCatalog.id}`);
    expect(reason).toContain(`'catalog' in mesh 'west' (${westCatalog.id}`);
    expect(reason).toContain('replace spec.virtualService.ref by spec.virtualService.id');

    // A mesh by displayName: only when exactly one live mesh has it.
    await createMesh(t, 'Twin');
    await createMesh(t, 'Twin');
    const twins = await post(
      t,
      `apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualService
metadata:
  name: reviews
spec:
  mesh:
    ref:
      name: Twin
  hosts: [reviews]
`,
    );
    expect(twins.status).toBe(422);
    expect(reasonsOf(twins)).toEqual([
      expect.stringMatching(
        /^spec\.mesh\.ref: mesh 'Twin' is ambiguous: no earlier import created it, and 2 live meshes are named 'Twin': 'Twin' \(ocid1\.servicemesh\.[^,]+, compartment [^)]+\), 'Twin' \(.*\); replace spec\.mesh\.ref by spec\.mesh\.id with the OCID of the one to use$/,
      ),
    ]);
  });

  it('rejects a reference that two earlier imports of the same document answer', async () => {
    const t = createTestApp();
    const [first] = await imported(t, 'bookstore-split/1-mesh.yaml');
    const [second] = await imported(t, 'bookstore-split/1-mesh.yaml');
    const res = await post(t, fixture('bookstore-split/2-virtualservice.yaml'));
    expect(res.status).toBe(422);
    const [reason] = reasonsOf(res);
    expect(reason).toContain(
      "spec.mesh.ref: mesh 'bookstore-mesh' (namespace bookstore-demo) is ambiguous: earlier imports created 2 meshes from it:",
    );
    expect(reason).toContain(first?.id);
    expect(reason).toContain(second?.id);

    // Deleting one leaves a single live answer.
    const del = await t.http.delete(`/20220615/meshes/${second?.id}`);
    expect(del.status).toBe(202);
    await t.settle();
    const [vs] = await imported(t, 'bookstore-split/2-virtualservice.yaml');
    expect(await read(t, 'virtualServices', vs?.id)).toMatchObject({ meshId: first?.id });
  });

  it('leaves every table as it was when an import is rejected, at planning or at apply time', async () => {
    const t = createTestApp();
    await imported(t, 'bookstore-legacy.yaml');
    await importSplit(t, ['1-mesh.yaml', '2-virtualservice.yaml']);
    const east = await createMesh(t, 'east');
    const west = await createMesh(t, 'west');
    await createVirtualService(t, east.id, 'search');
    await createVirtualService(t, west.id, 'search');

    const before = snapshot(t.db);
    expect(before.counts.import_sources).toBe(6);

    // Planning: an ambiguous reference (nothing is attempted).
    const ambiguous = await post(
      t,
      `apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualDeployment
metadata:
  name: search-version1
  namespace: bookstore-demo
spec:
  virtualService:
    ref:
      name: search
  serviceDiscovery: {type: DNS, hostname: search}
  listener: [{port: 9080, protocol: HTTP}]
`,
    );
    expect(ambiguous.status).toBe(422);
    expect(snapshot(t.db)).toEqual(before);

    // Apply: `orders` (and its import source) is created, then `catalog-svc` clashes with the
    // existing service of that name: the whole import is rolled back.
    const clash = await post(
      t,
      `apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualService
metadata:
  name: orders
  namespace: bookstore-demo
spec:
  mesh: {ref: {name: bookstore-mesh}}
  hosts: [orders]
---
apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: VirtualService
metadata:
  name: catalog-again
  namespace: bookstore-demo
spec:
  name: catalog-svc
  mesh: {ref: {name: bookstore-mesh}}
  hosts: [catalog]
`,
    );
    expect(clash.status).toBe(422);
    expect(clash.body.details.report.created).toEqual([]);
    expect(reasonsOf(clash)).toEqual([
      'name: a virtual service named catalog-svc already exists in mesh Bookstore',
    ]);
    expect(clash.body.details.report.resolved).toHaveLength(2);
    expect(clash.body.details.report.resolved[0]).not.toHaveProperty('id');
    const after = snapshot(t.db);
    expect(after.counts).toEqual(before.counts);
    expect(after).toEqual(before);
  });
});
