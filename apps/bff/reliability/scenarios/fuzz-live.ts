/**
 * A bounded fuzz batch against the live BFF process: generated and mutated bodies (fast-check,
 * fixed seed) to the OCI face's create and update endpoints. No answer may be a 5xx, every refusal
 * is JSON and no answer shows a stack or a file path, and the server keeps serving (a read after every 50
 * cases and at the end). The in-process suite (apps/bff/src/fuzz, `npm run fuzz`) also checks
 * that a refused request stores nothing.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  createMesh,
  field,
  integrityCheck,
  tempDir,
  virtualServiceBody,
  waitActive,
  type Scenario,
} from '../lib.ts';

const LEAK = /at .*\.(ts|js):\d+|node_modules|\/work\/|\/home\/|\/tmp\/|SyntaxError|stack/;
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

type Body = Record<string, unknown>;

/** A valid body with each key kept, dropped or replaced, and sometimes a key added. */
function mutated(valid: Body): fc.Arbitrary<Body> {
  const keys = Object.keys(valid);
  return fc
    .tuple(
      fc.array(fc.constantFrom('keep', 'drop', 'replace'), {
        minLength: keys.length,
        maxLength: keys.length,
      }),
      fc.array(fc.anything({ maxDepth: 2 }), { minLength: keys.length, maxLength: keys.length }),
      fc.option(fc.tuple(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }))),
    )
    .map(([how, values, extra]) => {
      const body: Body = {};
      keys.forEach((k, i) => {
        if (how[i] === 'keep') body[k] = valid[k];
        else if (how[i] === 'replace') body[k] = values[i];
      });
      if (extra) body[extra[0]] = extra[1];
      return body;
    });
}

export const fuzzLive: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('fuzz');
  const dbPath = join(dir, 'meshdeck.db');
  const bff = new Bff({ port: ctx.port(), dbPath });
  await bff.start();
  const meshId = await createMesh(bff, 'fuzz-mesh');
  const vsRes = await call('POST', `${bff.oci}/virtualServices`, {
    body: virtualServiceBody(meshId, 'fuzz-vs'),
  });
  const vsId = String(field(vsRes.body, 'id'));
  await waitActive(bff, 'virtualServices', vsId);

  const endpoints: { method: string; path: string; valid: Body }[] = [
    {
      method: 'POST',
      path: 'meshes',
      valid: {
        compartmentId: COMPARTMENT,
        displayName: 'fuzz-2',
        certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..reliability' }],
        mtls: { minimum: 'PERMISSIVE' },
      },
    },
    { method: 'PUT', path: `meshes/${meshId}`, valid: { description: 'x', freeformTags: {} } },
    {
      method: 'POST',
      path: 'virtualServices',
      valid: { ...virtualServiceBody(meshId, 'fuzz-vs-2'), mtls: { mode: 'STRICT' } },
    },
    {
      method: 'PUT',
      path: `virtualServices/${vsId}`,
      valid: { description: 'y', hosts: ['fuzz-vs.local'], mtls: { mode: 'PERMISSIVE' } },
    },
    {
      method: 'POST',
      path: 'virtualDeployments',
      valid: {
        compartmentId: COMPARTMENT,
        virtualServiceId: vsId,
        name: 'fuzz-vd',
        serviceDiscovery: { type: 'DNS', hostname: 'fuzz-vd.local' },
        listeners: [{ protocol: 'HTTP', port: 8080 }],
      },
    },
    {
      method: 'POST',
      path: 'accessPolicies',
      valid: {
        compartmentId: COMPARTMENT,
        meshId,
        name: 'fuzz-ap',
        rules: [
          {
            action: 'ALLOW',
            source: { type: 'ALL_VIRTUAL_SERVICES' },
            destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: vsId },
          },
        ],
      },
    },
  ];

  const perEndpoint = ctx.full ? 150 : 30;
  const statuses: Record<string, number> = {};
  let cases = 0;
  let fivexx = 0;
  let notJson = 0;
  let leaks = 0;
  let notServing = 0;
  const examples: string[] = [];
  for (const [i, endpoint] of endpoints.entries()) {
    const bodies = fc.sample(mutated(endpoint.valid), { numRuns: perEndpoint, seed: SEED + i });
    for (const body of bodies) {
      const res = await call(endpoint.method, `${bff.oci}/${endpoint.path}`, { body });
      cases += 1;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
      if (res.status >= 500) {
        fivexx += 1;
        if (examples.length < 3)
          examples.push(`${endpoint.method} ${endpoint.path} ${JSON.stringify(body)}`);
      }
      // Refusals must be JSON (an accepted update answers 202 with no body).
      if (res.status >= 400 && !/^application\/json/.test(res.headers.get('content-type') ?? ''))
        notJson += 1;
      if (LEAK.test(text)) leaks += 1;
      if (cases % 50 === 0) {
        const read = await call('GET', `${bff.oci}/meshes/${meshId}`);
        if (read.status !== 200) notServing += 1;
      }
    }
  }
  const finalRead = await call('GET', `${bff.oci}/virtualServices/${vsId}`);
  if (finalRead.status !== 200) notServing += 1;
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);

  check(cases === endpoints.length * perEndpoint, `ran ${cases} cases`);
  check(fivexx === 0, `${fivexx} answers were 5xx, e.g. ${examples.join(' | ')}`);
  check(notJson === 0, `${notJson} refusals were not JSON`);
  check(leaks === 0, `${leaks} answers showed a stack, a path or a parser message`);
  check(notServing === 0, `${notServing} reads between the cases did not answer 200`);
  check(integrity === 'ok', `integrity_check: ${integrity}`);
  check(stopCode === 0, `the BFF exited with ${stopCode} on SIGTERM`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      fuzzCases: cases,
      seed: SEED,
      answers: statuses,
      fivexx,
      integrityCheck: integrity,
    },
  };
};
