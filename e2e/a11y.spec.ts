import type { MeshDetail, MeshSummary } from '@meshdeck/domain';
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { storageStateFile } from './auth-files.ts';
import { expect, test } from './fixtures.ts';

/**
 * axe over every page of the console, on the demo mesh, in both themes: the other specs check the
 * pages their journeys pass; this one makes sure none is left out (issue #6).
 */
async function demoMesh(page: Page): Promise<MeshDetail> {
  const list = (await (await page.request.get('/api/meshes')).json()) as { items: MeshSummary[] };
  const shop = list.items.find((m) => m.displayName === 'shop-mesh');
  expect(shop, 'the demo mesh is seeded').toBeDefined();
  return (await (await page.request.get(`/api/meshes/${shop!.id}`)).json()) as MeshDetail;
}

function everyPage(detail: MeshDetail): string[] {
  const mesh = `/meshes/${encodeURIComponent(detail.mesh.id)}`;
  const enc = encodeURIComponent;
  const first = <T extends { id: string }>(items: T[], what: string): string => {
    expect(items.length, `the demo mesh has ${what}`).toBeGreaterThan(0);
    return enc(items[0]!.id);
  };
  const vs = first(detail.virtualServices, 'virtual services');
  const vd = first(detail.virtualDeployments, 'virtual deployments');
  const gw = first(detail.ingressGateways, 'ingress gateways');
  const igrt = first(detail.ingressGatewayRouteTables, 'gateway route tables');
  const policy = first(detail.accessPolicies, 'access policies');
  const pages = [
    '/meshes',
    '/meshes/new',
    `${mesh}/services`,
    `${mesh}/deployments`,
    `${mesh}/gateways`,
    `${mesh}/route-tables`,
    `${mesh}/policies`,
    `${mesh}/certificates`,
    `${mesh}/work-requests`,
    `${mesh}/mtls`,
    `${mesh}/topology`,
    `${mesh}/reachability`,
    `${mesh}/edit`,
    `${mesh}/services/new`,
    `${mesh}/deployments/new`,
    `${mesh}/route-tables/new`,
    `${mesh}/gateways/new`,
    `${mesh}/policies/new`,
    `/virtual-services/${vs}`,
    `/virtual-services/${vs}/edit`,
    `/virtual-deployments/${vd}`,
    `/virtual-deployments/${vd}/edit`,
    `/ingress-gateways/${gw}`,
    `/ingress-gateways/${gw}/edit`,
    `/ingress-gateways/${gw}/route-tables/new`,
    `/ingress-gateway-route-tables/${igrt}`,
    `/ingress-gateway-route-tables/${igrt}/edit`,
    `/access-policies/${policy}`,
    `/access-policies/${policy}/edit`,
    '/import',
    '/audit',
    '/users',
    '/no-such-page',
  ];
  if (detail.virtualServiceRouteTables.length > 0) {
    const rt = enc(detail.virtualServiceRouteTables[0]!.id);
    pages.push(`/virtual-service-route-tables/${rt}`, `/virtual-service-route-tables/${rt}/edit`);
  }
  return pages;
}

test.describe('as an admin (every page, users included)', () => {
  test.use({ storageState: storageStateFile('admin') });

  for (const theme of ['light', 'dark'] as const) {
    test(`every page passes axe in the ${theme} theme`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: theme });
      const pages = everyPage(await demoMesh(page));
      for (const path of pages) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
        await expectNoSeriousA11yViolations(page);
      }
    });
  }
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the sign-in page passes axe', async ({ page }) => {
    await page.goto('/meshes');
    await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});
