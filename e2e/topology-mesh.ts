import { expect, type APIRequestContext } from '@playwright/test';
import { COMPARTMENT } from './fixtures.ts';

/** What the topology journeys need from the `seed` fixture: cleanup of what they make. */
interface Tracker {
  track(path: string, id: string): void;
}

type Body = Record<string, unknown>;

/**
 * Creates one OCI resource through the BFF's OCI face (never through the UI under test), waits
 * for ACTIVE as the SDK would, and hands it to the seeder for deletion after the test.
 */
export async function createOci(
  request: APIRequestContext,
  seed: Tracker,
  path: string,
  body: Body,
): Promise<string> {
  const res = await request.post(`/20220615/${path}`, {
    data: { compartmentId: COMPARTMENT, ...body },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { id } = (await res.json()) as { id: string };
  seed.track(path, id);
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`/20220615/${path}/${encodeURIComponent(id)}`)).json()) as {
            lifecycleState: string;
          }
        ).lifecycleState,
      { timeout: 15_000 },
    )
    .toBe('ACTIVE');
  return id;
}

export const allowRule = (source: Body, destination: Body): Body => ({
  action: 'ALLOW',
  source,
  destination,
});
export const vsTarget = (virtualServiceId: string): Body => ({
  type: 'VIRTUAL_SERVICE',
  virtualServiceId,
});
export const gatewayTarget = (ingressGatewayId: string): Body => ({
  type: 'INGRESS_GATEWAY',
  ingressGatewayId,
});

export interface Bookinfo {
  meshId: string;
  ids: Record<'productpage' | 'details' | 'reviews' | 'ratings' | 'gateway', string>;
}

/**
 * A Bookinfo-like mesh with every edge state: minimum DISABLED; productpage and ratings
 * PERMISSIVE, reviews STRICT, details inheriting DISABLED; gateway bookinfo-gw (plain HTTP
 * listener) routes `/` to productpage and `/details` to details; bookinfo-policy allows the
 * gateway to productpage and productpage → details, productpage → reviews, reviews → ratings.
 */
export async function seedBookinfo(
  request: APIRequestContext,
  seed: Tracker,
  meshName: string,
): Promise<Bookinfo> {
  const meshId = await createOci(request, seed, 'meshes', {
    displayName: meshName,
    certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..e2e' }],
    mtls: { minimum: 'DISABLED' },
  });
  const vs = (name: string, mode?: string) =>
    createOci(request, seed, 'virtualServices', {
      meshId,
      name,
      hosts: [`${name}.bookinfo.svc`],
      ...(mode ? { mtls: { mode } } : {}),
    });
  const productpage = await vs('productpage', 'PERMISSIVE');
  const details = await vs('details');
  const reviews = await vs('reviews', 'STRICT');
  const ratings = await vs('ratings', 'PERMISSIVE');
  const gateway = await createOci(request, seed, 'ingressGateways', {
    meshId,
    name: 'bookinfo-gw',
    hosts: [
      {
        name: 'bookinfoHost',
        hostnames: ['bookinfo.example.com'],
        listeners: [{ protocol: 'HTTP', port: 9080 }],
      },
    ],
  });
  const route = (path: string, virtualServiceId: string) => ({
    type: 'HTTP',
    path,
    pathType: 'PREFIX',
    destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId }],
  });
  await createOci(request, seed, 'ingressGatewayRouteTables', {
    ingressGatewayId: gateway,
    name: 'bookinfo-gw-routes',
    routeRules: [route('/details', details), route('/', productpage)],
  });
  await createOci(request, seed, 'accessPolicies', {
    meshId,
    name: 'bookinfo-policy',
    rules: [
      allowRule(gatewayTarget(gateway), vsTarget(productpage)),
      allowRule(vsTarget(productpage), vsTarget(details)),
      allowRule(vsTarget(productpage), vsTarget(reviews)),
      allowRule(vsTarget(reviews), vsTarget(ratings)),
    ],
  });
  return { meshId, ids: { productpage, details, reviews, ratings, gateway } };
}
