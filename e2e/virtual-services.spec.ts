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
  const workRequests = page.getByRole('region', { name: 'Work requests' });
  await expect(workRequests).toContainText('CREATE_VIRTUAL_SERVICE');
  await expect(workRequests).toContainText('SUCCEEDED');

  await page.goto(`/meshes/${mesh.id}/topology`);
  await expect(
    page.getByRole('group', { name: 'virtual service orders, PERMISSIVE inherited from mesh' }),
  ).toBeVisible();
});

test('a save over someone else’s change is refused, and Reload brings their version into the form', async ({
  page,
  request,
  seed,
}) => {
  const mesh = await seed.mesh('e2e-concurrent', 'PERMISSIVE');
  const id = await seed.virtualService(mesh, 'orders');
  const path = `/api/virtual-services/${encodeURIComponent(id)}`;
  await page.goto(`/virtual-services/${encodeURIComponent(id)}/edit`);
  const description = page.getByLabel('Description');
  await expect(description).toHaveValue('');

  // Someone else saves first.
  const read = await request.get(path);
  const theirs = await request.put(path, {
    data: { description: 'changed elsewhere' },
    headers: { 'if-match': read.headers()['etag'] ?? '' },
  });
  expect(theirs.status()).toBe(200);
  await expect
    .poll(
      async () =>
        ((await (await request.get(path)).json()) as { lifecycleState: string }).lifecycleState,
    )
    .toBe('ACTIVE');

  await description.fill('mine');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    'This virtual service was changed by someone else since you opened it. Reload to see the latest version.',
  );
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(description).toHaveValue('changed elsewhere');
  await expect(alert).toHaveCount(0);

  await description.fill('changed elsewhere, then mine');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/virtual-services\/[^/]+$/);
  await expect(page.getByText('changed elsewhere, then mine')).toBeVisible();
});
