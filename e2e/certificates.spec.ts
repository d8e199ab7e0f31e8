import type { APIRequestContext } from '@playwright/test';
import { COMPARTMENT, expect, test } from './fixtures.ts';

/** As the console shows instants: `2025-04-30 00:00 UTC` (seconds only when not zero). */
function shown(iso: string): string {
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds !== '00' ? `:${seconds}` : ''} UTC`;
}

/** Creates through the OCI face and waits for ACTIVE (the create completes in a job). */
async function createActive(
  request: APIRequestContext,
  path: string,
  data: Record<string, unknown>,
): Promise<Record<string, unknown> & { id: string }> {
  const res = await request.post(`/20220615/${path}`, { data });
  expect(res.status(), await res.text()).toBe(200);
  const created = (await res.json()) as { id: string };
  await expect
    .poll(
      async () => {
        const read = await request.get(`/20220615/${path}/${encodeURIComponent(created.id)}`);
        return ((await read.json()) as { lifecycleState: string }).lifecycleState;
      },
      { timeout: 15_000 },
    )
    .toBe('ACTIVE');
  const read = await request.get(`/20220615/${path}/${encodeURIComponent(created.id)}`);
  return (await read.json()) as Record<string, unknown> & { id: string };
}

interface Certificate {
  currentVersion: number;
  renewAt: string;
  notAfter: string;
}

async function certificate(request: APIRequestContext, id: string): Promise<Certificate> {
  const res = await request.get(`/api/certificates/${encodeURIComponent(id)}`);
  return (await res.json()) as Certificate;
}

test('an operator advances the demo clock past a renewal and sees the new version and the next renewal date', async ({
  page,
  request,
  seed,
}) => {
  const mesh = await createActive(request, 'meshes', {
    compartmentId: COMPARTMENT,
    displayName: 'e2e-cert-mesh',
    certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..e2ecerts' }],
    mtls: { minimum: 'PERMISSIVE' },
  });
  seed.track('meshes', mesh.id);
  const vs = await createActive(request, 'virtualServices', {
    compartmentId: COMPARTMENT,
    meshId: mesh.id,
    name: 'e2e-ledger',
    hosts: ['ledger.e2e.svc'],
  });
  seed.track('virtualServices', vs.id);
  const certificateId = (vs.mtls as { certificateId: string }).certificateId;
  const first = await certificate(request, certificateId);
  expect(first.currentVersion).toBe(1);

  await page.goto(`/virtual-services/${encodeURIComponent(vs.id)}`);
  const panel = page.getByRole('region', { name: 'Certificate' });
  await expect(panel.locator('dt:has-text("Current version") + dd')).toHaveText('1');
  await expect(panel.locator('dt:has-text("Next renewal") + dd')).toHaveText(shown(first.renewAt));
  await expect(panel.locator('dt:has-text("Versions used") + dd')).toHaveText('1 of 30');

  // 45-day leaves renew after 30 days: one step of the demo clock passes the renewal.
  await page
    .getByRole('group', { name: 'Demo clock' })
    .getByRole('button', { name: '+30 days' })
    .click();
  await expect(panel.locator('dt:has-text("Current version") + dd')).toHaveText('2');
  const second = await certificate(request, certificateId);
  expect(second.currentVersion).toBe(2);
  expect(Date.parse(second.renewAt)).toBeGreaterThan(Date.parse(first.renewAt));
  await expect(panel.locator('dt:has-text("Next renewal") + dd')).toHaveText(shown(second.renewAt));
  await expect(panel.locator('dt:has-text("Not after") + dd')).toHaveText(shown(second.notAfter));
  const versions = panel.getByRole('table', { name: 'Certificate versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions.getByRole('row').nth(1)).toContainText('current');
  await expect(versions.getByRole('row').nth(2)).toContainText('superseded');

  // The mesh shows its CA's expiry, and its certificate inventory the renewed leaf.
  await page.goto(`/meshes/${encodeURIComponent(mesh.id)}/certificates`);
  await expect(page.locator('dt:has-text("CA expires") + dd')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  const row = page
    .getByRole('table', { name: 'Certificates by next renewal' })
    .getByRole('row', { name: /e2e-ledger/ });
  await expect(row).toContainText(shown(second.renewAt));
  await expect(row).toContainText('2 of 30');
});
