import { expect, test } from './fixtures.ts';

/**
 * Issue #5: DISABLED → STRICT is not one step; the console plans it as a staged migration, shows
 * the stages and the what-if before anything runs, runs it, follows it to the end and rolls it
 * back the same staged way. The e2e BFF
 * runs the demo clock (real time plus an offset), so the test moves it past the 30 s propagation
 * delay through the demo endpoint instead of waiting; the 30 s delay itself is unchanged.
 */
test('an operator plans a DISABLED → STRICT migration, previews it, runs it, sees it done and rolls it back', async ({
  page,
  request,
  seed,
}) => {
  const mesh = await seed.mesh(`e2e-migrate-${Date.now().toString(36)}`, 'DISABLED');
  await seed.virtualService(mesh, 'e2e-web');
  await seed.virtualService(mesh, 'e2e-api', 'DISABLED');

  await page.goto(`/meshes/${encodeURIComponent(mesh.id)}/mtls`);

  // The minimum control greys every raise and says why: e2e-api declares DISABLED (case A6).
  const minimum = page.getByRole('radiogroup', { name: `mTLS minimum of ${mesh.name}` });
  for (const mode of ['PERMISSIVE', 'STRICT']) {
    const radio = minimum.getByRole('radio', { name: mode });
    await expect(radio).toBeDisabled();
    await expect(radio).toHaveAccessibleDescription(
      `cannot raise the mesh minimum to ${mode}: e2e-api declares a less strict mode`,
    );
  }

  // Which services inherit and which declare.
  const services = page.getByRole('table', { name: `Services of ${mesh.name} by mTLS mode` });
  await expect(services.getByRole('row', { name: /e2e-web/ })).toContainText('inherits');
  await expect(services.getByRole('row', { name: /e2e-api/ })).toContainText('declares DISABLED');

  // Plan: the mesh to STRICT, raising the declaring service on the way.
  await minimum.getByRole('button', { name: 'Plan a staged migration to STRICT' }).click();
  const target = page.getByRole('form', { name: 'Migration target' });
  await expect(target.getByRole('combobox', { name: 'Target minimum' })).toHaveValue('STRICT');
  await expect(
    target.getByRole('checkbox', { name: /Also raise services that declare a less strict mode/ }),
  ).toBeChecked();
  await target.getByRole('button', { name: 'Preview migration' }).click();

  // The what-if, before anything runs: two stages, and who is refused from outside at stage 2.
  const preview = page.getByRole('region', { name: 'Migration preview' });
  await expect(preview.getByText('2 stages, at least 30 s in all.')).toBeVisible();
  await expect(preview.getByText('e2e-api: DISABLED → PERMISSIVE')).toBeVisible();
  await expect(preview.getByText(`Mesh ${mesh.name} minimum PERMISSIVE → STRICT`)).toBeVisible();
  await expect(preview.getByRole('note')).toContainText(
    'Outside callers refused from this stage on: e2e-api, e2e-web',
  );
  await expect(minimum.getByRole('radio', { name: 'DISABLED (current)' })).toBeChecked();

  // Run: stage 1 applies at once, stage 2 waits the propagation delay.
  await preview.getByRole('button', { name: 'Run migration' }).click();
  const progress = page.getByRole('progressbar', {
    name: `Migration of mesh ${mesh.name} progress`,
  });
  await expect(progress).toHaveAttribute('value', '50');
  await expect(page.getByText(/Running: stage 1 of 2 applied; next stage in \d+ s/)).toBeVisible();
  await expect(minimum.getByRole('radio', { name: 'PERMISSIVE (current)' })).toBeChecked();

  const advanced = await request.post('/api/demo/clock/advance', { data: { seconds: 30 } });
  expect(advanced.status(), await advanced.text()).toBe(200);

  await expect(page.getByText('Done: stage 2 of 2 applied')).toBeVisible();
  await expect(progress).toHaveAttribute('value', '100');
  await expect(minimum.getByRole('radio', { name: 'STRICT (current)' })).toBeChecked();
  await expect(services.getByRole('row', { name: /e2e-web/ })).toContainText('STRICT');
  await expect(
    page.getByRole('list', { name: `Migration of mesh ${mesh.name} log` }),
  ).toContainText('stage 2 of 2 applied');
  // And back: the rollback is a new staged migration to where it started. STRICT has only just
  // been applied, so its first stage waits out the propagation delay too.
  await page.getByRole('button', { name: 'Roll back to where it started' }).click();
  const back = page.getByRole('progressbar', { name: `Rollback of mesh ${mesh.name} progress` });
  await expect(back).toBeVisible();
  await expect(page.getByText(/stage 0 of 2 applied; next stage in \d+ s/)).toBeVisible();
  for (const applied of [1, 2]) {
    const step = await request.post('/api/demo/clock/advance', { data: { seconds: 30 } });
    expect(step.status(), await step.text()).toBe(200);
    await expect(page.getByText(new RegExp(`stage ${applied} of 2 applied`)).first()).toBeVisible();
  }
  await expect(page.getByText('Done: stage 2 of 2 applied')).toBeVisible();
  await expect(minimum.getByRole('radio', { name: 'DISABLED (current)' })).toBeChecked();
  await expect(services.getByRole('row', { name: /e2e-api/ })).toContainText('declares DISABLED');
  await expect(services.getByRole('row', { name: /e2e-web/ })).toContainText('inherits');
});
