/**
 * Conformance: a real BFF on 127.0.0.1 (file database, job runner running, request signatures
 * on), driven only through the published `oci-servicemesh` client with a freshly generated API
 * key, as a user's script would drive it (issue #3 "Done when"). SDK retries and the circuit
 * breaker are off so that a refusal surfaces at once (spec §8.1, §8.5); waiters poll every 50 ms.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DefaultRequestSigner,
  FetchHttpClient,
  FixedTimeDelayStrategy,
  MaxTimeTerminationStrategy,
  NoRetryConfigurationDetails,
  OciError,
  SimpleAuthenticationDetailsProvider,
  type HttpClient,
  type HttpRequest,
} from 'oci-common';
import { models, requests, ServiceMeshClient, type ServiceMeshWaiter } from 'oci-servicemesh';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { systemClock } from '../clock.ts';
import type { Db } from '../db/open-db.ts';
import { openTestDbAt } from '../testing/test-db.ts';
import { createJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import type { Logger } from '../logger.ts';
import { authProviderFor, registerClientKey, type ClientKey } from '../testing/oci-signing.ts';

const COMPARTMENT = 'ocid1.compartment.oc1..conformance';
const OTHER_COMPARTMENT = 'ocid1.compartment.oc1..conformance-other';
const CA = 'ocid1.certificateauthority.oc1..conformance';
const LONG = 60_000;

const State = models.Mesh.LifecycleState;
const { Asc, Desc } = models.SortOrder;

interface Bff {
  db: Db;
  dir: string;
  server: Server;
  runner: JobRunner;
  endpoint: string;
  key: ClientKey;
  logs: Record<string, unknown>[];
}

let bff: Bff;
let client: ServiceMeshClient;
let waiters: ServiceMeshWaiter;

/**
 * A client as a user configures one: the SDK's provider, `client.endpoint` set to Meshdeck. With
 * `httpClient` (the refusal cases) that client signs and sends instead of the SDK's own.
 */
function sdkClient(
  provider: SimpleAuthenticationDetailsProvider,
  httpClient?: HttpClient,
): ServiceMeshClient {
  const c = new ServiceMeshClient(
    httpClient ? { httpClient } : { authenticationDetailsProvider: provider },
    // No retries, no circuit breaker: a refused call fails now, not after 1.5 minutes.
    {
      retryConfiguration: NoRetryConfigurationDetails,
      circuitBreaker: { noCircuit: true } as never,
    },
  );
  c.endpoint = bff.endpoint;
  return c;
}

async function refusal(call: Promise<unknown>): Promise<OciError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-conformance-'));
  const db = openTestDbAt(join(dir, 'meshdeck.db'));
  const logs: Record<string, unknown>[] = [];
  const push =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, msg, ...fields });
  const logger: Logger = { info: push('info'), warn: push('warn'), error: push('error') };
  const runner = createJobRunner({ db, clock: systemClock, logger });
  const app = createApp({
    db,
    clock: systemClock,
    wallClock: systemClock,
    logger,
    runner,
    config: {
      ociAuth: 'signature',
      secretKey: randomBytes(32),
      resourceLifecycle: { stepMs: 100 },
    },
  });
  runner.start(50);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const key = registerClientKey(db, systemClock, 'conformance');
  bff = { db, dir, server, runner, endpoint: `http://127.0.0.1:${port}`, key, logs };
  client = sdkClient(authProviderFor(key));
  waiters = client.createWaiters({
    terminationStrategy: new MaxTimeTerminationStrategy(30),
    delayStrategy: new FixedTimeDelayStrategy(0.05),
  });
});

afterAll(async () => {
  client?.close();
  await bff?.runner.stop();
  await new Promise((resolve) => bff?.server.close(resolve));
  bff?.db.close();
  if (bff) rmSync(bff.dir, { recursive: true, force: true });
});

/** What the journey made, in creation order per kind. */
const made = {
  mesh: '',
  services: {} as Record<string, string>,
  deployments: {} as Record<string, string>,
  serviceRouteTables: {} as Record<string, string>,
  gateway: '',
  gatewayRouteTable: '',
  policies: {} as Record<string, string>,
  workRequests: [] as string[],
};

describe('the OCI SDK against Meshdeck', () => {
  it(
    'builds a Bookinfo-like mesh of all seven kinds, waiting with the SDK waiters for ACTIVE',
    { timeout: LONG },
    async () => {
      const mesh = await client.createMesh({
        createMeshDetails: {
          compartmentId: COMPARTMENT,
          displayName: 'bookinfo',
          description: 'Bookinfo through the OCI SDK',
          certificateAuthorities: [{ id: CA }],
          mtls: { minimum: 'PERMISSIVE' },
        },
      });
      expect(mesh.mesh.lifecycleState).toBe(State.Creating);
      expect(mesh.etag).toBeTruthy();
      expect(mesh.opcWorkRequestId).toMatch(/^ocid1\.meshworkrequest\./);
      expect(mesh.location).toBe(`/20220615/meshes/${mesh.mesh.id}`);
      // The SDK types instants as Date but hands over the wire string (spec §1).
      expect(typeof mesh.mesh.timeCreated).toBe('string');
      made.mesh = mesh.mesh.id;
      made.workRequests.push(mesh.opcWorkRequestId);
      const active = await waiters.forMesh({ meshId: made.mesh }, State.Active);
      expect(active?.mesh).toMatchObject({
        displayName: 'bookinfo',
        mtls: { minimum: 'PERMISSIVE' },
      });

      for (const [name, mode] of [
        ['productpage', 'PERMISSIVE'],
        ['details', 'STRICT'],
        ['reviews', 'STRICT'],
        ['ratings', undefined],
      ] as const) {
        const vs = await client.createVirtualService({
          createVirtualServiceDetails: {
            compartmentId: COMPARTMENT,
            meshId: made.mesh,
            name,
            hosts: [`${name}.bookinfo.svc.cluster.local`, `${name}:9080`],
            defaultRoutingPolicy: { type: models.DefaultVirtualServiceRoutingPolicy.Type.Uniform },
            ...(mode ? { mtls: { mode: mode as never } } : {}),
          },
        });
        made.services[name] = vs.virtualService.id;
        made.workRequests.push(vs.opcWorkRequestId);
        const read = await waiters.forVirtualService(
          { virtualServiceId: vs.virtualService.id },
          State.Active,
        );
        // An omitted mode inherits the mesh minimum; the read shows the effective mode.
        expect(read?.virtualService.mtls?.mode).toBe(mode ?? 'PERMISSIVE');
        expect(read?.virtualService.mtls?.certificateId).toMatch(/^ocid1\.certificate\./);
      }

      for (const [service, versions] of [
        ['productpage', ['v1']],
        ['details', ['v1']],
        ['reviews', ['v1', 'v2', 'v3']],
        ['ratings', ['v1']],
      ] as const) {
        for (const version of versions) {
          const name = `${service}-${version}`;
          const vd = await client.createVirtualDeployment({
            createVirtualDeploymentDetails: {
              compartmentId: COMPARTMENT,
              virtualServiceId: made.services[service] as string,
              name,
              serviceDiscovery: { type: 'DNS', hostname: `${name}.bookinfo.svc.cluster.local` },
              listeners: [{ protocol: models.VirtualDeploymentListener.Protocol.Http, port: 9080 }],
              accessLogging: { isEnabled: true },
            },
          });
          made.deployments[name] = vd.virtualDeployment.id;
          made.workRequests.push(vd.opcWorkRequestId);
          await waiters.forVirtualDeployment(
            { virtualDeploymentId: vd.virtualDeployment.id },
            State.Active,
          );
        }
      }

      const target = (name: string, weight: number) => ({
        type: 'VIRTUAL_DEPLOYMENT',
        virtualDeploymentId: made.deployments[name] as string,
        weight,
      });
      for (const [service, destinations] of [
        ['productpage', [target('productpage-v1', 100)]],
        ['details', [target('details-v1', 100)]],
        ['reviews', [target('reviews-v1', 50), target('reviews-v2', 50), target('reviews-v3', 0)]],
        ['ratings', [target('ratings-v1', 100)]],
      ] as const) {
        const rt = await client.createVirtualServiceRouteTable({
          createVirtualServiceRouteTableDetails: {
            compartmentId: COMPARTMENT,
            virtualServiceId: made.services[service] as string,
            name: `${service}-routes`,
            priority: 1,
            routeRules: [
              { type: 'HTTP', path: '/', pathType: 'PREFIX', isGrpc: false, destinations } as never,
            ],
          },
        });
        made.serviceRouteTables[service] = rt.virtualServiceRouteTable.id;
        made.workRequests.push(rt.opcWorkRequestId);
        const read = await waiters.forVirtualServiceRouteTable(
          { virtualServiceRouteTableId: rt.virtualServiceRouteTable.id },
          State.Active,
        );
        // Zero weights survive the round trip; destinations always carry their type.
        expect(read?.virtualServiceRouteTable.routeRules?.[0]?.destinations).toEqual(destinations);
      }

      const gateway = await client.createIngressGateway({
        createIngressGatewayDetails: {
          compartmentId: COMPARTMENT,
          meshId: made.mesh,
          name: 'bookinfo-gw',
          hosts: [
            {
              name: 'bookinfo',
              hostnames: ['bookinfo.example.com'],
              listeners: [{ protocol: models.IngressGatewayListener.Protocol.Http, port: 8080 }],
            },
          ],
          accessLogging: { isEnabled: true },
        },
      });
      made.gateway = gateway.ingressGateway.id;
      made.workRequests.push(gateway.opcWorkRequestId);
      await waiters.forIngressGateway({ ingressGatewayId: made.gateway }, State.Active);

      const igrt = await client.createIngressGatewayRouteTable({
        createIngressGatewayRouteTableDetails: {
          compartmentId: COMPARTMENT,
          ingressGatewayId: made.gateway,
          name: 'bookinfo-gw-routes',
          priority: 1,
          routeRules: [
            {
              type: 'HTTP',
              path: '/',
              pathType: 'PREFIX',
              ingressGatewayHost: { name: 'bookinfo' },
              destinations: [
                { type: 'VIRTUAL_SERVICE', virtualServiceId: made.services.productpage },
              ],
            } as never,
          ],
        },
      });
      made.gatewayRouteTable = igrt.ingressGatewayRouteTable.id;
      made.workRequests.push(igrt.opcWorkRequestId);
      await waiters.forIngressGatewayRouteTable(
        { ingressGatewayRouteTableId: made.gatewayRouteTable },
        State.Active,
      );

      const vsTarget = (name: string) => ({
        type: 'VIRTUAL_SERVICE',
        virtualServiceId: made.services[name] as string,
      });
      for (const [name, rules] of [
        [
          'ingress',
          [[{ type: 'INGRESS_GATEWAY', ingressGatewayId: made.gateway }, vsTarget('productpage')]],
        ],
        [
          'bookinfo-calls',
          [
            [vsTarget('productpage'), vsTarget('details')],
            [vsTarget('productpage'), vsTarget('reviews')],
            [vsTarget('reviews'), vsTarget('ratings')],
          ],
        ],
      ] as const) {
        const ap = await client.createAccessPolicy({
          createAccessPolicyDetails: {
            compartmentId: COMPARTMENT,
            meshId: made.mesh,
            name,
            rules: rules.map(([source, destination]) => ({
              action: models.AccessPolicyRuleDetails.Action.Allow,
              source: source as never,
              destination: destination as never,
            })),
          },
        });
        made.policies[name] = ap.accessPolicy.id;
        made.workRequests.push(ap.opcWorkRequestId);
        await waiters.forAccessPolicy({ accessPolicyId: ap.accessPolicy.id }, State.Active);
      }

      const all = await Promise.all([
        client.getMesh({ meshId: made.mesh }),
        ...Object.values(made.services).map((id) =>
          client.getVirtualService({ virtualServiceId: id }),
        ),
        ...Object.values(made.deployments).map((id) =>
          client.getVirtualDeployment({ virtualDeploymentId: id }),
        ),
        client.getIngressGatewayRouteTable({ ingressGatewayRouteTableId: made.gatewayRouteTable }),
      ]);
      expect(all).toHaveLength(1 + 4 + 6 + 1);
      expect(made.workRequests).toHaveLength(1 + 4 + 6 + 4 + 1 + 1 + 2);
    },
  );

  it(
    'follows every work request to SUCCEEDED with the SDK waiter, with logs and no errors',
    { timeout: LONG },
    async () => {
      for (const id of made.workRequests) {
        const done = await waiters.forWorkRequest({ workRequestId: id });
        expect(done.workRequest).toMatchObject({
          status: models.OperationStatus.Succeeded,
          percentComplete: 100,
          compartmentId: COMPARTMENT,
        });
        expect(done.workRequest.operationType).toMatch(/^CREATE_/);
        expect(done.workRequest.resources[0]?.actionType).toBe(models.ActionType.Created);
        expect(done.workRequest.timeFinished).toBeTruthy();
        expect(done.etag).toBeTruthy();
        expect(done.retryAfter).toBeUndefined();
      }
      const first = made.workRequests[0] as string;
      const logs = await client.listWorkRequestLogs({ workRequestId: first, sortOrder: Asc });
      expect(logs.workRequestLogEntryCollection.items.map((l) => l.message)).toEqual([
        'started to create mesh bookinfo',
        'create of mesh bookinfo succeeded',
      ]);
      const errors = await client.listWorkRequestErrors({ workRequestId: first });
      expect(errors.workRequestErrorCollection.items).toEqual([]);
      // A finished work request has nothing left to cancel.
      const cancel = await refusal(client.cancelWorkRequest({ workRequestId: first }));
      expect(cancel).toMatchObject({ statusCode: 409, serviceCode: 'Conflict' });

      const byResource = await client.listWorkRequests({
        compartmentId: COMPARTMENT,
        resourceId: made.mesh,
      });
      expect(byResource.workRequestCollection.items.map((w) => w.id)).toEqual([first]);

      // Page through all of them, oldest first, two at a time.
      const seen: string[] = [];
      let page: string | undefined;
      do {
        const res = await client.listWorkRequests({
          compartmentId: COMPARTMENT,
          limit: 2,
          sortOrder: Asc,
          sortBy: requests.ListWorkRequestsRequest.SortBy.TimeAccepted,
          operationStatus: models.OperationStatus.Succeeded,
          ...(page ? { page } : {}),
        });
        seen.push(...res.workRequestCollection.items.map((w) => w.id));
        page = res.opcNextPage;
      } while (page);
      expect(seen).toEqual(made.workRequests);
    },
  );

  it(
    'lists every kind with paging, each sortBy and each sortOrder',
    { timeout: LONG },
    async () => {
      interface Item {
        id: string;
        name?: string;
        displayName?: string;
        timeCreated: Date;
      }
      type Lister = (q: {
        limit: number;
        page?: string;
        sortBy: string;
        sortOrder: models.SortOrder;
      }) => Promise<{ items: Item[]; next: string | undefined }>;
      const lists: [string, Lister, string, number][] = [
        [
          'meshes',
          async (q) => {
            const r = await client.listMeshes({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.meshCollection.items, next: r.opcNextPage };
          },
          'displayName',
          1,
        ],
        [
          'virtual services',
          async (q) => {
            const r = await client.listVirtualServices({
              compartmentId: COMPARTMENT,
              meshId: made.mesh,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.virtualServiceCollection.items, next: r.opcNextPage };
          },
          'name',
          4,
        ],
        [
          'virtual deployments',
          async (q) => {
            const r = await client.listVirtualDeployments({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.virtualDeploymentCollection.items, next: r.opcNextPage };
          },
          'name',
          6,
        ],
        [
          'virtual service route tables',
          async (q) => {
            const r = await client.listVirtualServiceRouteTables({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.virtualServiceRouteTableCollection.items, next: r.opcNextPage };
          },
          'name',
          4,
        ],
        [
          'ingress gateways',
          async (q) => {
            const r = await client.listIngressGateways({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.ingressGatewayCollection.items, next: r.opcNextPage };
          },
          'name',
          1,
        ],
        [
          'ingress gateway route tables',
          async (q) => {
            const r = await client.listIngressGatewayRouteTables({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.ingressGatewayRouteTableCollection.items, next: r.opcNextPage };
          },
          'name',
          1,
        ],
        [
          'access policies',
          async (q) => {
            const r = await client.listAccessPolicies({
              compartmentId: COMPARTMENT,
              ...q,
              sortBy: q.sortBy as never,
            });
            return { items: r.accessPolicyCollection.items, next: r.opcNextPage };
          },
          'name',
          2,
        ],
      ];

      const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      for (const [what, list, nameKey, count] of lists) {
        for (const sortBy of ['id', 'timeCreated', nameKey]) {
          for (const sortOrder of [Asc, Desc]) {
            const got: Item[] = [];
            let page: string | undefined;
            let pages = 0;
            do {
              const res = await list({ limit: 2, sortBy, sortOrder, ...(page ? { page } : {}) });
              expect(res.items.length, what).toBeLessThanOrEqual(2);
              got.push(...res.items);
              page = res.next;
              pages += 1;
            } while (page);
            expect(got, `${what} by ${sortBy} ${sortOrder}`).toHaveLength(count);
            expect(pages).toBe(Math.max(1, Math.ceil(count / 2)));
            const key = (item: Item): string =>
              sortBy === 'id'
                ? item.id
                : sortBy === 'timeCreated'
                  ? String(item.timeCreated)
                  : String(item[nameKey as 'name']);
            const expected = [...got].sort((a, b) => byText(key(a), key(b)) || byText(a.id, b.id));
            if (sortOrder === Desc) expected.reverse();
            expect(
              got.map((i) => i.id),
              `${what} by ${sortBy} ${sortOrder}`,
            ).toEqual(expected.map((i) => i.id));
          }
        }
      }

      const named = await client.listVirtualServices({
        compartmentId: COMPARTMENT,
        name: 'reviews',
      });
      expect(named.virtualServiceCollection.items.map((v) => v.id)).toEqual([
        made.services.reviews,
      ]);
      const byState = await client.listMeshes({
        compartmentId: COMPARTMENT,
        lifecycleState: 'ACTIVE',
        id: made.mesh,
      });
      expect(byState.meshCollection.items).toHaveLength(1);
      const reviews = await client.listVirtualDeployments({
        compartmentId: COMPARTMENT,
        virtualServiceId: made.services.reviews,
        sortBy: requests.ListVirtualDeploymentsRequest.SortBy.Name,
      });
      expect(reviews.virtualDeploymentCollection.items.map((d) => d.name)).toEqual([
        'reviews-v1',
        'reviews-v2',
        'reviews-v3',
      ]);

      // The SDK signs `url.parse`'s form of the query and fetch sends the WHATWG form; they differ
      // for non-ASCII and for | { } ^ ` — still verified, and the filter still exact (spec §8.6).
      const odd = await client.listMeshes({
        compartmentId: COMPARTMENT,
        displayName: 'café|{bookinfo}^',
      });
      expect(odd.meshCollection.items).toEqual([]);

      const missing = await refusal(client.listMeshes({} as never));
      expect(missing).toMatchObject({ statusCode: 400, serviceCode: 'MissingParameter' });
      const tooMany = await refusal(client.listMeshes({ compartmentId: COMPARTMENT, limit: 1001 }));
      expect(tooMany).toMatchObject({ statusCode: 400, serviceCode: 'InvalidParameter' });
    },
  );

  it(
    'updates with a fresh etag and refuses a stale one with 412, changing nothing',
    { timeout: LONG },
    async () => {
      const virtualServiceId = made.services.details as string;
      const before = await client.getVirtualService({ virtualServiceId });
      const update = await client.updateVirtualService({
        virtualServiceId,
        ifMatch: before.etag,
        updateVirtualServiceDetails: { description: 'details, v2' },
      });
      expect(update.opcWorkRequestId).toBeTruthy();
      const after = await waiters.forVirtualService({ virtualServiceId }, State.Active);
      expect(after?.virtualService.description).toBe('details, v2');
      expect(after?.etag).not.toBe(before.etag);
      const done = await waiters.forWorkRequest({ workRequestId: update.opcWorkRequestId });
      expect(done.workRequest).toMatchObject({
        operationType: models.OperationType.UpdateVirtualService,
        status: models.OperationStatus.Succeeded,
      });

      const stale = await refusal(
        client.updateVirtualService({
          virtualServiceId,
          ifMatch: before.etag,
          updateVirtualServiceDetails: { description: 'details, v3' },
        }),
      );
      expect(stale).toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
      const staleDelete = await refusal(
        client.deleteVirtualService({ virtualServiceId, ifMatch: before.etag }),
      );
      expect(staleDelete.statusCode).toBe(412);
      const now = await client.getVirtualService({ virtualServiceId });
      expect(now.virtualService).toMatchObject({
        description: 'details, v2',
        lifecycleState: State.Active,
      });
      expect(now.etag).toBe(after?.etag);

      // Every other kind's update, each with the etag its read returned.
      const updates: [string, () => Promise<string>][] = [
        [
          'mesh',
          async () => {
            const { etag } = await client.getMesh({ meshId: made.mesh });
            await client.updateMesh({
              meshId: made.mesh,
              ifMatch: etag,
              updateMeshDetails: { description: 'v2' },
            });
            return (
              (await waiters.forMesh({ meshId: made.mesh }, State.Active))?.mesh.description ?? ''
            );
          },
        ],
        [
          'virtual deployment',
          async () => {
            const virtualDeploymentId = made.deployments['details-v1'] as string;
            const { etag } = await client.getVirtualDeployment({ virtualDeploymentId });
            await client.updateVirtualDeployment({
              virtualDeploymentId,
              ifMatch: etag,
              updateVirtualDeploymentDetails: { description: 'v2' },
            });
            return (
              (await waiters.forVirtualDeployment({ virtualDeploymentId }, State.Active))
                ?.virtualDeployment.description ?? ''
            );
          },
        ],
        [
          'virtual service route table',
          async () => {
            const virtualServiceRouteTableId = made.serviceRouteTables.details as string;
            const { etag } = await client.getVirtualServiceRouteTable({
              virtualServiceRouteTableId,
            });
            await client.updateVirtualServiceRouteTable({
              virtualServiceRouteTableId,
              ifMatch: etag,
              updateVirtualServiceRouteTableDetails: { description: 'v2' },
            });
            return (
              (
                await waiters.forVirtualServiceRouteTable(
                  { virtualServiceRouteTableId },
                  State.Active,
                )
              )?.virtualServiceRouteTable.description ?? ''
            );
          },
        ],
        [
          'ingress gateway',
          async () => {
            const { etag } = await client.getIngressGateway({ ingressGatewayId: made.gateway });
            await client.updateIngressGateway({
              ingressGatewayId: made.gateway,
              ifMatch: etag,
              updateIngressGatewayDetails: { description: 'v2' },
            });
            return (
              (await waiters.forIngressGateway({ ingressGatewayId: made.gateway }, State.Active))
                ?.ingressGateway.description ?? ''
            );
          },
        ],
        [
          'ingress gateway route table',
          async () => {
            const ingressGatewayRouteTableId = made.gatewayRouteTable;
            const { etag } = await client.getIngressGatewayRouteTable({
              ingressGatewayRouteTableId,
            });
            await client.updateIngressGatewayRouteTable({
              ingressGatewayRouteTableId,
              ifMatch: etag,
              updateIngressGatewayRouteTableDetails: { description: 'v2' },
            });
            return (
              (
                await waiters.forIngressGatewayRouteTable(
                  { ingressGatewayRouteTableId },
                  State.Active,
                )
              )?.ingressGatewayRouteTable.description ?? ''
            );
          },
        ],
        [
          'access policy',
          async () => {
            const accessPolicyId = made.policies.ingress as string;
            const { etag } = await client.getAccessPolicy({ accessPolicyId });
            await client.updateAccessPolicy({
              accessPolicyId,
              ifMatch: etag,
              updateAccessPolicyDetails: { description: 'v2' },
            });
            return (
              (await waiters.forAccessPolicy({ accessPolicyId }, State.Active))?.accessPolicy
                .description ?? ''
            );
          },
        ],
      ];
      for (const [what, update] of updates) expect(await update(), what).toBe('v2');

      // An empty update: the SDK sends no body at all (spec §8.4); nothing changes.
      const noop = await client.updateMesh({ meshId: made.mesh, updateMeshDetails: {} });
      expect(noop.opcWorkRequestId).toBeTruthy();
    },
  );

  it(
    'repeats a create with the same retry token and gets the one resource',
    { timeout: LONG },
    async () => {
      const create = (description: string) =>
        client.createAccessPolicy({
          opcRetryToken: 'conformance-retry-1',
          createAccessPolicyDetails: {
            compartmentId: COMPARTMENT,
            meshId: made.mesh,
            name: 'ratings-egress',
            description,
            rules: [
              {
                action: models.AccessPolicyRuleDetails.Action.Allow,
                source: {
                  type: 'VIRTUAL_SERVICE',
                  virtualServiceId: made.services.ratings,
                } as never,
                destination: {
                  type: 'EXTERNAL_SERVICE',
                  hostnames: ['api.ratings.example.com'],
                  ports: [443],
                  protocol: 'HTTPS',
                } as never,
              },
            ],
          },
        });
      const first = await create('once');
      const again = await create('once');
      expect(again.accessPolicy.id).toBe(first.accessPolicy.id);
      expect(again.etag).toBe(first.etag);
      expect(again.opcWorkRequestId).toBe(first.opcWorkRequestId);
      const other = await refusal(create('another body'));
      expect(other).toMatchObject({ statusCode: 409, serviceCode: 'InvalidatedRetryToken' });
      const listed = await client.listAccessPolicies({
        compartmentId: COMPARTMENT,
        name: 'ratings-egress',
      });
      expect(listed.accessPolicyCollection.items).toHaveLength(1);
      made.policies['ratings-egress'] = first.accessPolicy.id;
      await waiters.forAccessPolicy({ accessPolicyId: first.accessPolicy.id }, State.Active);
    },
  );

  it(
    'moves each of the seven kinds to another compartment and back',
    { timeout: LONG },
    async () => {
      const moves: [
        () => Promise<{ opcWorkRequestId: string }>,
        (c: string) => Promise<{ opcWorkRequestId: string }>,
        () => Promise<string>,
      ][] = [];
      const add = (
        move: (compartmentId: string) => Promise<{ opcWorkRequestId: string }>,
        read: () => Promise<string>,
      ) => moves.push([() => move(OTHER_COMPARTMENT), move, read]);
      add(
        (compartmentId) =>
          client.changeMeshCompartment({
            meshId: made.mesh,
            changeMeshCompartmentDetails: { compartmentId },
          }),
        async () =>
          (await waiters.forMesh({ meshId: made.mesh }, State.Active))?.mesh.compartmentId ?? '',
      );
      const vs = made.services.ratings as string;
      add(
        (compartmentId) =>
          client.changeVirtualServiceCompartment({
            virtualServiceId: vs,
            changeVirtualServiceCompartmentDetails: { compartmentId },
          }),
        async () =>
          (await waiters.forVirtualService({ virtualServiceId: vs }, State.Active))?.virtualService
            .compartmentId ?? '',
      );
      const vd = made.deployments['ratings-v1'] as string;
      add(
        (compartmentId) =>
          client.changeVirtualDeploymentCompartment({
            virtualDeploymentId: vd,
            changeVirtualDeploymentCompartmentDetails: { compartmentId },
          }),
        async () =>
          (await waiters.forVirtualDeployment({ virtualDeploymentId: vd }, State.Active))
            ?.virtualDeployment.compartmentId ?? '',
      );
      const vsrt = made.serviceRouteTables.ratings as string;
      add(
        (compartmentId) =>
          client.changeVirtualServiceRouteTableCompartment({
            virtualServiceRouteTableId: vsrt,
            changeVirtualServiceRouteTableCompartmentDetails: { compartmentId },
          }),
        async () =>
          (
            await waiters.forVirtualServiceRouteTable(
              { virtualServiceRouteTableId: vsrt },
              State.Active,
            )
          )?.virtualServiceRouteTable.compartmentId ?? '',
      );
      add(
        (compartmentId) =>
          client.changeIngressGatewayCompartment({
            ingressGatewayId: made.gateway,
            changeIngressGatewayCompartmentDetails: { compartmentId },
          }),
        async () =>
          (await waiters.forIngressGateway({ ingressGatewayId: made.gateway }, State.Active))
            ?.ingressGateway.compartmentId ?? '',
      );
      add(
        (compartmentId) =>
          client.changeIngressGatewayRouteTableCompartment({
            ingressGatewayRouteTableId: made.gatewayRouteTable,
            changeIngressGatewayRouteTableCompartmentDetails: { compartmentId },
          }),
        async () =>
          (
            await waiters.forIngressGatewayRouteTable(
              { ingressGatewayRouteTableId: made.gatewayRouteTable },
              State.Active,
            )
          )?.ingressGatewayRouteTable.compartmentId ?? '',
      );
      const ap = made.policies.ingress as string;
      add(
        (compartmentId) =>
          client.changeAccessPolicyCompartment({
            accessPolicyId: ap,
            changeAccessPolicyCompartmentDetails: { compartmentId },
          }),
        async () =>
          (await waiters.forAccessPolicy({ accessPolicyId: ap }, State.Active))?.accessPolicy
            .compartmentId ?? '',
      );
      expect(moves).toHaveLength(7);

      for (const [away, move, read] of moves) {
        const res = await away();
        expect(await read()).toBe(OTHER_COMPARTMENT);
        const wr = await waiters.forWorkRequest({ workRequestId: res.opcWorkRequestId });
        expect(wr.workRequest.operationType).toMatch(/^MOVE_/);
        expect(wr.workRequest.compartmentId).toBe(OTHER_COMPARTMENT);
        await move(COMPARTMENT);
        expect(await read()).toBe(COMPARTMENT);
      }
      const elsewhere = await client.listMeshes({ compartmentId: OTHER_COMPARTMENT });
      expect(elsewhere.meshCollection.items).toEqual([]);
    },
  );

  it('names the proxy image', async () => {
    const res = await client.getProxyDetails({});
    expect(res.proxyDetails.proxyImage).toBeTruthy();
  });

  it(
    'refuses a tampered body, a wrong key and an old date with 401, and nothing changes',
    { timeout: LONG },
    async () => {
      const count = async () =>
        (await client.listMeshes({ compartmentId: COMPARTMENT, limit: 1000 })).meshCollection.items
          .length;
      const before = await count();
      const provider = authProviderFor(bff.key);
      const signer = new DefaultRequestSigner(provider);
      const createMesh = (c: ServiceMeshClient) =>
        c.createMesh({
          createMeshDetails: {
            compartmentId: COMPARTMENT,
            displayName: 'intruder',
            certificateAuthorities: [{ id: CA }],
          },
        });

      // Signed as sent by the SDK, then one byte of the body changed on the way.
      const tampering: HttpClient = {
        async send(req: HttpRequest) {
          const body = String(req.body);
          await signer.signHttpRequest({
            method: req.method,
            headers: req.headers,
            uri: req.uri,
            body,
          });
          return fetch(req.uri, {
            method: req.method,
            headers: req.headers,
            body: body.replace('intruder', 'intrudeR'),
          });
        },
      };
      const tampered = await refusal(createMesh(sdkClient(provider, tampering)));
      expect(tampered).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });

      // The registered fingerprint, signed with another private key.
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const wrongKey = await refusal(
        createMesh(sdkClient(authProviderFor({ ...bff.key, privateKeyPem: otherKey }))),
      );
      expect(wrongKey).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });

      // A correct signature over an x-date ten minutes old.
      const oldDate: HttpClient = new FetchHttpClient(
        {
          async signHttpRequest(request: HttpRequest, forceExcludeBody?: boolean) {
            request.headers.set('x-date', new Date(Date.now() - 10 * 60_000).toUTCString());
            await signer.signHttpRequest(request, forceExcludeBody);
          },
        },
        null as never,
      );
      const old = await refusal(createMesh(sdkClient(provider, oldDate)));
      expect(old).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
      const oldRead = await refusal(sdkClient(provider, oldDate).getMesh({ meshId: made.mesh }));
      expect(oldRead.statusCode).toBe(401);

      expect(await count()).toBe(before);
      const intruders = await client.listMeshes({
        compartmentId: COMPARTMENT,
        displayName: 'intruder',
      });
      expect(intruders.meshCollection.items).toEqual([]);
      // Each refused for its own reason (kept in the log, never told to the client).
      expect(
        bff.logs.filter((l) => l.msg === 'request not authenticated').map((l) => l.reason),
      ).toEqual([
        'the body does not match x-content-sha256',
        'the signature does not verify',
        expect.stringMatching(/^x-date is 60[01] s from the server clock$/),
        expect.stringMatching(/^x-date is 60[01] s from the server clock$/),
      ]);
    },
  );

  it(
    'lets the SDK retry a child create over its parent CREATING (409 IncorrectState)',
    { timeout: LONG },
    async () => {
      const retrying = new ServiceMeshClient(
        { authenticationDetailsProvider: authProviderFor(bff.key) },
        { circuitBreaker: { noCircuit: true } as never },
      );
      retrying.endpoint = bff.endpoint;
      const mesh = await retrying.createMesh({
        createMeshDetails: {
          compartmentId: COMPARTMENT,
          displayName: 'eager',
          certificateAuthorities: [{ id: CA }],
        },
      });
      // Sent at once, while the mesh is CREATING: refused with IncorrectState, retried by the SDK.
      const vs = await retrying.createVirtualService({
        createVirtualServiceDetails: {
          compartmentId: COMPARTMENT,
          meshId: mesh.mesh.id,
          name: 'first',
        },
      });
      expect(vs.virtualService.meshId).toBe(mesh.mesh.id);
      retrying.close();
      await waiters.forVirtualService({ virtualServiceId: vs.virtualService.id }, State.Active);
      await client.deleteVirtualService({ virtualServiceId: vs.virtualService.id });
      await waiters.forVirtualService({ virtualServiceId: vs.virtualService.id }, State.Deleted);
      await client.deleteMesh({ meshId: mesh.mesh.id });
      await waiters.forMesh({ meshId: mesh.mesh.id }, State.Deleted);
    },
  );

  it('deletes everything in order and waits for DELETED', { timeout: LONG }, async () => {
    const blocked = await refusal(client.deleteMesh({ meshId: made.mesh }));
    expect(blocked).toMatchObject({ statusCode: 409, serviceCode: 'Conflict' });
    expect(blocked.message).toMatch(
      /^cannot delete mesh bookinfo: in use by virtual services details, productpage, ratings, reviews; ingress gateway bookinfo-gw; access policies /,
    );

    for (const id of Object.values(made.policies)) {
      await client.deleteAccessPolicy({ accessPolicyId: id });
      const gone = await waiters.forAccessPolicy({ accessPolicyId: id }, State.Deleted);
      expect(gone?.accessPolicy.lifecycleState).toBe(State.Deleted);
    }
    await client.deleteIngressGatewayRouteTable({
      ingressGatewayRouteTableId: made.gatewayRouteTable,
    });
    await waiters.forIngressGatewayRouteTable(
      { ingressGatewayRouteTableId: made.gatewayRouteTable },
      State.Deleted,
    );
    const del = await client.deleteIngressGateway({ ingressGatewayId: made.gateway });
    await waiters.forIngressGateway({ ingressGatewayId: made.gateway }, State.Deleted);
    const wr = await waiters.forWorkRequest({ workRequestId: del.opcWorkRequestId });
    expect(wr.workRequest).toMatchObject({
      operationType: models.OperationType.DeleteIngressGateway,
      status: models.OperationStatus.Succeeded,
      resources: [expect.objectContaining({ actionType: models.ActionType.Deleted })],
    });
    for (const id of Object.values(made.serviceRouteTables)) {
      await client.deleteVirtualServiceRouteTable({ virtualServiceRouteTableId: id });
      await waiters.forVirtualServiceRouteTable({ virtualServiceRouteTableId: id }, State.Deleted);
    }
    for (const id of Object.values(made.deployments)) {
      await client.deleteVirtualDeployment({ virtualDeploymentId: id });
      await waiters.forVirtualDeployment({ virtualDeploymentId: id }, State.Deleted);
    }
    for (const id of Object.values(made.services)) {
      await client.deleteVirtualService({ virtualServiceId: id });
      await waiters.forVirtualService({ virtualServiceId: id }, State.Deleted);
    }
    await client.deleteMesh({ meshId: made.mesh });
    const mesh = await waiters.forMesh({ meshId: made.mesh }, State.Deleted);
    expect(mesh?.mesh.lifecycleState).toBe(State.Deleted);

    expect((await client.listMeshes({ compartmentId: COMPARTMENT })).meshCollection.items).toEqual(
      [],
    );
    const deleted = await client.listMeshes({
      compartmentId: COMPARTMENT,
      lifecycleState: 'DELETED',
    });
    expect(deleted.meshCollection.items.map((m) => m.id)).toContain(made.mesh);
    const services = await client.listVirtualServices({
      compartmentId: COMPARTMENT,
      meshId: made.mesh,
      lifecycleState: 'DELETED',
    });
    expect(services.virtualServiceCollection.items).toHaveLength(4);
  });
});
