import { describe, expect, it } from 'vitest';
import {
  CA_ID,
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  createVirtualDeployment,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

/** Input-validation gaps from the new-user trial: each bad input is a clear 4xx and changes nothing. */

async function meshCount(t: TestApp): Promise<number> {
  const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
  expect(res.status).toBe(200);
  return (res.body.items as unknown[]).length;
}

const meshBody = (extra: Record<string, unknown>) => ({
  compartmentId: COMPARTMENT_ID,
  displayName: 'm',
  certificateAuthorities: [{ id: CA_ID }],
  ...extra,
});

describe('tag limits', () => {
  it.each([
    ['/20220615/meshes', 'OCI face'],
    ['/api/meshes', 'console face'],
  ])('refuses a 10 000-character freeform tag key on %s (%s)', async (path) => {
    const t = createTestApp();
    const res = await t.http
      .post(path)
      .send(meshBody({ freeformTags: { ['k'.repeat(10_000)]: 'v' } }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'InvalidParameter',
      message: 'freeformTags: tag keys must be at most 100 characters',
    });
    expect(await meshCount(t)).toBe(0);
  });

  it('refuses 900 freeform tags of 1 000 characters and leaves the mesh as it was', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1', undefined, { freeformTags: { team: 'shop' } });
    const freeformTags = Object.fromEntries(
      Array.from({ length: 900 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]),
    );
    const res = await t.http.put(`/20220615/meshes/${mesh.id}`).send({ freeformTags });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'InvalidParameter',
      message: 'freeformTags: at most 64 freeform tags per resource',
    });
    const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
    expect(read.body.freeformTags).toEqual({ team: 'shop' });
    expect(read.headers.etag).toBe(mesh.etag);
  });

  it('refuses a defined tag value over 256 characters', async () => {
    const t = createTestApp();
    const res = await t.http
      .post('/20220615/meshes')
      .send(meshBody({ definedTags: { ops: { owner: 'x'.repeat(257) } } }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'InvalidParameter',
      message: 'definedTags.ops.owner: tag values must be at most 256 characters',
    });
    expect(await meshCount(t)).toBe(0);
  });
});

describe('service discovery hostname', () => {
  const message =
    'serviceDiscovery.hostname: must be a DNS hostname: dot-separated labels of letters, digits and - (reviews.shop.svc.cluster.local)';

  it.each(["'; DROP TABLE x;--", '🚀', '\u202e'])(
    'refuses %j on create (both faces) and update, and changes nothing',
    async (hostname) => {
      const t = createTestApp();
      const mesh = await createMesh(t, 'm1');
      const vs = await createVirtualService(t, mesh.id, 'reviews');
      const vd = await createVirtualDeployment(t, vs.id, 'v1');
      const body = {
        compartmentId: COMPARTMENT_ID,
        virtualServiceId: vs.id,
        name: 'v2',
        serviceDiscovery: { type: 'DNS', hostname },
      };
      for (const path of ['/20220615/virtualDeployments', '/api/virtual-deployments']) {
        const res = await t.http.post(path).send(body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'InvalidParameter', message });
      }
      const put = await t.http
        .put(`/20220615/virtualDeployments/${vd.id}`)
        .send({ serviceDiscovery: { type: 'DNS', hostname } });
      expect(put.status).toBe(400);
      expect(put.body).toMatchObject({ code: 'InvalidParameter', message });
      const list = await t.http.get(
        `/20220615/virtualDeployments?compartmentId=${COMPARTMENT_ID}&virtualServiceId=${vs.id}`,
      );
      expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(['v1']);
      const read = await t.http.get(`/20220615/virtualDeployments/${vd.id}`);
      expect(read.body.serviceDiscovery).toEqual(vd.serviceDiscovery);
      expect(read.headers.etag).toBe(vd.etag);
    },
  );
});

describe('OCIDs in write bodies', () => {
  const message = (path: string) =>
    `${path}: must be an OCID (ocid1.<type>.<realm>.<region>.<unique id>, e.g. ocid1.compartment.oc1..aaaa)`;

  it.each(['🚀', '\u202e'])(
    'refuses compartmentId %j on create and changeCompartment',
    async (id) => {
      const t = createTestApp();
      const mesh = await createMesh(t, 'm1');
      for (const path of ['/20220615/meshes', '/api/meshes']) {
        const res = await t.http
          .post(path)
          .send(meshBody({ compartmentId: id, displayName: 'm2' }));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'InvalidParameter',
          message: message('compartmentId'),
        });
      }
      const move = await t.http
        .post(`/20220615/meshes/${mesh.id}/actions/changeCompartment`)
        .send({ compartmentId: id });
      expect(move.status).toBe(400);
      expect(move.body).toMatchObject({
        code: 'InvalidParameter',
        message: message('compartmentId'),
      });
      const read = await t.http.get(`/20220615/meshes/${mesh.id}`);
      expect(read.body.compartmentId).toBe(COMPARTMENT_ID);
      expect(read.headers.etag).toBe(mesh.etag);
      expect(await meshCount(t)).toBe(1);
    },
  );

  it('refuses a mesh whose certificate authority id is not an OCID, and creates no authority', async () => {
    const t = createTestApp();
    const res = await t.http
      .post('/20220615/meshes')
      .send(meshBody({ certificateAuthorities: [{ id: '\u202e' }] }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'InvalidParameter',
      message: message('certificateAuthorities[0].id'),
    });
    expect(await meshCount(t)).toBe(0);
    const cas = await t.http.get('/api/certificate-authorities');
    expect(cas.status).toBe(200);
    expect(JSON.stringify(cas.body)).not.toContain('\u202e');
  });

  it('still lists with a compartmentId query parameter that is not an OCID', async () => {
    const t = createTestApp();
    const res = await t.http.get('/20220615/meshes?compartmentId=not-an-ocid');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});
