import { expect, test } from './fixtures.ts';

test('a newcomer sees the demo mesh with its graph at once', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      violations.push(msg.text());
    }
  });
  await page.goto('/');
  await expect(page).toHaveURL(/\/meshes$/);
  await page.getByRole('link', { name: 'Topology of shop-mesh' }).click();
  await expect(page.getByRole('region', { name: 'Topology graph' })).toBeVisible();
  await expect(page.getByRole('group', { name: /^ingress gateway shop-gw/ })).toBeVisible();
  await expect(page.getByRole('group', { name: /^virtual service storefront, / })).toBeVisible();
  await expect(page.getByRole('button', { name: /^edge .+: denied$/ }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^edge .+: mtls$/ }).first()).toBeVisible();
  // The strict content security policy lets the whole console work.
  expect(violations).toEqual([]);
});

test('the mesh page shows the mesh’s work requests', async ({ page }) => {
  await page.goto('/meshes');
  await page.getByRole('link', { name: 'Topology of shop-mesh' }).click();
  await page.getByRole('link', { name: 'Work requests' }).click();
  await expect(page).toHaveURL(/\/meshes\/[^/]+\/work-requests$/);
  const panel = page.getByRole('region', { name: 'Work requests' });
  await expect(panel).toContainText('CREATE_MESH');
  await expect(panel).toContainText('SUCCEEDED');
});

test('GET /20220615/meshes returns an OCI MeshCollection', async ({ request }) => {
  const res = await request.get(
    '/20220615/meshes?compartmentId=ocid1.compartment.oc1..meshdeckdemo',
  );
  expect(res.status()).toBe(200);
  expect(res.headers()['opc-request-id']).toBeTruthy();
  const body = (await res.json()) as {
    items: { displayName: string; lifecycleState: string; mtls: { minimum: string } }[];
  };
  expect(body.items).toEqual([
    expect.objectContaining({
      displayName: 'shop-mesh',
      lifecycleState: 'ACTIVE',
      mtls: { minimum: 'PERMISSIVE' },
    }),
  ]);
});
