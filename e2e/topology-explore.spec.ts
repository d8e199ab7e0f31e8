import { expectNoSeriousA11yViolations } from './axe.ts';
import { expect, test } from './fixtures.ts';
import { seedBookinfo } from './topology-mesh.ts';

const exact = (name: string) => ({ name, exact: true });

test('an operator narrows the graph by edge state and to one service’s neighbourhood, finds a node, and follows a policy link (deep links)', async ({
  page,
  request,
  seed,
}) => {
  test.setTimeout(90_000);
  const mesh = await seedBookinfo(request, seed, 'e2e-bookinfo-explore');
  const topology = `/meshes/${encodeURIComponent(mesh.meshId)}/topology`;
  const graph = page.getByRole('region', { name: 'Topology graph' });

  // Focus as a deep link: reviews and its neighbours only.
  await page.goto(`${topology}?focus=${encodeURIComponent(mesh.ids.reviews)}`);
  await expect(graph.getByRole('button', exact('edge productpage to reviews: mtls'))).toBeVisible();
  await expect(graph.getByRole('button', exact('edge reviews to ratings: mtls'))).toBeVisible();
  await expect(graph.getByRole('group', { name: /^virtual service details,/ })).toHaveCount(0);
  await expect(page.getByText('Showing reviews and its neighbours.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Show the whole mesh' }).click();
  await expect(graph.getByRole('group', { name: /^virtual service details,/ })).toBeVisible();

  // Only denied edges: the gateway's route to details, which no policy allows.
  // The filter lives in the URL; the router applies it as a transition, so click and wait.
  const denied = page.getByRole('group', { name: 'Edge state' }).getByLabel('denied');
  await denied.click();
  await expect(page).toHaveURL(/state=denied/);
  await expect(denied).toBeChecked();
  await expect(graph.getByRole('button', { name: /^edge / })).toHaveCount(1);
  await expect(
    graph.getByRole('button', exact('edge bookinfo-gw to details: denied')),
  ).toBeVisible();
  await expect(page.getByRole('table')).toContainText(
    'no access policy allows bookinfo-gw → details',
  );
  await denied.click();
  await expect(page).not.toHaveURL(/state=denied/);
  await expect(denied).not.toBeChecked();

  // Find centres and selects the node; the panel links each allowing policy to its edit page.
  await page.getByRole('searchbox', { name: 'Find a node' }).fill('ratin');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Selection details' });
  await expect(panel.getByRole('heading', { name: 'ratings' })).toBeVisible();
  await expect(graph.getByRole('group', { name: /^virtual service ratings,/ })).toBeFocused();
  await panel.getByRole('button', { name: 'reviews → ratings' }).click();
  const edit = panel.getByRole('link', { name: 'Open bookinfo-policy (rule 4)' });
  await expect(edit).toHaveAttribute('href', /^\/access-policies\/ocid1\.[^/]+$/);
  await edit.click();
  await expect(page.getByRole('heading', { name: 'bookinfo-policy', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit', exact: true })).toBeVisible();
});

test('“Can A talk to B?” explains a verdict with its trace, from a deep link and from the form', async ({
  page,
  request,
  seed,
}) => {
  test.setTimeout(90_000);
  const mesh = await seedBookinfo(request, seed, 'e2e-bookinfo-reach');
  const reach = `/meshes/${encodeURIComponent(mesh.meshId)}/reachability`;

  await page.goto(
    `${reach}?from=${encodeURIComponent(mesh.ids.productpage)}&to=${encodeURIComponent(mesh.ids.details)}`,
  );
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict.getByRole('heading', { level: 3 }).first()).toHaveText(
    'productpage → details: plaintext allowed',
  );
  await expect(verdict).toContainText(
    'allowed by bookinfo-policy rule 2; details is DISABLED (inherited from mesh), so traffic is unencrypted',
  );
  await expect(verdict.getByRole('link', { name: 'bookinfo-policy rule 2' })).toBeVisible();
  await expect(verdict).toContainText('a caller outside the mesh reaches details in plaintext');
  await expectNoSeriousA11yViolations(page);

  // The form: an outside caller to the STRICT reviews.
  const form = page.getByRole('form', { name: 'Question' });
  await form.getByLabel('Source').selectOption({ label: 'a caller outside the mesh' });
  await form.getByLabel('Destination').selectOption({ label: 'reviews' });
  await form.getByRole('button', { name: 'Explain' }).click();
  await expect(page).toHaveURL(/from=outside/);
  await expect(verdict.getByRole('heading', { level: 3 }).first()).toHaveText(
    'a caller outside the mesh → reviews: refused not allowed',
  );
  await expect(verdict).toContainText(
    'a caller outside the mesh is outside the mesh: access policies do not apply',
  );

  // An external host and port: egress is denied by default.
  await form.getByLabel('Source').selectOption({ label: 'productpage' });
  await form.getByLabel('Destination').selectOption({ label: 'an external host…' });
  await form.getByLabel('Host', { exact: true }).fill('api.partner.example.com');
  await form.getByLabel('Port').fill('443');
  await form.getByRole('button', { name: 'Explain' }).click();
  await expect(verdict).toContainText(
    'no access policy allows productpage → api.partner.example.com:443 (egress is denied by default)',
  );
  await expect(verdict).toContainText('Rules checked (4)');

  // A bad port is refused with the field's own message, and nothing is traced.
  await form.getByLabel('Port').fill('70000');
  await form.getByRole('button', { name: 'Explain' }).click();
  await expect(form).toContainText('port must be a whole number from 1 to 65535');
});
