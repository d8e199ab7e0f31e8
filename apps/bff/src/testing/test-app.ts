import type { MtlsMode, Role } from '@meshdeck/domain';
import request from 'supertest';
import type { Express } from 'express';
import { expect } from 'vitest';
import { createApp, type AppConfig } from '../app.ts';
import { createApiKeyRepository } from '../auth/api-keys.repository.ts';
import { SESSION_COOKIE } from '../auth/console-session.ts';
import { createSessionRepository, DEFAULT_SESSION_CONFIG } from '../auth/sessions.repository.ts';
import { createManualClock, type Clock, type ManualClock } from '../clock.ts';
import { prepare } from '../db/open-db.ts';
import type { Db } from '../db/open-db.ts';
import { openTestDb } from './test-db.ts';
import { createJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import type { Logger } from '../logger.ts';

export const COMPARTMENT_ID = 'ocid1.compartment.oc1..test';
export const CA_ID = 'ocid1.certificateauthority.oc1..test';

export interface TestApp {
  app: Express;
  db: Db;
  clock: ManualClock;
  /** Log lines the app wrote, as parsed objects. */
  logs: Record<string, unknown>[];
  /** Signed in to the console as an admin (`test-admin`), with the CSRF header on every request. */
  http: SignedInAgent;
  /** A client signed in as a user of `role` (`test-viewer`, `test-operator`, created when new). */
  as(role: Role): SignedInAgent;
  /** A client with no session and no CSRF token. */
  anonymous: ReturnType<typeof request>;
  /** The app's job runner; never started: tests run it with `settle()` or `runner.runDue()`. */
  runner: JobRunner;
  /** Runs jobs until none is due at the clock's current time (lifecycle steps, certificates). */
  settle(): Promise<void>;
}

/** Session expiry in tests: ten years, so moving the manual clock keeps tests signed in. */
export const TEST_SESSION = { idleSeconds: 315_360_000, absoluteSeconds: 315_360_000 };

export type SignedInAgent = ReturnType<typeof request.agent> & {
  /** The session's CSRF token (sent as `x-csrf-token` on every request of this agent). */
  csrfToken: string;
  /** The session cookie (`meshdeck_session=...`). */
  cookie: string;
  userName: string;
};

/**
 * A supertest agent signed in as `name` (created with `role` when new, without a password): the
 * session row is made directly, so no password hashing slows the tests down.
 */
export function signedInAgent(
  app: Express,
  db: Db,
  clock: Clock,
  role: Role,
  name = `test-${role}`,
  absoluteSeconds = TEST_SESSION.absoluteSeconds,
): SignedInAgent {
  const { cookie, csrfToken } = createTestSession(db, clock, role, name, absoluteSeconds);
  const agent = request.agent(app).set('Cookie', cookie).set('x-csrf-token', csrfToken);
  return Object.assign(agent, { csrfToken, cookie, userName: name });
}

/**
 * A console session for `name` (created with `role` when new) straight in the database: the
 * `Cookie` header and `x-csrf-token` a client sends with it (tests of BFF processes use fetch).
 */
export function createTestSession(
  db: Db,
  clock: Clock,
  role: Role,
  name = `test-${role}`,
  absoluteSeconds = DEFAULT_SESSION_CONFIG.absoluteSeconds,
): { cookie: string; csrfToken: string } {
  const apiKeys = createApiKeyRepository(db, clock);
  const user = apiKeys.findUserByName(name) ?? apiKeys.createUser(name);
  prepare(db, 'UPDATE users SET role = ? WHERE id = ?').run(role, user.id);
  const sessions = createSessionRepository(db, clock, {
    ...DEFAULT_SESSION_CONFIG,
    absoluteSeconds,
  });
  const { id, session } = sessions.create(user.id);
  return { cookie: `${SESSION_COOKIE}=${id}`, csrfToken: session.csrfToken };
}

/**
 * A BFF on a fresh in-memory database with a manual clock and a log it keeps. `http` is signed in
 * to the console as an admin; `as(role)` gives other roles, `anonymous` no session. The OCI face
 * takes unsigned calls (as the `anonymous` operator) unless `config.ociAuth` says `signature`
 * (auth/*.test.ts). Lifecycle steps take
 * no time unless `config.resourceLifecycle` says otherwise, so `settle()` completes OCI writes
 * without moving the clock.
 */
export function createTestApp(options: { db?: Db; config?: AppConfig } = {}): TestApp {
  const db = options.db ?? openTestDb();
  const clock = createManualClock('2025-03-01T00:00:00.000Z');
  const logs: Record<string, unknown>[] = [];
  const push =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, msg, ...fields });
  const logger: Logger = { info: push('info'), warn: push('warn'), error: push('error') };
  const runner = createJobRunner({ db, clock, logger });
  const app = createApp({
    db,
    clock,
    logger,
    runner,
    config: {
      ociAuth: 'none',
      // The manual clock does not move by itself, so a rate limit window would never end.
      rateLimits: { api: { limit: 1_000_000_000, windowSeconds: 60 } },
      // Tests move the clock by months; sessions outlive that unless a test says otherwise.
      session: TEST_SESSION,
      ...options.config,
      resourceLifecycle: { stepMs: 0, ...options.config?.resourceLifecycle },
    },
  });
  const settle = async () => {
    for (let sweep = 0; sweep < 100; sweep += 1) {
      if ((await runner.runDue()).claimed === 0) return;
    }
    throw new Error('jobs were still due after 100 sweeps');
  };
  const absolute = options.config?.session?.absoluteSeconds ?? TEST_SESSION.absoluteSeconds;
  const agents = new Map<Role, SignedInAgent>();
  const as = (role: Role) => {
    let agent = agents.get(role);
    if (!agent) {
      agent = signedInAgent(app, db, clock, role, `test-${role}`, absolute);
      agents.set(role, agent);
    }
    return agent;
  };
  return {
    app,
    db,
    clock,
    logs,
    http: as('admin'),
    as,
    anonymous: request(app),
    runner,
    settle,
  };
}

type Body = Record<string, unknown>;

async function created(
  t: TestApp,
  path: string,
  body: Body,
): Promise<Body & { id: string; etag: string }> {
  const res = await t.http.post(`/20220615/${path}`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.lifecycleState).toBe('CREATING');
  // As an SDK waiter would: run the lifecycle job, then read the resource once it is ACTIVE.
  await t.settle();
  const read = await t.http.get(`/20220615/${path}/${res.body.id as string}`);
  expect(read.body.lifecycleState, JSON.stringify(read.body)).toBe('ACTIVE');
  return { ...(read.body as Body), id: read.body.id as string, etag: read.headers.etag as string };
}

export function createMesh(t: TestApp, displayName: string, minimum?: MtlsMode, extra: Body = {}) {
  return created(t, 'meshes', {
    compartmentId: COMPARTMENT_ID,
    displayName,
    certificateAuthorities: [{ id: CA_ID }],
    ...(minimum ? { mtls: { minimum } } : {}),
    ...extra,
  });
}

export function createVirtualService(
  t: TestApp,
  meshId: string,
  name: string,
  mode?: MtlsMode,
  extra: Body = {},
) {
  return created(t, 'virtualServices', {
    compartmentId: COMPARTMENT_ID,
    meshId,
    name,
    ...(mode ? { mtls: { mode } } : {}),
    ...extra,
  });
}

export function createVirtualDeployment(t: TestApp, virtualServiceId: string, name: string) {
  return created(t, 'virtualDeployments', {
    compartmentId: COMPARTMENT_ID,
    virtualServiceId,
    name,
    serviceDiscovery: { type: 'DNS', hostname: `${name}.example.internal` },
    listeners: [{ protocol: 'HTTP', port: 8080 }],
  });
}

export function createRouteTable(
  t: TestApp,
  virtualServiceId: string,
  name: string,
  weights: [string, number][],
  extra: Body = {},
) {
  return created(t, 'virtualServiceRouteTables', {
    compartmentId: COMPARTMENT_ID,
    virtualServiceId,
    name,
    routeRules: [
      {
        type: 'HTTP',
        path: '/',
        destinations: weights.map(([virtualDeploymentId, weight]) => ({
          type: 'VIRTUAL_DEPLOYMENT',
          virtualDeploymentId,
          weight,
        })),
      },
    ],
    ...extra,
  });
}

export function gatewayBody(meshId: string, name: string, tls?: Body): Body {
  return {
    compartmentId: COMPARTMENT_ID,
    meshId,
    name,
    hosts: [
      {
        name: 'main',
        hostnames: ['shop.example.com'],
        listeners: [{ protocol: 'HTTP', port: 8080, ...(tls ? { tls } : {}) }],
      },
    ],
  };
}

export function createIngressGateway(t: TestApp, meshId: string, name: string, tls?: Body) {
  return created(t, 'ingressGateways', gatewayBody(meshId, name, tls));
}

export function ingressRoute(path: string, virtualServiceId: string): Body {
  return {
    type: 'HTTP',
    path,
    pathType: 'PREFIX',
    destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId }],
  };
}

export function createIngressRouteTable(
  t: TestApp,
  ingressGatewayId: string,
  name: string,
  routeRules: Body[],
  extra: Body = {},
) {
  return created(t, 'ingressGatewayRouteTables', {
    compartmentId: COMPARTMENT_ID,
    ingressGatewayId,
    name,
    routeRules,
    ...extra,
  });
}

export function allow(source: Body, destination: Body): Body {
  return { action: 'ALLOW', source, destination };
}

export const vsTarget = (virtualServiceId: string): Body => ({
  type: 'VIRTUAL_SERVICE',
  virtualServiceId,
});

export function createAccessPolicy(t: TestApp, meshId: string, name: string, rules: Body[]) {
  return created(t, 'accessPolicies', { compartmentId: COMPARTMENT_ID, meshId, name, rules });
}
