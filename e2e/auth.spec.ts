import { expect, test } from './fixtures';
import { E2E_PASSWORD, E2E_USERS, storageStateFile } from './auth-files';

const COMPARTMENT = 'ocid1.compartment.oc1..e2e';

test.describe('a viewer', () => {
  test.use({ storageState: storageStateFile('viewer') });

  test('sees no write controls, and a direct write with their session is refused 403', async ({
    page,
    request,
    seed,
  }) => {
    const mesh = await seed.mesh('e2e-viewer-mesh', 'PERMISSIVE');
    await page.goto('/meshes');
    await expect(page.getByLabel('Signed in as')).toHaveText(`${E2E_USERS.viewer} (viewer)`);
    await expect(page.getByRole('row', { name: /e2e-viewer-mesh/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New mesh' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Import', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
    await page.goto(`/meshes/${mesh.id}/services`);
    await expect(page.getByRole('link', { name: 'New virtual service' })).toHaveCount(0);

    const res = await request.post('/api/virtual-services', {
      data: { compartmentId: COMPARTMENT, meshId: mesh.id, name: 'e2e-by-viewer' },
    });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(
      'the viewer role cannot change anything',
    );
    const services = await request.get(`/api/virtual-services?meshId=${mesh.id}`);
    expect(JSON.stringify(await services.json())).not.toContain('e2e-by-viewer');
  });
});

test('an operator creates a service through the console; the audit shows it and the viewer’s refused attempt', async ({
  page,
  request,
  seed,
  browser,
}) => {
  const mesh = await seed.mesh('e2e-audit-mesh', 'PERMISSIVE');

  // The viewer tries first (its own browser context and session).
  // (No default headers: the page sends the viewer's own CSRF token itself.)
  const viewer = await browser.newContext({
    storageState: storageStateFile('viewer'),
    extraHTTPHeaders: {},
  });
  const viewerPage = await viewer.newPage();
  await viewerPage.goto('/meshes');
  const viewerCsrf = await viewerPage.evaluate(async () => {
    const res = await fetch('/api/session');
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  });
  const refused = await viewerPage.evaluate(
    async ({ token, meshId }) => {
      const res = await fetch('/api/virtual-services', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({
          compartmentId: 'ocid1.compartment.oc1..e2e',
          meshId,
          name: 'e2e-audited',
        }),
      });
      return res.status;
    },
    { token: viewerCsrf, meshId: mesh.id },
  );
  expect(refused).toBe(403);
  await viewer.close();

  // The operator (the default session) can.
  await page.goto(`/meshes/${mesh.id}/services/new`);
  await expect(page.getByLabel('Signed in as')).toHaveText(`${E2E_USERS.operator} (operator)`);
  await page.getByLabel('Name', { exact: true }).fill('e2e-audited');
  await page.getByRole('button', { name: 'Create virtual service' }).click();
  await expect(page).toHaveURL(/\/virtual-services\/[^/]+$/);
  const id = decodeURIComponent(page.url().split('/').pop() ?? '');
  seed.track('virtualServices', id);

  await page.goto('/audit?kind=VirtualService');
  const table = page.getByRole('table', { name: 'Audit events, newest first' });
  // Newest first: the first rows of each user are this test's.
  const created = table
    .getByRole('row', { name: new RegExp(`${E2E_USERS.operator} via console`) })
    .first();
  await expect(created).toContainText('CREATE');
  await expect(created).toContainText('succeeded');
  const attempt = table
    .getByRole('row', { name: new RegExp(`${E2E_USERS.viewer} via console`) })
    .first();
  await expect(attempt).toContainText('POST /api/virtual-services');
  await expect(attempt).toContainText('refused (403)');
  await expect(attempt).toContainText('the viewer role cannot change anything');

  // The mesh page shows the change too.
  await page.goto(`/meshes/${mesh.id}/work-requests`);
  const recent = page.getByRole('region', { name: 'Recent changes' });
  await expect(recent.getByRole('row', { name: /e2e-operator via console/ })).toBeVisible();

  // And the API answers the same.
  const audit = await request.get(
    `/api/audit?actor=${E2E_USERS.viewer}&outcome=REFUSED&kind=VirtualService&limit=1`,
  );
  const items = ((await audit.json()) as { items: unknown[] }).items;
  expect(items).toEqual([
    expect.objectContaining({
      actor: E2E_USERS.viewer,
      via: 'console',
      action: 'POST /api/virtual-services',
      status: 403,
      message: 'the viewer role cannot change anything',
    }),
  ]);
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a wrong password is refused; the right one signs in and returns to the page; sign-out ends the session', async ({
    page,
  }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Faudit$/);
    await page.getByLabel('User name').fill(E2E_USERS.viewer);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('wrong user name or password');

    await page.getByLabel('Password').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByLabel('Signed in as')).toHaveText(`${E2E_USERS.viewer} (viewer)`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    const after = await page.request.get('/api/meshes');
    expect(after.status()).toBe(401);
    await page.goto('/meshes');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('the API needs a session, and the first-run setup is closed', async ({ request }) => {
    expect((await request.get('/api/health')).status()).toBe(200);
    const meshes = await request.get('/api/meshes');
    expect(meshes.status()).toBe(401);
    expect(await meshes.json()).toEqual({
      code: 'NotAuthenticated',
      message: 'sign in first (POST /api/session)',
    });
    const setup = await request.post('/api/setup', {
      data: { token: 'anything-at-all', name: 'intruder', password: 'long-enough-password' },
    });
    expect(setup.status()).toBe(409);
  });
});

test('a write without the CSRF token is refused 403 even with a live session', async ({
  browser,
}) => {
  // A browser context with the operator's cookie but none of the fixtures' default headers.
  const context = await browser.newContext({
    storageState: storageStateFile('operator'),
    extraHTTPHeaders: {},
  });
  const page = await context.newPage();
  await page.goto('/meshes');
  const status = await page.evaluate(async () => {
    const res = await fetch('/api/demo/clock/advance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 1 }),
    });
    return res.status;
  });
  expect(status).toBe(403);
  await context.close();
});
