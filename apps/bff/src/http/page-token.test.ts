import { describe, expect, it } from 'vitest';
import {
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

/** Page tokens name their list (new-user trial: a mesh token paged virtual services). */

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decoded = (token: string) => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));

function expectBadPage(res: { status: number; body: unknown }) {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({
    code: 'InvalidParameter',
    message: 'page: not a page token of this list',
  });
}

async function twoMeshesWithServices(t: TestApp) {
  const a = await createMesh(t, 'a');
  t.clock.advance(1000);
  await createMesh(t, 'b');
  t.clock.advance(1000);
  await createVirtualService(t, a.id, 's1');
  t.clock.advance(1000);
  await createVirtualService(t, a.id, 's2');
  return a;
}

describe('page tokens', () => {
  const meshes = `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&limit=1`;
  const services = `/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}&limit=1`;

  it('pages its own list and refuses a token of another kind or another sort', async () => {
    const t = createTestApp();
    await twoMeshesWithServices(t);
    const meshPage = await t.http.get(meshes);
    const meshToken = meshPage.headers['opc-next-page'] as string;
    expect(meshToken).toMatch(/^[A-Za-z0-9_-]+$/);
    const next = await t.http.get(`${meshes}&page=${meshToken}`);
    expect(next.status).toBe(200);
    expect(next.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['a']);

    expectBadPage(await t.http.get(`${services}&page=${meshToken}`));
    expectBadPage(await t.http.get(`${meshes}&sortBy=displayName&page=${meshToken}`));

    const serviceToken = (await t.http.get(services)).headers['opc-next-page'] as string;
    expectBadPage(await t.http.get(`${meshes}&page=${serviceToken}`));
    expect((await t.http.get(`${services}&page=${serviceToken}`)).status).toBe(200);
  });

  it('refuses forged and malformed tokens', async () => {
    const t = createTestApp();
    await twoMeshesWithServices(t);
    const token = (await t.http.get(meshes)).headers['opc-next-page'] as string;
    const { l, p } = decoded(token) as { l: string; p: [string, string] };
    for (const bad of [
      forge({ l, p: ['not a time', p[1]] }),
      forge({ l, p: ['2025-13-45T99:99:99Z', p[1]] }),
      forge({ l, p: [p[0], ''] }),
      forge({ l, p: [p[0]] }),
      forge({ l, p: [p[0], p[1], 'x'] }),
      forge({ l, p: [1, p[1]] }),
      forge([p[0], p[1]]),
      forge({ s: 'timeCreated', o: 'DESC', v: p[0], i: p[1] }),
      'garbage!',
      'x'.repeat(5000),
    ]) {
      expectBadPage(await t.http.get(`${meshes}&page=${encodeURIComponent(bad)}`));
    }
  });

  it("refuses a work request's log token on another work request, and a work-request token on logs", async () => {
    const t = createTestApp();
    const a = await t.http.post('/20220615/meshes').send({
      compartmentId: COMPARTMENT_ID,
      displayName: 'a',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..test' }],
    });
    const b = await t.http.post('/20220615/meshes').send({
      compartmentId: COMPARTMENT_ID,
      displayName: 'b',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..test' }],
    });
    await t.settle();
    const wrA = a.headers['opc-work-request-id'] as string;
    const wrB = b.headers['opc-work-request-id'] as string;
    const logs = (id: string) => `/20220615/workRequests/${id}/logs?sortOrder=ASC&limit=1`;
    const logToken = (await t.http.get(logs(wrA))).headers['opc-next-page'] as string;
    expect(logToken).toBeTruthy();
    expect((await t.http.get(`${logs(wrA)}&page=${logToken}`)).status).toBe(200);
    expectBadPage(await t.http.get(`${logs(wrB)}&page=${logToken}`));
    expectBadPage(
      await t.http.get(`/20220615/workRequests/${wrA}/errors?sortOrder=ASC&page=${logToken}`),
    );
    const wrList = `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&limit=1`;
    const wrToken = (await t.http.get(wrList)).headers['opc-next-page'] as string;
    expect(wrToken).toBeTruthy();
    expect((await t.http.get(`${wrList}&page=${wrToken}`)).status).toBe(200);
    expectBadPage(await t.http.get(`${logs(wrA)}&page=${wrToken}`));
    expectBadPage(await t.http.get(`${meshes}&page=${wrToken}`));
  });
});
