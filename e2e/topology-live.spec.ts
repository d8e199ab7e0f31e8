import { expect, test } from './fixtures.ts';
import { allowRule, createOci, gatewayTarget, seedBookinfo, vsTarget } from './topology-mesh.ts';

const edge = (name: string) => ({ name, exact: true });

test('the graph shows every edge state of a Bookinfo-like mesh, and follows a policy and a mode change made in another tab without reload (case B2)', async ({
  page,
  context,
  request,
  seed,
}) => {
  test.setTimeout(90_000);
  const mesh = await seedBookinfo(request, seed, 'e2e-bookinfo-live');
  await page.goto(`/meshes/${mesh.meshId}/topology`);
  const graph = page.getByRole('region', { name: 'Topology graph' });
  await expect(graph).toBeVisible();

  // Each state in words on the canvas, not colour alone.
  await expect(
    graph.getByRole('button', edge('edge bookinfo-gw to productpage: mtls')),
  ).toBeVisible();
  await expect(
    graph.getByRole('button', edge('edge productpage to details: plaintext')),
  ).toBeVisible();
  await expect(graph.getByRole('button', edge('edge productpage to reviews: mtls'))).toBeVisible();
  await expect(graph.getByRole('button', edge('edge reviews to ratings: mtls'))).toBeVisible();
  await expect(
    graph.getByRole('button', edge('edge bookinfo-gw to details: denied')),
  ).toBeVisible();
  await expect(
    graph.getByRole('button', edge('edge outside to bookinfo-gw: plaintext')),
  ).toBeVisible();
  await expect(
    graph.getByRole('button', { name: 'outside: refused (callers to reviews)' }),
  ).toBeVisible();
  await expect(
    graph.getByRole('button', { name: 'outside: plaintext allowed (callers to details)' }),
  ).toBeVisible();

  // The side panel tells the same story, with the reason and the policy behind it (case B1).
  await graph.getByRole('button', edge('edge productpage to details: plaintext')).click();
  const panel = page.getByRole('complementary', { name: 'Selection details' });
  await expect(panel).toContainText('productpage → details');
  await expect(panel).toContainText(
    'allowed by bookinfo-policy rule 2; details is DISABLED (inherited from mesh), so traffic is unencrypted',
  );
  await graph.getByRole('button', edge('edge bookinfo-gw to details: denied')).click();
  await expect(panel).toContainText('no access policy allows bookinfo-gw → details (default deny)');

  // Another tab of the same browser: a new policy, then a mode change through the console.
  const other = await context.newPage();
  await createOci(other.request, seed, 'accessPolicies', {
    meshId: mesh.meshId,
    name: 'gateway-details',
    rules: [allowRule(gatewayTarget(mesh.ids.gateway), vsTarget(mesh.ids.details))],
  });
  await expect(
    graph.getByRole('button', edge('edge bookinfo-gw to details: plaintext')),
  ).toBeVisible();
  await expect(panel).toContainText('allowed by gateway-details rule 1');
  await expect(
    graph.getByRole('button', edge('edge productpage to details: plaintext')),
  ).toBeVisible();

  await other.goto(`/virtual-services/${encodeURIComponent(mesh.ids.details)}/edit`);
  await other.getByRole('radio', { name: 'PERMISSIVE' }).check();
  await other.getByRole('button', { name: 'Save changes' }).click();
  await expect(other).toHaveURL(/\/virtual-services\/[^/]+$/);

  // The first tab updates by itself: no reload, no click on the graph.
  await expect(graph.getByRole('button', edge('edge productpage to details: mtls'))).toBeVisible();
  await expect(graph.getByRole('button', edge('edge bookinfo-gw to details: mtls'))).toBeVisible();
  await expect(
    graph.getByRole('group', { name: /^virtual service details, PERMISSIVE;/ }),
  ).toBeVisible();
  // Nothing else changed, and nothing stale is left.
  await expect(graph.getByRole('button', edge('edge reviews to ratings: mtls'))).toBeVisible();
  await expect(graph.getByRole('button', edge('edge productpage to reviews: mtls'))).toBeVisible();
  await expect(graph.getByRole('button', { name: /^edge .* to details: plaintext$/ })).toHaveCount(
    0,
  );
  await expect(graph.getByRole('button', { name: /^edge / })).toHaveCount(6);
  await expect(panel).toContainText('details is PERMISSIVE, so traffic inside the mesh uses mTLS');
});
