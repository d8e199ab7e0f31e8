import { expect, test } from './fixtures.ts';

test('a newcomer reads how outside callers fare on each service, and can draw those edges (B1)', async ({
  page,
}) => {
  await page.goto('/meshes');
  await page.getByRole('link', { name: 'Topology of shop-mesh' }).click();
  const graph = page.getByRole('region', { name: 'Topology graph' });
  await expect(graph).toBeVisible();

  // Not drawn by default: the node says it instead.
  const cartExposure = graph.getByRole('button', { name: 'outside: refused (callers to cart)' });
  await expect(cartExposure).toBeVisible();
  await expect(
    graph.getByRole('button', { name: 'outside: plaintext allowed (callers to storefront)' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /^edge outside to cart: / })).toHaveCount(0);

  // The node's line opens the same edge as the table (one source of truth).
  await cartExposure.click();
  const panel = page.getByRole('complementary', { name: 'Selection details' });
  await expect(panel).toContainText('outside → cart');
  await expect(panel).toContainText('refused');

  await page.getByLabel('Show outside callers').check();
  await expect(
    page.getByRole('button', { name: 'edge outside to cart: refused', exact: true }),
  ).toBeVisible();
  await page.getByLabel('Show outside callers').uncheck();
  await expect(page.getByRole('button', { name: /^edge outside to cart: / })).toHaveCount(0);
});

test('the first view of the demo graph is readable and shows every node (B6)', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/meshes');
  await page.getByRole('link', { name: 'Topology of shop-mesh' }).click();
  const graph = page.getByRole('region', { name: 'Topology graph' });
  await expect(graph.getByRole('group', { name: /^virtual service payments, / })).toBeVisible();

  // React Flow writes the viewport as `translate(…) scale(zoom)`.
  const transform = (await graph.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const zoom = Number(/scale\(([\d.]+)\)/.exec(transform)?.[1]);
  expect(zoom).toBeGreaterThanOrEqual(0.5);

  const box = await graph.boundingBox();
  const nodes = graph.locator('.react-flow__node');
  const count = await nodes.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i += 1) {
    const node = await nodes.nth(i).boundingBox();
    expect(node && box).toBeTruthy();
    if (!node || !box) continue;
    expect(node.x).toBeGreaterThanOrEqual(box.x);
    expect(node.x + node.width).toBeLessThanOrEqual(box.x + box.width);
    expect(node.y).toBeGreaterThanOrEqual(box.y);
    expect(node.y + node.height).toBeLessThanOrEqual(box.y + box.height);
  }
  // The denied gateway route to payments is drawn and its label can be clicked.
  await page.getByRole('button', { name: 'edge shop-gw to payments: denied', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Selection details' })).toContainText(
    'no access policy allows',
  );
});
