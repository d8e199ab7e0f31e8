import { expect, test } from './fixtures.ts';

test('the form offers only modes at least as strict as the mesh minimum, and says why (case A4)', async ({
  page,
  seed,
}) => {
  const mesh = await seed.mesh('e2e-warehouse', 'STRICT');
  await page.goto(`/meshes/${mesh.id}/services/new`);

  const modes = page.getByRole('radiogroup', { name: 'mTLS mode' });
  await expect(modes.getByRole('radio', { name: 'Inherit from mesh (STRICT)' })).toBeChecked();
  const permissive = modes.getByRole('radio', { name: 'PERMISSIVE', exact: true });
  await expect(permissive).toBeDisabled();
  await expect(permissive).toHaveAccessibleDescription(
    'PERMISSIVE is less strict than mesh minimum STRICT',
  );
  await expect(modes.getByRole('radio', { name: 'DISABLED', exact: true })).toBeDisabled();
  await expect(modes.getByRole('radio', { name: 'STRICT', exact: true })).toBeEnabled();
});

test('a mode that becomes too weak after switching the mesh is refused with its reason (cases F1, F3)', async ({
  page,
  seed,
}) => {
  const strict = await seed.mesh('e2e-payments', 'STRICT');
  const sandbox = await seed.mesh('e2e-sandbox', 'DISABLED');
  await page.goto(`/meshes/${sandbox.id}/services/new`);

  await page.getByLabel('Name', { exact: true }).fill('e2e-picking');
  const modes = page.getByRole('radiogroup', { name: 'mTLS mode' });
  await modes.getByRole('radio', { name: 'DISABLED', exact: true }).check();

  await page
    .getByLabel('Mesh', { exact: true })
    .selectOption({ label: `${strict.name} (minimum STRICT)` });
  await page.getByRole('button', { name: 'Create virtual service' }).click();
  await expect(modes).toHaveAccessibleDescription(
    /DISABLED is less strict than mesh minimum STRICT/,
  );
  await expect(page).toHaveURL(/\/services\/new$/);

  // Back in the DISABLED mesh the same choice is fine again, and the service is created.
  await page
    .getByLabel('Mesh', { exact: true })
    .selectOption({ label: `${sandbox.name} (minimum DISABLED)` });
  await expect(modes).not.toHaveAccessibleDescription(/less strict/);
  await page.getByRole('button', { name: 'Create virtual service' }).click();
  await expect(page).toHaveURL(/\/virtual-services\/[^/]+$/);
  const id = decodeURIComponent(page.url().split('/').pop() ?? '');
  seed.track('virtualServices', id);
  await expect(page.getByText('DISABLED').first()).toBeVisible();
});

test('the BFF refuses a mode below the minimum with the same reason the form gives (case F3)', async ({
  request,
  seed,
}) => {
  const mesh = await seed.mesh('e2e-payments-api', 'STRICT');
  const res = await request.post('/api/virtual-services', {
    data: {
      compartmentId: 'ocid1.compartment.oc1..e2e',
      meshId: mesh.id,
      name: 'x',
      mtls: { mode: 'DISABLED' },
    },
  });
  expect(res.status()).toBe(422);
  const body = (await res.json()) as { details: { fieldErrors: Record<string, string[]> } };
  expect(body.details.fieldErrors['mtls.mode']).toEqual([
    'DISABLED is less strict than mesh minimum STRICT',
  ]);
});

test('an inherited PERMISSIVE service reads the same on every surface (case A1)', async ({
  page,
  seed,
}) => {
  const mesh = await seed.mesh('e2e-retail', 'PERMISSIVE');
  const orders = await seed.virtualService(mesh, 'orders');

  await page.goto(`/meshes/${mesh.id}/services`);
  const row = page.getByRole('row', { name: /orders/ });
  await expect(row).toContainText('PERMISSIVE · inherited from mesh');

  await page.goto(`/virtual-services/${encodeURIComponent(orders)}`);
  await expect(page.getByText('PERMISSIVE · inherited from mesh').first()).toBeVisible();

  await page.goto(`/meshes/${mesh.id}/topology`);
  await expect(
    page.getByRole('group', { name: 'virtual service orders, PERMISSIVE inherited from mesh' }),
  ).toBeVisible();
});
