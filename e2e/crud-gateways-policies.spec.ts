import { expectNoSeriousA11yViolations } from './axe.ts';
import { storageStateFile } from './auth-files.ts';
import { COMPARTMENT, expect, test } from './fixtures.ts';

const idFromUrl = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');

test('operator fixes an access policy the server refuses, then empties its rules', async ({
  page,
  seed,
}) => {
  test.setTimeout(120_000);
  const mesh = await seed.mesh('e2e-policy-mesh', 'PERMISSIVE');
  await seed.virtualService(mesh, 'e2e-cart');
  const existing = await page.request.post('/api/access-policies', {
    data: { compartmentId: COMPARTMENT, meshId: mesh.id, name: 'taken', rules: [] },
  });
  expect(existing.status(), await existing.text()).toBe(201);
  seed.track('accessPolicies', ((await existing.json()) as { id: string }).id);

  await page.goto(`/meshes/${mesh.id}/policies`);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'New access policy' }).click();
  await expectNoSeriousA11yViolations(page);

  // Client-side: an external TCP target without addresses and a bad port, all at once.
  await page.getByLabel('Name', { exact: true }).fill('taken');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByLabel('Rule 1 destination type').selectOption({ label: 'External service' });
  await page.getByLabel('Rule 1 destination protocol').selectOption('TCP');
  await page.getByLabel('Rule 1 destination hostnames').fill('db.example.com');
  await page.getByRole('button', { name: 'Create access policy' }).click();
  await expect(page.getByLabel('Rule 1 destination IP addresses')).toHaveAccessibleDescription(
    /TCP needs ipAddresses/,
  );
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Rule 1 destination IP addresses').fill('10.0.0.0/16');
  // An emptied list leaves the field out of the body.
  await page.getByLabel('Rule 1 destination hostnames').fill('');
  await page.getByLabel('Rule 1 destination ports').fill('5432, 0');
  await page.getByRole('button', { name: 'Create access policy' }).click();
  await expect(page.getByLabel('Rule 1 destination ports')).toHaveAccessibleDescription(
    /must be between 1 and 65535/,
  );
  await page.getByLabel('Rule 1 destination ports').fill('5432');

  // Server-side: the name is taken; the message lands on the Name field.
  await page.getByRole('button', { name: 'Create access policy' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/taken/);
  await page.getByLabel('Name', { exact: true }).fill('egress-db');
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByText('POST /20220615/accessPolicies')).toBeVisible();
  await expect(page.getByLabel('Request body')).toContainText('"ipAddresses": [');
  await expect(page.getByLabel('Request body')).not.toContainText('hostnames');
  await page.getByRole('button', { name: 'Create access policy' }).click();
  await expect(page).toHaveURL(/\/access-policies\/[^/]+$/);
  const id = idFromUrl(page.url());
  seed.track('accessPolicies', id);
  await expect(
    page.getByRole('cell', { name: 'external TCP 10.0.0.0/16 port 5432' }),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Edit: remove the only rule; the list is sent empty, not dropped.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('readonly', '');
  await page.getByRole('button', { name: 'Remove rule 1' }).click();
  await page.getByText('Equivalent OCI API call').click();
  await expect(page.getByLabel('Request body')).toHaveText('{\n  "rules": []\n}');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/access-policies/${encodeURIComponent(id)}$`));
  await expect(page.getByText('This policy allows nothing.')).toBeVisible();
});

test.describe('as a viewer', () => {
  test.use({ storageState: storageStateFile('viewer') });

  test('sees gateways and policies but no write buttons', async ({ page, seed }) => {
    const mesh = await seed.mesh('e2e-viewer-mesh', 'PERMISSIVE');
    await page.goto(`/meshes/${mesh.id}/gateways`);
    await expect(page.getByRole('heading', { level: 1, name: 'e2e-viewer-mesh' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New ingress gateway' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`/meshes/${mesh.id}/policies`);
    await expect(page.getByText('No access policies')).toBeVisible();
    await expect(page.getByRole('link', { name: 'New access policy' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
  });
});
