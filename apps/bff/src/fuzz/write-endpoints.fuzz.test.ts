import { CONSOLE_RESOURCE_PATHS } from '@meshdeck/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableNames } from '../testing/test-db.ts';
import {
  allow,
  COMPARTMENT_ID,
  CA_ID,
  createAccessPolicy,
  createIngressGateway,
  createIngressRouteTable,
  createMesh,
  createRouteTable,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  gatewayBody,
  ingressRoute,
  vsTarget,
  type SignedInAgent,
  type TestApp,
} from '../testing/test-app.ts';

/**
 * Property-based fuzzing of every write endpoint of both faces (issue #8): generated and mutated
 * bodies never get a 5xx, a refused request (4xx) stores nothing, and the server keeps serving.
 * CI runs a fixed seed and a few runs per endpoint; `npm run fuzz -- --runs 5000` runs longer.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20251203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 15);

type Body = Record<string, unknown>;

interface Endpoint {
  face: 'oci' | 'api';
  method: 'post' | 'put' | 'patch';
  path: string;
  /** A body that the endpoint accepts (or nearly): the mutations start from it. */
  valid: Body;
}

/** Tables a request may touch without storing anything of its own (sessions: last seen). */
const NOT_STATE = new Set(['audit_events', 'sessions', 'schema_migrations']);

function snapshot(t: TestApp): string {
  const tables = tableNames(t.db);
  return JSON.stringify(
    tables
      .filter((name) => !NOT_STATE.has(name))
      .map((name) => [
        name,
        t.db
          .prepare(`SELECT * FROM "${name}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort(),
      ]),
  );
}

async function world(t: TestApp) {
  const mesh = await createMesh(t, 'fuzz-mesh', 'PERMISSIVE');
  const vs = await createVirtualService(t, mesh.id, 'fuzz-vs');
  const vd = await createVirtualDeployment(t, vs.id, 'fuzz-vd');
  const rt = await createRouteTable(t, vs.id, 'fuzz-rt', [[vd.id, 100]]);
  const ig = await createIngressGateway(t, mesh.id, 'fuzz-ig');
  const igrt = await createIngressRouteTable(t, ig.id, 'fuzz-igrt', [ingressRoute('/', vs.id)]);
  const ap = await createAccessPolicy(t, mesh.id, 'fuzz-ap', [
    allow({ type: 'ALL_VIRTUAL_SERVICES' }, vsTarget(vs.id)),
  ]);
  return { mesh, vs, vd, rt, ig, igrt, ap };
}

function endpoints(w: Awaited<ReturnType<typeof world>>): Endpoint[] {
  const creates: Record<
    keyof typeof CONSOLE_RESOURCE_PATHS,
    { oci: string; body: Body; id: string }
  > = {
    Mesh: {
      oci: 'meshes',
      id: w.mesh.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        displayName: 'm2',
        certificateAuthorities: [{ id: CA_ID }],
        mtls: { minimum: 'PERMISSIVE' },
      },
    },
    VirtualService: {
      oci: 'virtualServices',
      id: w.vs.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        meshId: w.mesh.id,
        name: 'vs2',
        hosts: ['vs2.local'],
        mtls: { mode: 'STRICT' },
      },
    },
    VirtualDeployment: {
      oci: 'virtualDeployments',
      id: w.vd.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        virtualServiceId: w.vs.id,
        name: 'vd2',
        serviceDiscovery: { type: 'DNS', hostname: 'vd2.local' },
        listeners: [{ protocol: 'HTTP', port: 8080 }],
      },
    },
    VirtualServiceRouteTable: {
      oci: 'virtualServiceRouteTables',
      id: w.rt.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        virtualServiceId: w.vs.id,
        name: 'rt2',
        routeRules: [
          {
            type: 'HTTP',
            path: '/',
            destinations: [
              { type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: w.vd.id, weight: 100 },
            ],
          },
        ],
      },
    },
    IngressGateway: { oci: 'ingressGateways', id: w.ig.id, body: gatewayBody(w.mesh.id, 'ig2') },
    IngressGatewayRouteTable: {
      oci: 'ingressGatewayRouteTables',
      id: w.igrt.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        ingressGatewayId: w.ig.id,
        name: 'igrt2',
        routeRules: [ingressRoute('/x', w.vs.id)],
      },
    },
    AccessPolicy: {
      oci: 'accessPolicies',
      id: w.ap.id,
      body: {
        compartmentId: COMPARTMENT_ID,
        meshId: w.mesh.id,
        name: 'ap2',
        rules: [allow({ type: 'ALL_VIRTUAL_SERVICES' }, vsTarget(w.vs.id))],
      },
    },
  };
  const list: Endpoint[] = [];
  for (const [kind, c] of Object.entries(creates) as [
    keyof typeof CONSOLE_RESOURCE_PATHS,
    (typeof creates)['Mesh'],
  ][]) {
    const { compartmentId: _c, ...update } = c.body;
    list.push(
      { face: 'oci', method: 'post', path: `/20220615/${c.oci}`, valid: c.body },
      { face: 'oci', method: 'put', path: `/20220615/${c.oci}/${c.id}`, valid: update },
      {
        face: 'oci',
        method: 'post',
        path: `/20220615/${c.oci}/${c.id}/actions/changeCompartment`,
        valid: { compartmentId: 'ocid1.compartment.oc1..other' },
      },
      { face: 'api', method: 'post', path: `/api/${CONSOLE_RESOURCE_PATHS[kind]}`, valid: c.body },
      {
        face: 'api',
        method: 'put',
        path: `/api/${CONSOLE_RESOURCE_PATHS[kind]}/${c.id}`,
        valid: update,
      },
    );
  }
  list.push(
    {
      face: 'api',
      method: 'put',
      path: `/api/meshes/${w.mesh.id}`,
      valid: { mtls: { minimum: 'STRICT' } },
    },
    {
      face: 'api',
      method: 'post',
      path: '/api/migrations/plan',
      valid: { kind: 'mesh', id: w.mesh.id, to: 'STRICT' },
    },
    {
      face: 'api',
      method: 'post',
      path: '/api/migrations',
      valid: { kind: 'mesh', id: w.mesh.id, to: 'STRICT' },
    },
    {
      face: 'api',
      method: 'post',
      path: '/api/certificate-authorities',
      valid: { compartmentId: COMPARTMENT_ID, name: 'ca2', validityDays: 365 },
    },
    {
      face: 'api',
      method: 'post',
      path: '/api/users',
      valid: { name: 'fuzz-user', role: 'viewer' },
    },
    { face: 'api', method: 'patch', path: '/api/users/test-viewer', valid: { role: 'operator' } },
    { face: 'api', method: 'post', path: '/api/api-keys', valid: { user: 'test-viewer' } },
    {
      face: 'api',
      method: 'post',
      path: '/api/session',
      valid: { name: 'test-viewer', password: 'not the password' },
    },
    {
      face: 'api',
      method: 'post',
      path: '/api/setup',
      valid: { token: 'wrong-token-123', name: 'x', password: 'long-enough-password' },
    },
  );
  return list;
}

const jsonish = fc.jsonValue({ maxDepth: 3 });
const KEYS = [
  'name',
  'displayName',
  'compartmentId',
  'meshId',
  'mtls',
  'hosts',
  'rules',
  'routeRules',
  'listeners',
  'role',
  'password',
  'weight',
];

/** Sets `key` as an own property, even `__proto__` (as JSON.parse would). */
function setOwn(target: Body, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Random edits of a valid body: drop, replace, add unknown or prototype keys, deep in too. */
function mutated(valid: Body) {
  const edit = fc.oneof(
    fc.record({ op: fc.constant('drop' as const), key: fc.constantFrom(...Object.keys(valid)) }),
    fc.record({
      op: fc.constant('set' as const),
      key: fc.constantFrom(
        ...Object.keys(valid),
        ...KEYS,
        '__proto__',
        'constructor',
        'unknownField',
      ),
      value: jsonish,
    }),
    fc.record({
      op: fc.constant('deep' as const),
      key: fc.constantFrom(...Object.keys(valid)),
      inner: fc.constantFrom('__proto__', 'mode', 'type', 'x'),
      value: jsonish,
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const body: Body = JSON.parse(JSON.stringify(valid)) as Body;
    for (const e of edits) {
      if (e.op === 'drop') delete body[e.key];
      else if (e.op === 'set') setOwn(body, e.key, e.value);
      else {
        const inner: Body = {};
        setOwn(inner, e.inner, e.value);
        setOwn(body, e.key, inner);
      }
    }
    return JSON.stringify(body);
  });
}

function bodies(valid: Body) {
  const text = JSON.stringify(valid);
  return fc.oneof(
    { weight: 4, arbitrary: mutated(valid) },
    { weight: 2, arbitrary: jsonish.map((v) => JSON.stringify(v)) },
    // Malformed JSON: a cut valid body, or any text.
    { weight: 1, arbitrary: fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}

function send(t: TestApp, agent: SignedInAgent, e: Endpoint, body: string) {
  const client = e.face === 'api' ? agent : t.anonymous;
  return client[e.method](e.path).set('content-type', 'application/json').send(body);
}

describe(`fuzzing every write endpoint (seed ${SEED}, ${RUNS} runs each)`, () => {
  it(
    'never answers 5xx, stores nothing from a refused request, and keeps serving',
    { timeout: 120_000 + RUNS * 2_000 },
    async () => {
      const t = createTestApp({ config: { setupToken: 'the-real-setup-token' } });
      const w = await world(t);
      const admin = t.http;
      const all = endpoints(w);
      let sent = 0;
      const statuses = new Map<number, number>();
      for (const [index, e] of all.entries()) {
        await fc.assert(
          fc.asyncProperty(bodies(e.valid), async (body) => {
            const before = snapshot(t);
            const res = await send(t, admin, e, body);
            sent += 1;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(
              res.status,
              `${e.method.toUpperCase()} ${e.path} ${body} → ${res.text}`,
            ).toBeLessThan(500);
            expect(res.headers['content-type'] ?? 'application/json').toMatch(/json/);
            expect(res.text).not.toMatch(/at .*\.ts:\d+|node_modules|SyntaxError|\/work\//);
            if (res.status >= 400) {
              expect(snapshot(t), `${e.path} stored something from a ${res.status}`).toBe(before);
            } else {
              await t.settle();
            }
          }),
          { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
        );
      }
      // Still serving, and the world still reads.
      expect((await t.anonymous.get('/api/health')).status).toBe(200);
      expect((await admin.get('/api/meshes')).status).toBe(200);
      const read = await t.anonymous.get(`/20220615/meshes/${w.mesh.id}`);
      expect(read.status).toBe(200);
      expect(sent).toBe(all.length * RUNS);
      // Print the distribution for the long run's report.
      if (process.env.FUZZ_REPORT) {
        console.log(
          JSON.stringify({
            seed: SEED,
            runsPerEndpoint: RUNS,
            endpoints: all.length,
            sent,
            statuses: Object.fromEntries(statuses),
          }),
        );
      }
    },
  );
});
