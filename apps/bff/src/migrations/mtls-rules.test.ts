import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';

type Body = Record<string, unknown>;

/**
 * One face of the BFF for mode writes: the OCI API (`/20220615`, 202 + a lifecycle job that
 * settles the write) or the console's `/api` (200/201, done at once). Every rule of issue #5's
 * first bullet must hold on both, so each test below runs once per face.
 */
interface Face {
  name: string;
  createVs(t: TestApp, body: Body): request.Test;
  createdStatus: number;
  updateVs(t: TestApp, id: string, body: Body): request.Test;
  updateMesh(t: TestApp, id: string, body: Body): request.Test;
  updatedStatus: number;
}

const FACES: Face[] = [
  {
    name: 'OCI face',
    createVs: (t, body) => t.http.post('/20220615/virtualServices').send(body),
    createdStatus: 200,
    updateVs: (t, id, body) => t.http.put(`/20220615/virtualServices/${id}`).send(body),
    updateMesh: (t, id, body) => t.http.put(`/20220615/meshes/${id}`).send(body),
    updatedStatus: 202,
  },
  {
    name: 'console face',
    createVs: (t, body) => t.http.post('/api/virtual-services').send(body),
    createdStatus: 201,
    updateVs: (t, id, body) => t.http.put(`/api/virtual-services/${id}`).send(body),
    updateMesh: (t, id, body) => t.http.put(`/api/meshes/${id}`).send(body),
    updatedStatus: 200,
  },
];

/** A write that must be accepted; OCI writes are then settled as the SDK's waiter would. */
async function accepted(t: TestApp, face: Face, write: request.Test, status = face.updatedStatus) {
  const res = await write;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  await t.settle();
  return res;
}

async function mtlsOf(t: TestApp, vsId: string) {
  const view = await t.http.get(`/api/virtual-services/${vsId}`);
  const oci = await t.http.get(`/20220615/virtualServices/${vsId}`);
  expect(oci.body.mtls.mode).toBe(view.body.mtlsView.effective);
  return view.body.mtlsView as {
    declared: string | null;
    effective: string;
    inherited: boolean;
    lastChangedAt: string | null;
  };
}

const minimumOf = async (t: TestApp, meshId: string) =>
  (await t.http.get(`/20220615/meshes/${meshId}`)).body.mtls.minimum as string;

describe.each(FACES)('mTLS rules on the $name', (face) => {
  it('A5: updates without an mtls key leave mTLS and its timer untouched', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const ledger = await createVirtualService(t, mesh.id, 'ledger', 'STRICT');
    t.clock.advance(5_000);
    await accepted(t, face, face.updateVs(t, ledger.id, { description: 'ledger v2' }));
    await accepted(t, face, face.updateVs(t, ledger.id, { hosts: ['ledger.payments.svc'] }));
    expect(await mtlsOf(t, ledger.id)).toEqual({
      declared: 'STRICT',
      effective: 'STRICT',
      inherited: false,
      label: 'STRICT',
      lastChangedAt: null,
    });
    const read = await t.http.get(`/20220615/virtualServices/${ledger.id}`);
    expect(read.body).toMatchObject({
      description: 'ledger v2',
      hosts: ['ledger.payments.svc'],
      mtls: { mode: 'STRICT' },
    });

    // No timer started: where a step down is allowed, it is taken at once after such updates.
    const retail = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const cart = await createVirtualService(t, retail.id, 'cart', 'STRICT');
    await accepted(t, face, face.updateVs(t, cart.id, { description: 'cart v2' }));
    await accepted(t, face, face.updateVs(t, cart.id, { mtls: { mode: 'PERMISSIVE' } }));
  });

  it('A6: a raise is blocked by the services that declare a lower mode, named, never by inheriting ones', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const ledger = await createVirtualService(t, mesh.id, 'ledger-r', 'PERMISSIVE');
    await createVirtualService(t, mesh.id, 'orders');
    t.clock.advance(31_000);
    const refused = await face.updateMesh(t, mesh.id, { mtls: { minimum: 'STRICT' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('Conflict');
    expect(refused.body.message).toBe(
      'cannot raise the mesh minimum to STRICT: ledger-r declares a less strict mode',
    );
    expect(refused.body.message).not.toContain('orders');
    expect(await minimumOf(t, mesh.id)).toBe('PERMISSIVE');

    await accepted(t, face, face.updateVs(t, ledger.id, { mtls: { mode: 'STRICT' } }));
    await accepted(t, face, face.updateMesh(t, mesh.id, { mtls: { minimum: 'STRICT' } }));
    expect(await minimumOf(t, mesh.id)).toBe('STRICT');
  });

  it('A10: a mesh minimum moves one step at a time, refused at 29 s with Retry-After 1, accepted at 30 s', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const skip = await face.updateMesh(t, mesh.id, { mtls: { minimum: 'STRICT' } });
    expect(skip.status).toBe(422);
    expect(skip.body.message).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
    expect(await minimumOf(t, mesh.id)).toBe('DISABLED');

    await accepted(t, face, face.updateMesh(t, mesh.id, { mtls: { minimum: 'PERMISSIVE' } }));
    t.clock.advance(29_000);
    const early = await face.updateMesh(t, mesh.id, { mtls: { minimum: 'STRICT' } });
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.body.message).toBe('the last mTLS change is still propagating: wait 1 s');
    expect(await minimumOf(t, mesh.id)).toBe('PERMISSIVE');
    t.clock.advance(1_000);
    await accepted(t, face, face.updateMesh(t, mesh.id, { mtls: { minimum: 'STRICT' } }));
    expect(await minimumOf(t, mesh.id)).toBe('STRICT');

    // The same rules downwards.
    t.clock.advance(30_000);
    const down = await face.updateMesh(t, mesh.id, { mtls: { minimum: 'DISABLED' } });
    expect(down.status).toBe(422);
    expect(down.body.message).toBe('one step at a time: STRICT→PERMISSIVE→DISABLED');
  });

  it('A10: a declared mode moves one step at a time and 30 s apart, judged on the effective mode', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const s1 = await createVirtualService(t, mesh.id, 's1', 'STRICT');
    const skip = await face.updateVs(t, s1.id, { mtls: { mode: 'DISABLED' } });
    expect(skip.status).toBe(422);
    expect(skip.body.message).toBe('one step at a time: STRICT→PERMISSIVE→DISABLED');
    // Going back to inheriting (DISABLED) is a two-step change too: the effective mode decides.
    const inherit = await face.updateVs(t, s1.id, { mtls: null });
    expect(inherit.status).toBe(422);
    expect(inherit.body.message).toBe('one step at a time: STRICT→PERMISSIVE→DISABLED');

    await accepted(t, face, face.updateVs(t, s1.id, { mtls: { mode: 'PERMISSIVE' } }));
    t.clock.advance(29_000);
    const early = await face.updateVs(t, s1.id, { mtls: {} });
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    await accepted(t, face, face.updateVs(t, s1.id, { mtls: {} }));
    expect(await mtlsOf(t, s1.id)).toMatchObject({ declared: null, effective: 'DISABLED' });
  });

  it('F6: an omitted mode inherits; "" is refused and never stored', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const base = { compartmentId: COMPARTMENT_ID, meshId: mesh.id };
    const inherit = await face.createVs(t, { ...base, name: 'orders', mtls: {} });
    expect(inherit.status).toBe(face.createdStatus);
    await t.settle();
    expect(await mtlsOf(t, inherit.body.id as string)).toMatchObject({
      declared: null,
      effective: 'PERMISSIVE',
      inherited: true,
    });

    const empty = await face.createVs(t, { ...base, name: 'cart', mtls: { mode: '' } });
    expect(empty.status).toBe(400);
    expect(empty.body.details.fieldErrors).toEqual({
      'mtls.mode': ['mode must be DISABLED, PERMISSIVE, STRICT or omitted'],
    });
    const emptyUpdate = await face.updateVs(t, inherit.body.id as string, { mtls: { mode: '' } });
    expect(emptyUpdate.status).toBe(400);
    const list = await t.http.get(`/20220615/virtualServices?compartmentId=${COMPARTMENT_ID}`);
    expect(list.body.items.map((v: { name: string }) => v.name)).toEqual(['orders']);
    expect(await mtlsOf(t, inherit.body.id as string)).toMatchObject({ declared: null });
  });

  it('"inherit" can be chosen and cleared again; only a change of the effective mode starts the timer', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    t.clock.advance(60_000);
    // inherit (PERMISSIVE) → declared PERMISSIVE → inherit: the effective mode never moves.
    await accepted(t, face, face.updateVs(t, orders.id, { mtls: { mode: 'PERMISSIVE' } }));
    expect(await mtlsOf(t, orders.id)).toMatchObject({
      declared: 'PERMISSIVE',
      inherited: false,
      lastChangedAt: null,
    });
    await accepted(t, face, face.updateVs(t, orders.id, { mtls: null }));
    expect(await mtlsOf(t, orders.id)).toMatchObject({ declared: null, lastChangedAt: null });
    // A real change starts the timer; clearing it back to inherit is a change too.
    await accepted(t, face, face.updateVs(t, orders.id, { mtls: { mode: 'STRICT' } }));
    expect((await mtlsOf(t, orders.id)).lastChangedAt).toBe('2025-03-01T00:01:00.000Z');
    t.clock.advance(29_000);
    const early = await face.updateVs(t, orders.id, { mtls: {} });
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    await accepted(t, face, face.updateVs(t, orders.id, { mtls: {} }));
    expect(await mtlsOf(t, orders.id)).toMatchObject({
      declared: null,
      effective: 'PERMISSIVE',
      lastChangedAt: '2025-03-01T00:01:30.000Z',
    });
  });

  it('a mesh minimum change waits for the last change of every inheriting service, naming it', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders', 'STRICT');
    await createVirtualService(t, mesh.id, 'ledger', 'STRICT');
    t.clock.advance(60_000);
    // orders goes back to inheriting: its effective mode moves STRICT → PERMISSIVE now.
    await accepted(t, face, face.updateVs(t, orders.id, { mtls: null }));
    t.clock.advance(29_000);
    const early = await face.updateMesh(t, mesh.id, { mtls: { minimum: 'DISABLED' } });
    expect(early.status).toBe(422);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.body.message).toBe(
      'the last mTLS change of inheriting service orders is still propagating: wait 1 s',
    );
    expect(await minimumOf(t, mesh.id)).toBe('PERMISSIVE');
    const choices = await t.http.get(`/api/meshes/${mesh.id}/mtls`);
    expect(choices.body.minimumChoices).toEqual([
      {
        value: 'DISABLED',
        label: 'DISABLED',
        allowed: false,
        reason: 'the last mTLS change of inheriting service orders is still propagating: wait 1 s',
      },
      { value: 'PERMISSIVE', label: 'PERMISSIVE', allowed: true },
      {
        value: 'STRICT',
        label: 'STRICT',
        allowed: false,
        reason: 'the last mTLS change of inheriting service orders is still propagating: wait 1 s',
      },
    ]);
    t.clock.advance(1_000);
    await accepted(t, face, face.updateMesh(t, mesh.id, { mtls: { minimum: 'DISABLED' } }));
    expect(await mtlsOf(t, orders.id)).toMatchObject({ declared: null, effective: 'DISABLED' });
  });

  it('times the 30 s on the server: a second client sees the same wait', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const s1 = await createVirtualService(t, mesh.id, 's1', 'DISABLED');
    await accepted(t, face, face.updateVs(t, s1.id, { mtls: { mode: 'PERMISSIVE' } }));
    t.clock.advance(12_000);
    const other = t.as('operator');
    for (const write of [
      other.put(`/20220615/virtualServices/${s1.id}`).send({ mtls: { mode: 'STRICT' } }),
      other.put(`/api/virtual-services/${s1.id}`).send({ mtls: { mode: 'STRICT' } }),
    ]) {
      const res = await write;
      expect(res.status).toBe(422);
      expect(res.headers['retry-after']).toBe('18');
      expect(res.body.message).toBe('the last mTLS change is still propagating: wait 18 s');
    }
    const view = await other.get(`/api/meshes/${mesh.id}/mtls`);
    expect(view.body.now).toBe('2025-03-01T00:00:12.000Z');
    expect(view.body.services[0].lastChangedAt).toBe('2025-03-01T00:00:00.000Z');
  });
});

describe('A12: an ingress listener has its own TLS mode, which the mesh minimum does not govern', () => {
  const exportFile = (listenerTls: Body) =>
    JSON.stringify({
      format: 'meshdeck/oci-json@1',
      meshes: [
        {
          id: 'ocid1.servicemesh.oc1.src.pay',
          compartmentId: COMPARTMENT_ID,
          displayName: 'payments-mesh',
          certificateAuthorities: [{ id: 'meshdeck:managed-ca' }],
          mtls: { minimum: 'STRICT' },
        },
      ],
      virtualServices: [
        {
          id: 'ocid1.meshvirtualservice.oc1.src.ledger',
          compartmentId: COMPARTMENT_ID,
          meshId: 'ocid1.servicemesh.oc1.src.pay',
          name: 'ledger',
          hosts: ['ledger'],
          mtls: { mode: 'STRICT', declared: true },
        },
      ],
      ingressGateways: [
        {
          id: 'ocid1.meshingressgateway.oc1.src.paygw',
          compartmentId: COMPARTMENT_ID,
          meshId: 'ocid1.servicemesh.oc1.src.pay',
          name: 'pay-gw',
          hosts: [
            {
              name: 'main',
              hostnames: ['pay.example.com'],
              listeners: [{ protocol: 'HTTP', port: 8080, tls: listenerTls }],
            },
          ],
        },
      ],
      ingressGatewayRouteTables: [
        {
          id: 'ocid1.meshingressgatewayroutetable.oc1.src.payroutes',
          compartmentId: COMPARTMENT_ID,
          ingressGatewayId: 'ocid1.meshingressgateway.oc1.src.paygw',
          name: 'pay-routes',
          routeRules: [
            {
              type: 'HTTP',
              path: '/ledger',
              destinations: [
                {
                  type: 'VIRTUAL_SERVICE',
                  virtualServiceId: 'ocid1.meshvirtualservice.oc1.src.ledger',
                },
              ],
            },
          ],
        },
      ],
      accessPolicies: [
        {
          id: 'ocid1.meshaccesspolicy.oc1.src.pay',
          compartmentId: COMPARTMENT_ID,
          meshId: 'ocid1.servicemesh.oc1.src.pay',
          name: 'pay-gw-ledger',
          rules: [
            {
              action: 'ALLOW',
              source: {
                type: 'INGRESS_GATEWAY',
                ingressGatewayId: 'ocid1.meshingressgateway.oc1.src.paygw',
              },
              destination: {
                type: 'VIRTUAL_SERVICE',
                virtualServiceId: 'ocid1.meshvirtualservice.oc1.src.ledger',
              },
            },
          ],
        },
      ],
    });

  async function edges(t: TestApp, meshId: string, gwId: string, ledgerId: string) {
    const topology = await t.http.get(`/api/meshes/${meshId}/topology`);
    const state = (source: string, target: string) =>
      (topology.body.edges as { source: string; target: string; state: string }[]).find(
        (e) => e.source === source && e.target === target,
      )?.state;
    return { internet: state('outside', gwId), toLedger: state(gwId, ledgerId) };
  }

  it('A12 on the console face: imported DISABLED listener shown as DISABLED; TLS without a certificate refused', async () => {
    const t = createTestApp();
    const imported = await t.http
      .post(`/api/import?compartmentId=${COMPARTMENT_ID}`)
      .set('content-type', 'application/json')
      .send(exportFile({ mode: 'DISABLED' }));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const id = (kind: string) =>
      (imported.body.created as { kind: string; id: string }[]).find((c) => c.kind === kind)?.id ??
      '';
    const meshId = id('Mesh');
    const detail = await t.http.get(`/api/meshes/${meshId}`);
    expect(detail.body.summary.minimum).toBe('STRICT');
    expect(detail.body.ingressGateways[0].hosts[0].listeners[0].tls).toEqual({ mode: 'DISABLED' });
    const oci = await t.http.get(`/20220615/ingressGateways/${id('IngressGateway')}`);
    expect(oci.body.hosts[0].listeners[0].tls).toEqual({ mode: 'DISABLED' });
    expect(await edges(t, meshId, id('IngressGateway'), id('VirtualService'))).toEqual({
      internet: 'plaintext',
      toLedger: 'mtls',
    });

    const tls = await t.http
      .post(`/api/import?compartmentId=${COMPARTMENT_ID}`)
      .set('content-type', 'application/json')
      .send(exportFile({ mode: 'TLS' }).replaceAll('payments-mesh', 'payments-mesh-2'));
    expect(tls.status).toBe(422);
    expect(JSON.stringify(tls.body.details.report.rejected)).toContain(
      'server certificate required for TLS',
    );
  });

  it('A12 on the OCI face: a DISABLED listener in a STRICT mesh is accepted; TLS without a certificate is refused', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const ledger = await createVirtualService(t, mesh.id, 'ledger', 'STRICT');
    const gw = await t.http.post('/20220615/ingressGateways').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'pay-gw',
      hosts: [
        {
          name: 'main',
          hostnames: ['pay.example.com'],
          listeners: [{ protocol: 'HTTP', port: 8080, tls: { mode: 'DISABLED' } }],
        },
      ],
    });
    expect(gw.status).toBe(200);
    await t.settle();
    await t.http
      .post('/20220615/ingressGatewayRouteTables')
      .send({
        compartmentId: COMPARTMENT_ID,
        ingressGatewayId: gw.body.id,
        name: 'pay-routes',
        routeRules: [
          {
            type: 'HTTP',
            path: '/ledger',
            destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: ledger.id }],
          },
        ],
      })
      .expect(200);
    await t.http
      .post('/20220615/accessPolicies')
      .send({
        compartmentId: COMPARTMENT_ID,
        meshId: mesh.id,
        name: 'pay-gw-ledger',
        rules: [
          {
            action: 'ALLOW',
            source: { type: 'INGRESS_GATEWAY', ingressGatewayId: gw.body.id },
            destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: ledger.id },
          },
        ],
      })
      .expect(200);
    await t.settle();
    const read = await t.http.get(`/20220615/ingressGateways/${gw.body.id as string}`);
    expect(read.body.hosts[0].listeners[0].tls).toEqual({ mode: 'DISABLED' });
    expect(await edges(t, mesh.id, gw.body.id as string, ledger.id)).toEqual({
      internet: 'plaintext',
      toLedger: 'mtls',
    });
    const tls = await t.http.post('/20220615/ingressGateways').send({
      compartmentId: COMPARTMENT_ID,
      meshId: mesh.id,
      name: 'tls-gw',
      hosts: [
        {
          name: 'main',
          hostnames: ['pay.example.com'],
          listeners: [{ protocol: 'HTTP', port: 8080, tls: { mode: 'TLS' } }],
        },
      ],
    });
    expect(tls.status).toBe(400);
    expect(tls.body.details.fieldErrors).toEqual({
      'hosts[0].listeners[0].tls.serverCertificate': ['server certificate required for TLS'],
    });
  });
});
