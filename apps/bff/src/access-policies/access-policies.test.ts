import { describe, expect, it } from 'vitest';
import {
  allow,
  COMPARTMENT_ID,
  createIngressGateway,
  createMesh,
  createTestApp,
  createVirtualService,
  vsTarget,
} from '../testing/test-app.ts';

describe('access policies on the OCI face', () => {
  it('creates, reads, lists, updates and deletes an access policy', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    const gw = await createIngressGateway(t, mesh.id, 'edge-gw');
    const created = await t.http.post('/20220615/accessPolicies').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'ap-open',
      rules: [
        allow({ type: 'ALL_VIRTUAL_SERVICES' }, { type: 'ALL_VIRTUAL_SERVICES' }),
        allow({ type: 'INGRESS_GATEWAY', ingressGatewayId: gw.id }, vsTarget(orders.id)),
        allow(vsTarget(orders.id), {
          type: 'EXTERNAL_SERVICE',
          hostnames: ['api.partner.example.com'],
          ports: [443],
          protocol: 'HTTPS',
        }),
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.rules).toHaveLength(3);
    expect(created.body.lifecycleState).toBe('CREATING');
    const id = created.body.id as string;
    expect(id).toMatch(/^ocid1\.meshaccesspolicy\./);
    await t.settle();

    const list = await t.http.get(
      `/20220615/accessPolicies?compartmentId=${COMPARTMENT_ID}&meshId=${mesh.id}&name=ap-open`,
    );
    expect(list.body.items).toEqual([expect.objectContaining({ id, meshId: mesh.id })]);

    await t.http
      .put(`/20220615/accessPolicies/${id}`)
      .send({ rules: [allow(vsTarget(orders.id), vsTarget(orders.id))] })
      .expect(202);
    await t.settle();
    const read = await t.http.get(`/20220615/accessPolicies/${id}`);
    expect(read.body.rules).toEqual([allow(vsTarget(orders.id), vsTarget(orders.id))]);

    await t.http.delete(`/20220615/accessPolicies/${id}`).expect(202);
    await t.settle();
    expect((await t.http.get(`/20220615/accessPolicies/${id}`)).body.lifecycleState).toBe(
      'DELETED',
    );
  });

  it('refuses a target that is not a live member of the policy mesh', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const other = await createMesh(t, 'other', 'PERMISSIVE');
    const foreign = await createVirtualService(t, other.id, 'foreign');
    const res = await t.http.post('/20220615/accessPolicies').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'ap',
      rules: [allow({ type: 'ALL_VIRTUAL_SERVICES' }, vsTarget(foreign.id))],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RelatedResourceNotAuthorizedOrNotFound');
    expect(res.body.details.fieldErrors).toEqual({
      'rules[0].destination.virtualServiceId': [
        `virtual service ${foreign.id} not found in mesh ${mesh.id}`,
      ],
    });
  });

  it('answers malformed JSON with a clean 400 and no parser text (G4)', async () => {
    const t = createTestApp();
    const res = await t.http
      .post('/20220615/accessPolicies')
      .set('content-type', 'application/json')
      .send('{"name":"ap1",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      code: 'CannotParseRequest',
      message: 'malformed JSON',
      error: 'malformed JSON',
    });
    expect(res.text).not.toMatch(/Unexpected|SyntaxError|ap1|at position/);
  });
});
