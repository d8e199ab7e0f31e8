import { expectNoSeriousA11yViolations } from './axe.ts';
import { COMPARTMENT, expect, test } from './fixtures.ts';

const idFromUrl = (url: string) => decodeURIComponent(url.split('/').pop() ?? '');

test('operator creates, edits and deletes a mesh through the forms', async ({ page, seed }) => {
  test.setTimeout(60_000);
  await page.goto('/meshes');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'New mesh' }).click();
  await expect(page).toHaveURL(/\/meshes\/new$/);
  await expectNoSeriousA11yViolations(page);

  // Caught before sending: no POST leaves the browser.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/meshes')) posts.push(r.url());
  });
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('');
  await page.getByLabel('Compartment OCID').fill('has spaces');
  await page.getByRole('button', { name: 'Create mesh' }).click();
  await expect(name).toHaveAccessibleDescription(/required/);
  await expect(page.getByLabel('Compartment OCID')).toHaveAttribute('aria-invalid', 'true');
  expect(posts).toEqual([]);

  await name.fill('e2e-crud-mesh');
  await page.getByLabel('Compartment OCID').fill(COMPARTMENT);
  await page.getByLabel('Description').fill('made by the forms');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByText('POST /20220615/meshes')).toBeVisible();
  await expect(page.getByLabel('Request body')).toContainText('"displayName": "e2e-crud-mesh"');
  await page.getByRole('button', { name: 'Create mesh' }).click();
  await expect(page).toHaveURL(/\/meshes\/[^/]+\/services$/);
  const meshId = decodeURIComponent(page.url().split('/').at(-2) ?? '');
  seed.track('meshes', meshId);
  await expect(page.getByRole('heading', { level: 1, name: 'e2e-crud-mesh' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByLabel('Compartment OCID')).toHaveAttribute('readonly', '');
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Name', { exact: true }).fill('e2e-crud-mesh-2');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByLabel('Request body')).toHaveText(
    '{\n  "displayName": "e2e-crud-mesh-2"\n}',
  );
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'e2e-crud-mesh-2' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete mesh e2e-crud-mesh-2?' });
  await expect(dialog).toContainText('Nothing else uses it');
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/meshes$/);
  await expect(page.getByRole('link', { name: 'e2e-crud-mesh-2' })).toHaveCount(0);
});

test('operator builds a deployment and a weighted route table, edits them, and the delete dialog names dependants', async ({
  page,
  seed,
  request,
}) => {
  // A long journey through six pages, each checked with axe.
  test.setTimeout(180_000);
  const mesh = await seed.mesh('e2e-crud-bookinfo', 'PERMISSIVE');
  const reviews = await seed.virtualService(mesh, 'e2e-reviews');
  const meshPath = `/meshes/${mesh.id}`;
  // A second deployment straight through the console API.
  const v2res = await request.post('/api/virtual-deployments', {
    data: {
      compartmentId: COMPARTMENT,
      virtualServiceId: reviews,
      name: 'e2e-reviews-v2',
      serviceDiscovery: { type: 'DNS', hostname: 'reviews-v2.bookinfo.svc.cluster.local' },
      listeners: [{ protocol: 'HTTP', port: 9080 }],
    },
  });
  expect(v2res.status(), await v2res.text()).toBe(201);
  const v2 = ((await v2res.json()) as { id: string }).id;
  seed.track('virtualDeployments', v2);

  // Deployment through the form, with client-side errors first.
  await page.goto(`${meshPath}/deployments`);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'New virtual deployment' }).click();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Virtual service', { exact: true }).selectOption({ label: 'e2e-reviews' });
  await page.getByLabel('Name', { exact: true }).fill('e2e-reviews-v1');
  await page.getByLabel('Listener 1 port').fill('');
  await page.getByRole('button', { name: 'Create deployment' }).click();
  // Every error at once: the emptied port stays empty (no silent 0) and DNS needs a hostname.
  await expect(page.getByLabel('Listener 1 port')).toHaveAccessibleDescription(/enter a port/);
  await expect(page.getByLabel('Hostname')).toHaveAccessibleDescription(
    /DNS discovery needs a hostname/,
  );
  await page.getByLabel('Listener 1 port').fill('9080');
  await page.getByLabel('Hostname').fill('reviews-v1.bookinfo.svc.cluster.local');
  await page.getByRole('button', { name: 'Add listener' }).click();
  await page.getByLabel('Listener 2 port').fill('9443');
  await page.getByRole('button', { name: 'Remove listener 2' }).click();
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page).toHaveURL(/\/virtual-deployments\/[^/]+$/);
  const v1 = idFromUrl(page.url());
  seed.track('virtualDeployments', v1);
  await expect(page.getByText('HTTP port 9080')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Route table: path and weight errors before sending, then a zero weight that stays zero.
  await page.goto(`${meshPath}/route-tables`);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'New route table' }).click();
  await page.getByLabel('Virtual service', { exact: true }).selectOption({ label: 'e2e-reviews' });
  await page.getByLabel('Name', { exact: true }).fill('e2e-reviews-rt');
  await page.getByLabel('Rule 1 path prefix').fill('reviews');
  await page
    .getByLabel('Rule 1 destination 1 deployment')
    .selectOption({ label: 'e2e-reviews-v1' });
  await page.getByLabel('Rule 1 destination 1 weight').fill('0');
  await page.getByRole('button', { name: 'Add rule 1 destination' }).click();
  await page
    .getByLabel('Rule 1 destination 2 deployment')
    .selectOption({ label: 'e2e-reviews-v2' });
  await page.getByLabel('Rule 1 destination 2 weight').fill('0');
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page.getByLabel('Rule 1 path prefix')).toHaveAccessibleDescription(
    /path must start with \//,
  );
  await expect(page.getByText('total weight must be at least 1')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Rule 1 path prefix').fill('/reviews');
  await page.getByLabel('Rule 1 destination 2 weight').fill('100');
  await expect(page.getByText('total weight must be at least 1')).toHaveCount(0);
  await page.getByLabel('Priority').fill('5');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByText('POST /20220615/virtualServiceRouteTables')).toBeVisible();
  await expect(page.getByLabel('Request body')).toContainText('"weight": 0');
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page).toHaveURL(/\/virtual-service-route-tables\/[^/]+$/);
  const rt = idFromUrl(page.url());
  seed.track('virtualServiceRouteTables', rt);
  // The priority given on create reached the server (case C2).
  await expect(page.getByRole('definition').filter({ hasText: /^5$/ })).toBeVisible();
  const rules = page.getByRole('table', { name: 'Route rules and weighted destinations' });
  await expect(rules.getByRole('row', { name: /e2e-reviews-v1/ })).toContainText('0');
  await expect(rules.getByRole('row', { name: /e2e-reviews-v2/ })).toContainText('100');
  await expectNoSeriousA11yViolations(page);

  // A server field error lands on its field: the name is taken in this service.
  await page.goto(`${meshPath}/route-tables/new?virtualServiceId=${encodeURIComponent(reviews)}`);
  await page.getByLabel('Name', { exact: true }).fill('e2e-reviews-rt');
  await page
    .getByLabel('Rule 1 destination 1 deployment')
    .selectOption({ label: 'e2e-reviews-v1' });
  await page.getByRole('button', { name: 'Create route table' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(
    /a virtual service route table named e2e-reviews-rt already exists in virtual service e2e-reviews/,
  );

  // Edit: priority 0 is sent and stays 0 (case C2).
  await page.goto(`/virtual-service-route-tables/${rt}/edit`);
  await expectNoSeriousA11yViolations(page);
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('readonly', '');
  await page.getByLabel('Priority').fill('0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/virtual-service-route-tables/[^/]+$`));
  await expect(page.getByRole('definition').filter({ hasText: /^0$/ })).toBeVisible();

  // Edit the deployment: empty its listener list.
  await page.goto(`/virtual-deployments/${v1}/edit`);
  await page.getByRole('button', { name: 'Remove listener 1' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/virtual-deployments\/[^/]+$/);
  await expect(page.getByText('HTTP port 9080')).toHaveCount(0);

  // The delete dialog names the route table that uses v2, and refuses until it is gone.
  await page.goto(`/virtual-deployments/${v2}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete virtual deployment e2e-reviews-v2?' });
  await expect(dialog.getByRole('list', { name: 'Affected resources' })).toHaveText(
    'virtual service route table e2e-reviews-rt',
  );
  await expect(dialog.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.goto(`/virtual-service-route-tables/${rt}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const rtDialog = page.getByRole('dialog', {
    name: 'Delete virtual service route table e2e-reviews-rt?',
  });
  await expect(rtDialog).toContainText('Nothing else uses it');
  await rtDialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(new RegExp(`${meshPath}/route-tables$`));

  await page.goto(`/virtual-deployments/${v2}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete virtual deployment e2e-reviews-v2?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(page).toHaveURL(new RegExp(`${meshPath}/deployments$`));
  await expect(page.getByRole('link', { name: 'e2e-reviews-v2' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'e2e-reviews-v1' })).toBeVisible();
});

test('lists filter, sort and page from the URL, and the dark theme passes axe too', async ({
  page,
  seed,
}) => {
  test.setTimeout(60_000);
  const mesh = await seed.mesh('e2e-crud-lists', 'PERMISSIVE');
  await seed.virtualService(mesh, 'e2e-list-svc');
  await page.goto(`/meshes?q=e2e-crud-lists`);
  await expect(page.getByLabel('Filter by name')).toHaveValue('e2e-crud-lists');
  await expect(page.getByRole('link', { name: 'e2e-crud-lists', exact: true })).toBeVisible();
  await page.getByLabel('Filter by name').fill('no-such-mesh-anywhere');
  await expect(page).toHaveURL(/q=no-such-mesh-anywhere/);
  await expect(page.getByText('Nothing matches “no-such-mesh-anywhere”')).toBeVisible();
  await page.getByRole('button', { name: 'Clear the filter' }).click();
  await page.getByRole('button', { name: 'Name' }).click();
  await expect(page).toHaveURL(/order=desc/);
  await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );

  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectNoSeriousA11yViolations(page);
  await page.goto(`/meshes/${mesh.id}/deployments`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'New virtual deployment' }).click();
  await page.getByRole('button', { name: 'Create deployment' }).click();
  await expect(page.getByLabel('Virtual service', { exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expectNoSeriousA11yViolations(page);
});

test('an empty name and a too-weak mode are both reported at once, by the form and by the BFF (case F2)', async ({
  page,
  seed,
  request,
}) => {
  const payments = await seed.mesh('e2e-f2-payments', 'STRICT');
  const sandbox = await seed.mesh('e2e-f2-sandbox', 'DISABLED');
  // The API requests go first, while the seeding connection is fresh (no idle keep-alive reuse).
  const res = await request.post('/api/virtual-services', {
    data: {
      compartmentId: COMPARTMENT,
      meshId: payments.id,
      name: '',
      mtls: { mode: 'PERMISSIVE' },
    },
  });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { details: { fieldErrors: Record<string, string[]> } };
  expect(Object.keys(body.details.fieldErrors).sort()).toEqual(['mtls.mode', 'name']);
  await page.goto(`/meshes/${sandbox.id}/services/new`);
  const modes = page.getByRole('radiogroup', { name: 'mTLS mode' });
  await modes.getByRole('radio', { name: 'PERMISSIVE', exact: true }).check();
  await page
    .getByLabel('Mesh', { exact: true })
    .selectOption({ label: `${payments.name} (minimum STRICT)` });
  await page.getByRole('button', { name: 'Create virtual service' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/required/);
  await expect(modes).toHaveAccessibleDescription(
    /PERMISSIVE is less strict than mesh minimum STRICT/,
  );
  await expectNoSeriousA11yViolations(page);
});
