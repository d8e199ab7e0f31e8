import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.ts';

const bookinfo = readFileSync(
  fileURLToPath(new URL('../apps/bff/src/import/fixtures/bookinfo.yaml', import.meta.url)),
  'utf8',
);

test('operator imports a Bookinfo-like mesh and sees its badges and edge states', async ({
  page,
}) => {
  await page.goto('/import');
  await page.getByLabel('Configuration (YAML or JSON)').fill(bookinfo);
  await page.getByLabel('Target compartment OCID').fill('ocid1.compartment.oc1..e2eimport');
  await page.getByRole('button', { name: 'Import' }).click();

  await expect(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect(page.getByText('Import complete')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Created (18)' })).toBeVisible();

  await page.getByRole('link', { name: 'Open topology of bookinfo' }).click();
  await expect(page).toHaveURL(/\/meshes\/[^/]+\/topology$/);

  for (const name of ['details', 'ratings', 'reviews', 'productpage']) {
    const node = page.getByRole('group', {
      name: `virtual service ${name}, PERMISSIVE inherited from mesh`,
    });
    await expect(node).toBeVisible();
  }
  await expect(page.getByRole('group', { name: /STRICT|DISABLED/ })).toHaveCount(0);

  const edge = (from: string, to: string, state: string) =>
    page.getByRole('button', { name: `edge ${from} to ${to}: ${state}`, exact: true });
  await expect(edge('bookinfo-gateway', 'productpage', 'mtls')).toBeVisible();
  await expect(edge('productpage', 'details', 'mtls')).toBeVisible();
  await expect(edge('productpage', 'reviews', 'mtls')).toBeVisible();
  await expect(edge('reviews', 'ratings', 'mtls')).toBeVisible();

  // No other traffic between services or from the gateway is allowed.
  const allEdges = await page
    .getByRole('button', { name: /^edge .+ to .+: \w+$/ })
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  const inMesh = allEdges.filter((label) => !label.startsWith('edge outside to'));
  expect(inMesh.sort()).toEqual(
    [
      'edge bookinfo-gateway to productpage: mtls',
      'edge productpage to details: mtls',
      'edge productpage to reviews: mtls',
      'edge reviews to ratings: mtls',
    ].sort(),
  );

  // The side panel tells the same story as the canvas (case B1).
  await edge('productpage', 'details', 'mtls').click();
  const panel = page.getByRole('complementary', { name: 'Selection details' });
  await expect(panel).toContainText('mtls');
  await expect(panel).toContainText('bookinfo-policy');
});

test('a rejected import says why per resource and creates nothing', async ({ page, request }) => {
  const before = ((await (await request.get('/api/meshes')).json()) as { items: unknown[] }).items
    .length;
  const broken = bookinfo.replace(/name: details\n(\s+)namespace/, 'name: detailz\n$1namespace');
  await page.goto('/import');
  await page.getByLabel('Configuration (YAML or JSON)').fill(broken);
  await page.getByLabel('Target compartment OCID').fill('ocid1.compartment.oc1..e2eimport');
  await page.getByRole('button', { name: 'Import' }).click();

  await expect(page.getByText('Nothing was imported')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Rejected \(\d+\)/ })).toBeVisible();
  await expect(page.getByText(/virtual service 'details' is not defined/).first()).toBeVisible();
  const after = ((await (await request.get('/api/meshes')).json()) as { items: unknown[] }).items
    .length;
  expect(after).toBe(before);
});
