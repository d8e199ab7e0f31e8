import { describe, expect, it } from 'vitest';
import {
  allow,
  COMPARTMENT_ID,
  createAccessPolicy,
  createIngressGateway,
  createIngressRouteTable,
  createMesh,
  createTestApp,
  createVirtualService,
  gatewayBody,
  ingressRoute,
  vsTarget,
} from '../testing/test-app.ts';

describe('ingress gateways on the OCI face', () => {
  it('creates, reads, lists, updates and deletes an ingress gateway', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const created = await t.http
      .post('/20220615/ingressGateways')
      .send({ ...gatewayBody(mesh.id, 'edge-gw'), mtls: { maximumValidity: 90 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      meshId: mesh.id,
      name: 'edge-gw',
      hosts: [{ name: 'main', listeners: [{ protocol: 'HTTP', port: 8080 }] }],
      mtls: { maximumValidity: 90 },
      lifecycleState: 'CREATING',
    });
    expect(created.body.mtls.certificateId).toMatch(/^ocid1\.certificate\./);
    const id = created.body.id as string;
    await t.settle();

    const list = await t.http.get(
      `/20220615/ingressGateways?compartmentId=${COMPARTMENT_ID}&meshId=${mesh.id}&sortBy=name`,
    );
    expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([id]);

    await t.http
      .put(`/20220615/ingressGateways/${id}`)
      .send({ accessLogging: { isEnabled: true }, mtls: { maximumValidity: 60 } })
      .expect(202);
    await t.settle();
    const read = await t.http.get(`/20220615/ingressGateways/${id}`);
    expect(read.body.accessLogging).toEqual({ isEnabled: true });
    expect(read.body.mtls).toEqual({
      certificateId: created.body.mtls.certificateId,
      maximumValidity: 60,
    });

    await t.http.delete(`/20220615/ingressGateways/${id}`).expect(202);
    await t.settle();
    expect((await t.http.get(`/20220615/ingressGateways/${id}`)).body.lifecycleState).toBe(
      'DELETED',
    );
  });

  it('accepts a DISABLED listener in a STRICT mesh and refuses TLS without a certificate (A12)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'payments-mesh', 'STRICT');
    const ledger = await createVirtualService(t, mesh.id, 'ledger');
    const gw = await createIngressGateway(t, mesh.id, 'pay-gw', { mode: 'DISABLED' });
    expect(gw.hosts).toEqual([
      expect.objectContaining({
        listeners: [{ protocol: 'HTTP', port: 8080, tls: { mode: 'DISABLED' } }],
      }),
    ]);
    await createIngressRouteTable(t, gw.id, 'pay-routes', [ingressRoute('/ledger', ledger.id)]);
    await createAccessPolicy(t, mesh.id, 'pay-gw-ledger', [
      allow({ type: 'INGRESS_GATEWAY', ingressGatewayId: gw.id }, vsTarget(ledger.id)),
    ]);

    const list = await t.http.get(`/20220615/ingressGateways?compartmentId=${COMPARTMENT_ID}`);
    expect(list.body.items).toHaveLength(1);
    const read = await t.http.get(`/20220615/ingressGateways/${gw.id}`);
    expect(read.body.hosts[0].listeners[0].tls).toEqual({ mode: 'DISABLED' });
    const detail = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(detail.body.ingressGateways[0].hosts[0].listeners[0].tls.mode).toBe('DISABLED');

    const topology = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    const edge = (source: string, target: string) =>
      topology.body.edges.find(
        (e: { source: string; target: string }) => e.source === source && e.target === target,
      );
    expect(edge('outside', gw.id).state).toBe('plaintext');
    expect(edge(gw.id, ledger.id).state).toBe('mtls');

    const tls = await t.http
      .post('/20220615/ingressGateways')
      .send(gatewayBody(mesh.id, 'tls-gw', { mode: 'TLS' }));
    expect(tls.status).toBe(400);
    expect(tls.body.details.fieldErrors).toEqual({
      'hosts[0].listeners[0].tls.serverCertificate': ['server certificate required for TLS'],
    });
  });

  it('refuses to delete a gateway with route tables', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm', 'PERMISSIVE');
    const vs = await createVirtualService(t, mesh.id, 'shop');
    const gw = await createIngressGateway(t, mesh.id, 'edge-gw');
    await createIngressRouteTable(t, gw.id, 'edge-routes', [ingressRoute('/', vs.id)]);
    const res = await t.http.delete(`/20220615/ingressGateways/${gw.id}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      'cannot delete ingress gateway edge-gw: in use by ingress gateway route table edge-routes',
    );
  });
});
