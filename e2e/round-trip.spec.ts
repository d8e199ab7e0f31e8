import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_PORT, E2E_SETUP_TOKEN } from './auth-files.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { COMPARTMENT, expect, test } from './fixtures.ts';

/*
 * Issue #6, "Done when": a Bookinfo-like mesh built through the forms alone, one resource of each
 * kind edited and one deleted, the mesh exported in both formats, and each export imported
 * through the Import page of a second BFF on a fresh in-memory database, which must show the
 * same resources and the same edge states.
 */

const SECOND_PORT = E2E_PORT + 10;
const idFromUrl = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');

/** The page's console visits, each checked with axe. */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await expectNoSeriousA11yViolations(page);
}

async function createService(page: Page, meshId: string, name: string): Promise<string> {
  await visit(page, `/meshes/${meshId}/services`);
  await page.getByRole('link', { name: 'New virtual service' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Add host' }).click();
  await page.getByLabel('Host 1', { exact: true }).fill(`${name}.bookinfo.svc`);
  await page.getByRole('button', { name: 'Create virtual service' }).click();
  await expect(page).toHaveURL(/\/virtual-services\/[^/]+$/);
  return idFromUrl(page.url());
}

async function createDeployment(page: Page, meshId: string, service: string, name: string) {
  await visit(page, `/meshes/${meshId}/deployments`);
  await page.getByRole('link', { name: 'New virtual deployment' }).click();
  await page.getByLabel('Virtual service').selectOption({ label: service });
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Hostname').fill(`${name}.bookinfo.svc.cluster.local`);
  await page.getByLabel('Listener 1 port').fill('9080');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page).toHaveURL(/\/virtual-deployments\/[^/]+$/);
  return idFromUrl(page.url());
}

/** Deletes the resource shown at `path` through its dialog; `blockedBy` are the dependants named. */
async function deleteThroughDialog(page: Page, path: string, label: string) {
  await visit(page, path);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${label}?` });
  await expect(dialog).toContainText('Nothing else uses it');
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(new RegExp(`${path}$`));
}

/** Every row of the topology's connection table as text, sorted. */
async function edgeRows(page: Page, meshId: string): Promise<string[]> {
  await visit(page, `/meshes/${meshId}/topology`);
  const table = page.getByRole('table', { name: /^Connections/ });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('td')]
        .slice(0, 5)
        .map((td) => td.textContent?.trim() ?? '')
        .join(' | '),
    ),
  );
  return rows.sort();
}

type Json = Record<string, unknown>;

/** A mesh view with ids replaced by names and what differs between databases left out. */
function comparable(detail: Json): Json {
  const names = new Map<string, string>();
  for (const key of [
    'virtualServices',
    'virtualDeployments',
    'virtualServiceRouteTables',
    'ingressGateways',
    'ingressGatewayRouteTables',
    'accessPolicies',
  ]) {
    for (const r of detail[key] as { id: string; name: string }[]) names.set(r.id, r.name);
  }
  const mesh = detail.mesh as { id: string; displayName: string };
  names.set(mesh.id, mesh.displayName);
  const DROP = new Set(['id', 'timeCreated', 'timeUpdated', 'etag', 'lifecycleState']);
  const walk = (value: unknown, parent: string): unknown => {
    if (typeof value === 'string') return names.get(value) ?? value;
    if (Array.isArray(value)) return value.map((v) => walk(v, parent));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => !DROP.has(k) && !(parent === 'mtls' && k === 'certificateId'))
          .filter(([k]) => k !== 'lastChangedAt' && k !== 'certificateAuthorities')
          .map(([k, v]) => [k, walk(v, k)]),
      );
    }
    return value;
  };
  const byName = (items: unknown) =>
    [...(items as { name: string }[])].sort((a, b) => a.name.localeCompare(b.name));
  return Object.fromEntries([
    ['mesh', walk(detail.mesh, 'mesh')],
    ...[
      'virtualServices',
      'virtualDeployments',
      'virtualServiceRouteTables',
      'ingressGateways',
      'ingressGatewayRouteTables',
      'accessPolicies',
    ].map((key) => [key, walk(byName(detail[key]), key)]),
  ]);
}

/** A second BFF on a fresh in-memory database, with the same console build. */
async function startSecondBff(): Promise<ChildProcess> {
  const child = spawn('node', ['--import', 'tsx', 'apps/bff/src/server.ts'], {
    env: {
      ...process.env,
      PORT: String(SECOND_PORT),
      HOST: '127.0.0.1',
      MESHDECK_DB: ':memory:',
      MESHDECK_DEMO: '0',
      MESHDECK_SETUP_TOKEN: E2E_SETUP_TOKEN,
    },
    stdio: 'ignore',
  });
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${SECOND_PORT}/api/health`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 30_000 },
    )
    .toBe(200);
  return child;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Imports `file` through the second BFF's Import page (signed in there as its first admin) and
 * answers its mesh view and edge rows. `localhost` keeps its session cookie apart from the first
 * BFF's on 127.0.0.1.
 */
async function importIntoFreshBff(browser: Browser, file: string) {
  const child = await startSecondBff();
  const context = await browser.newContext({
    baseURL: `http://localhost:${SECOND_PORT}`,
    storageState: { cookies: [], origins: [] },
    // The fixtures add the first BFF's CSRF token to every request; this BFF has its own.
    extraHTTPHeaders: {},
  });
  try {
    // First run on the fresh database: create its admin through the console's setup page.
    const page = await context.newPage();
    await page.goto('/import');
    await expect(page).toHaveURL(/\/setup$/);
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Setup token').fill(E2E_SETUP_TOKEN);
    await page.getByLabel('Admin user name').fill('round-trip-admin');
    await page.getByLabel('Password').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await expect(page).toHaveURL(/\/meshes$/);
    await visit(page, '/import');
    await page.getByLabel('Configuration (YAML or JSON)').fill(file);
    await page.getByLabel('Target compartment OCID').fill(COMPARTMENT);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByText('Import complete')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    const meshes = (await (await context.request.get('/api/meshes')).json()) as {
      items: { id: string; displayName: string }[];
    };
    expect(meshes.items.map((m) => m.displayName)).toEqual(['bookinfo-rt']);
    const meshId = meshes.items[0]?.id ?? '';
    const detail = (await (await context.request.get(`/api/meshes/${meshId}`)).json()) as Json;
    return { resources: comparable(detail), edges: await edgeRows(page, meshId) };
  } finally {
    await context.close();
    await stop(child);
  }
}

test('a Bookinfo-like mesh built through the forms exports and imports into a fresh database unchanged', async ({
  page,
  browser,
  request,
  seed,
}) => {
  test.setTimeout(720_000);

  // Mesh.
  await visit(page, '/meshes');
  await page.getByRole('link', { name: 'New mesh' }).click();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Name', { exact: true }).fill('bookinfo-rt');
  await page.getByLabel('Compartment OCID').fill(COMPARTMENT);
  await page.getByLabel('mTLS minimum').selectOption('PERMISSIVE');
  await page.getByRole('button', { name: 'Create mesh' }).click();
  await expect(page).toHaveURL(/\/meshes\/[^/]+\/services$/);
  const meshId = decodeURIComponent(page.url().split('/').at(-2) ?? '');
  seed.track('meshes', meshId);
  const meshPath = `/meshes/${meshId}`;

  // Services and deployments.
  const services: Record<string, string> = {};
  for (const name of ['productpage', 'details', 'reviews', 'ratings']) {
    services[name] = await createService(page, meshId, name);
    seed.track('virtualServices', services[name]);
  }
  await expectNoSeriousA11yViolations(page);
  const deployments: Record<string, string> = {};
  for (const [service, name] of [
    ['productpage', 'productpage-v1'],
    ['details', 'details-v1'],
    ['reviews', 'reviews-v1'],
    ['reviews', 'reviews-v2'],
    ['reviews', 'reviews-v3'],
    ['ratings', 'ratings-v1'],
  ] as const) {
    deployments[name] = await createDeployment(page, meshId, service, name);
    seed.track('virtualDeployments', deployments[name]);
  }
  await expectNoSeriousA11yViolations(page);

  // Route table with weights: v1 0 (stays 0), v2 50, v3 50.
  await visit(page, `${meshPath}/route-tables`);
  await page.getByRole('link', { name: 'New route table' }).click();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Virtual service').selectOption({ label: 'reviews' });
  await page.getByLabel('Name', { exact: true }).fill('reviews-routes');
  await page.getByLabel('Rule 1 path prefix').fill('/');
  for (const [i, name, weight] of [
    [1, 'reviews-v1', '0'],
    [2, 'reviews-v2', '50'],
    [3, 'reviews-v3', '50'],
  ] as const) {
    if (i > 1) await page.getByRole('button', { name: 'Add rule 1 destination' }).click();
    await page.getByLabel(`Rule 1 destination ${i} deployment`).selectOption({ label: name });
    await page.getByLabel(`Rule 1 destination ${i} weight`).fill(weight);
  }
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page).toHaveURL(/\/virtual-service-route-tables\/[^/]+$/);
  const routeTable = idFromUrl(page.url());
  seed.track('virtualServiceRouteTables', routeTable);
  await expectNoSeriousA11yViolations(page);

  // Ingress gateway: the TLS rule shows before anything is sent.
  await visit(page, `${meshPath}/gateways`);
  await page.getByRole('link', { name: 'New ingress gateway' }).click();
  await expectNoSeriousA11yViolations(page);
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/ingress-gateways')) posts.push(r.url());
  });
  await page.getByLabel('Name', { exact: true }).fill('bookinfo-gw');
  await page.getByLabel('Host 1 name').fill('web');
  await page.getByLabel('Host 1 hostnames').fill('bookinfo.example.com');
  await page.getByLabel('Host 1 listener 1 port').fill('');
  await page.getByLabel('Host 1 listener 1 TLS mode').selectOption('TLS');
  await page.getByRole('button', { name: 'Create ingress gateway' }).click();
  await expect(
    page.getByLabel('Host 1 listener 1 server certificate', { exact: true }),
  ).toHaveAccessibleDescription(/server certificate required for TLS/);
  await expect(page.getByLabel('Host 1 listener 1 port')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);
  expect(posts).toEqual([]);
  await page.getByLabel('Host 1 listener 1 port').fill('8443');
  await page
    .getByLabel('Host 1 listener 1 server certificate', { exact: true })
    .fill('ocid1.certificate.oc1..bookinfo');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByText('POST /20220615/ingressGateways')).toBeVisible();
  await expect(page.getByLabel('Request body')).toContainText('"mode": "TLS"');
  await page.getByRole('button', { name: 'Create ingress gateway' }).click();
  await expect(page).toHaveURL(/\/ingress-gateways\/[^/]+$/);
  const gateway = idFromUrl(page.url());
  seed.track('ingressGateways', gateway);
  await expectNoSeriousA11yViolations(page);

  // Gateway route table to productpage.
  await page.getByRole('link', { name: 'New gateway route table' }).click();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Name', { exact: true }).fill('bookinfo-gw-routes');
  await page.getByLabel('Rule 1 path', { exact: true }).fill('productpage');
  await page
    .getByLabel('Rule 1 destination 1 virtual service')
    .selectOption({ label: 'productpage' });
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page.getByLabel('Rule 1 path', { exact: true })).toHaveAccessibleDescription(
    /path must start with \//,
  );
  await page.getByLabel('Rule 1 path', { exact: true }).fill('/productpage');
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page).toHaveURL(/\/ingress-gateway-route-tables\/[^/]+$/);
  const gatewayRoutes = idFromUrl(page.url());
  seed.track('ingressGatewayRouteTables', gatewayRoutes);
  await expectNoSeriousA11yViolations(page);

  // Access policies: gateway → productpage, the Bookinfo calls, and egress by hostname.
  const policy = async (
    name: string,
    rules: { source: [string, string?]; destination: [string, string?] }[],
  ) => {
    await visit(page, `${meshPath}/policies`);
    await page.getByRole('link', { name: 'New access policy' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    for (const [i, rule] of rules.entries()) {
      await page.getByRole('button', { name: 'Add rule' }).click();
      for (const side of ['source', 'destination'] as const) {
        const [type, target] = rule[side];
        const prefix = `Rule ${i + 1} ${side}`;
        await page.getByLabel(`${prefix} type`).selectOption({ label: type });
        if (type === 'Virtual service' && target) {
          await page.getByLabel(`${prefix} virtual service`).selectOption({ label: target });
        } else if (type === 'Ingress gateway' && target) {
          await page.getByLabel(`${prefix} ingress gateway`).selectOption({ label: target });
        } else if (type === 'External service' && target) {
          await page.getByLabel(`${prefix} protocol`).selectOption('HTTPS');
          await page.getByLabel(`${prefix} hostnames`).fill(target);
          await page.getByLabel(`${prefix} ports`).fill('443');
        }
      }
    }
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Create access policy' }).click();
    await expect(page).toHaveURL(/\/access-policies\/[^/]+$/);
    const id = idFromUrl(page.url());
    seed.track('accessPolicies', id);
    await expectNoSeriousA11yViolations(page);
    return id;
  };
  await policy('gateway-in', [
    { source: ['Ingress gateway', 'bookinfo-gw'], destination: ['Virtual service', 'productpage'] },
  ]);
  const inside = await policy('inside', [
    { source: ['Virtual service', 'productpage'], destination: ['Virtual service', 'details'] },
    { source: ['Virtual service', 'productpage'], destination: ['Virtual service', 'reviews'] },
  ]);
  await policy('egress', [
    {
      source: ['Virtual service', 'ratings'],
      destination: ['External service', '*.googleapis.com'],
    },
  ]);

  // Edit one of each kind.
  await visit(page, `${meshPath}/edit`);
  await page.getByLabel('Description').fill('Bookinfo, built by hand');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`${meshPath}/services$`));

  await visit(page, `/virtual-services/${services.ratings}/edit`);
  await page.getByLabel('Description').fill('stars');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/virtual-services\/[^/]+$/);

  await visit(page, `/virtual-deployments/${deployments['ratings-v1']}/edit`);
  await page.getByLabel('Listener 1 port').fill('9081');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('HTTP port 9081')).toBeVisible();

  await visit(page, `/virtual-service-route-tables/${routeTable}/edit`);
  await page.getByLabel('Priority').fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/virtual-service-route-tables\/[^/]+$/);

  await visit(page, `/ingress-gateways/${gateway}/edit`);
  await page.getByLabel('Description').fill('the front door');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByLabel('Request body')).toHaveText(
    '{\n  "description": "the front door"\n}',
  );
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('the front door')).toBeVisible();

  await visit(page, `/ingress-gateway-route-tables/${gatewayRoutes}/edit`);
  await page.getByLabel('Priority').fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Priority 0.')).toBeVisible();

  await visit(page, `/access-policies/${inside}/edit`);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByLabel('Rule 3 source type').selectOption({ label: 'Virtual service' });
  await page.getByLabel('Rule 3 source virtual service').selectOption({ label: 'reviews' });
  await page.getByLabel('Rule 3 destination virtual service').selectOption({ label: 'ratings' });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/access-policies\/[^/]+$/);
  await expect(
    page.getByRole('row', { name: /virtual service reviews virtual service ratings/ }),
  ).toBeVisible();

  // Delete one of each kind: scratch resources made through the console API, so the mesh above
  // stays as built. The dialog names what blocks a delete.
  const post = async (path: string, data: Json) => {
    const res = await request.post(`/api/${path}`, { data });
    expect(res.status(), await res.text()).toBe(201);
    // A mesh's create answers its MeshDetail ({ mesh: { id } }), the others their view ({ id }).
    const body = (await res.json()) as { id?: string; mesh?: { id: string } };
    return body.id ?? body.mesh?.id ?? '';
  };
  const scratchMesh = await post('meshes', {
    compartmentId: COMPARTMENT,
    displayName: 'scratch-mesh',
    certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..e2e' }],
  });
  seed.track('meshes', scratchMesh);
  const scratchVs = await post('virtual-services', {
    compartmentId: COMPARTMENT,
    meshId,
    name: 'scratch',
  });
  seed.track('virtualServices', scratchVs);
  const scratchVd = await post('virtual-deployments', {
    compartmentId: COMPARTMENT,
    virtualServiceId: scratchVs,
    name: 'scratch-v1',
    serviceDiscovery: { type: 'DISABLED' },
  });
  seed.track('virtualDeployments', scratchVd);
  const scratchRt = await post('virtual-service-route-tables', {
    compartmentId: COMPARTMENT,
    virtualServiceId: scratchVs,
    name: 'scratch-routes',
    routeRules: [{ type: 'HTTP', destinations: [{ virtualDeploymentId: scratchVd, weight: 1 }] }],
  });
  seed.track('virtualServiceRouteTables', scratchRt);
  const scratchGw = await post('ingress-gateways', {
    compartmentId: COMPARTMENT,
    meshId,
    name: 'scratch-gw',
    hosts: [{ name: 'h', listeners: [{ protocol: 'HTTP', port: 8080 }] }],
  });
  seed.track('ingressGateways', scratchGw);
  const scratchGwRt = await post('ingress-gateway-route-tables', {
    compartmentId: COMPARTMENT,
    ingressGatewayId: scratchGw,
    name: 'scratch-gw-routes',
    routeRules: [{ type: 'HTTP', destinations: [{ virtualServiceId: scratchVs }] }],
  });
  seed.track('ingressGatewayRouteTables', scratchGwRt);
  const scratchPolicy = await post('access-policies', {
    compartmentId: COMPARTMENT,
    meshId,
    name: 'scratch-policy',
    rules: [
      {
        action: 'ALLOW',
        source: { type: 'INGRESS_GATEWAY', ingressGatewayId: scratchGw },
        destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: scratchVs },
      },
    ],
  });
  seed.track('accessPolicies', scratchPolicy);

  await visit(page, `/ingress-gateways/${scratchGw}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const blocked = page.getByRole('dialog', { name: 'Delete ingress gateway scratch-gw?' });
  await expect(blocked.getByRole('list', { name: 'Affected resources' })).toContainText(
    'scratch-gw-routes',
  );
  await expect(blocked.getByRole('list', { name: 'Affected resources' })).toContainText(
    'scratch-policy',
  );
  await expect(blocked.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Escape');

  await deleteThroughDialog(
    page,
    `/access-policies/${scratchPolicy}`,
    'access policy scratch-policy',
  );
  await deleteThroughDialog(
    page,
    `/ingress-gateway-route-tables/${scratchGwRt}`,
    'ingress gateway route table scratch-gw-routes',
  );
  await deleteThroughDialog(page, `/ingress-gateways/${scratchGw}`, 'ingress gateway scratch-gw');
  await deleteThroughDialog(
    page,
    `/virtual-service-route-tables/${scratchRt}`,
    'virtual service route table scratch-routes',
  );
  await deleteThroughDialog(
    page,
    `/virtual-deployments/${scratchVd}`,
    'virtual deployment scratch-v1',
  );
  await deleteThroughDialog(page, `/virtual-services/${scratchVs}`, 'virtual service scratch');
  await deleteThroughDialog(page, `/meshes/${scratchMesh}/services`, 'mesh scratch-mesh');

  // What the source looks like now.
  const sourceDetail = (await (await request.get(`/api/meshes/${meshId}`)).json()) as Json;
  const source = { resources: comparable(sourceDetail), edges: await edgeRows(page, meshId) };
  expect(source.edges).toContainEqual(
    expect.stringMatching(/^bookinfo-gw \| productpage \| mtls \|/),
  );
  expect((source.resources.virtualServices as unknown[]).length).toBe(4);

  // Export both formats from the mesh page.
  await visit(page, `${meshPath}/services`);
  const files: Record<string, string> = {};
  for (const label of ['OCI JSON', 'Operator YAML']) {
    await page.getByText('Export', { exact: true }).click();
    await expectNoSeriousA11yViolations(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Export as ${label}` }).click(),
    ]);
    const path = await download.path();
    files[label] = readFileSync(path, 'utf8');
    await page.getByText('Export', { exact: true }).click();
  }
  expect(JSON.parse(files['OCI JSON'] ?? '{}').format).toBe('meshdeck/oci-json@1');
  expect(files['Operator YAML']).toContain('kind: IngressGatewayRouteTable');

  for (const label of ['OCI JSON', 'Operator YAML']) {
    const imported = await importIntoFreshBff(browser, files[label] ?? '');
    expect(imported.resources, `${label}: resources`).toEqual(source.resources);
    expect(imported.edges, `${label}: edge states`).toEqual(source.edges);
  }
});
