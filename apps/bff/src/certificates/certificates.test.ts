import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../backend.ts';
import { createJobRunner } from '../jobs/job-runner.ts';
import { silentLogger } from '../logger.ts';
import { COMPARTMENT_ID } from '../testing/test-app.ts';
import { createCertificateService } from './certificate-service.ts';
import {
  createAuthority,
  createCertTestApp,
  createGateway,
  createMeshWithCa,
  createService,
  deleteService,
  getCertificate,
  parseAndVerify,
  runAt,
  SECRET_KEY,
  updateService,
  type CertTestApp,
} from './certificate-testing.ts';
import { createKeyring } from './keyring.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A mesh on a CA made through the API with a long life, so only the leaf rules show. */
async function meshOnLongCa(t: CertTestApp, name = 'retail-mesh') {
  const ca = await createAuthority(t, { name: `${name} CA`, validityDays: 3650 });
  const mesh = await createMeshWithCa(t, name, ca.id);
  return { ca, mesh };
}

/** How many times a certificate's jobs were claimed. */
function certificateRuns(t: CertTestApp, certificateId: string): number {
  return t.db
    .prepare('SELECT COUNT(*) FROM job_runs WHERE subject_id = ?')
    .pluck()
    .get(certificateId) as number;
}

/** Renews a certificate `times` times, each exactly at its renewal time. */
async function renew(t: CertTestApp, certificateId: string, times: number) {
  for (let i = 0; i < times; i += 1) {
    const cert = await getCertificate(t, certificateId);
    await runAt(t, cert.renewAt as string);
  }
  return getCertificate(t, certificateId);
}

describe('certificate issue', () => {
  it('issues a real leaf, signed by the mesh CA, when a virtual service is created', async () => {
    const t = createCertTestApp();
    const mesh = await createMeshWithCa(t, 'retail-mesh', 'ocid1.certificateauthority.oc1..retail');
    const orders = await createService(t, mesh.id, 'orders');

    const pending = await getCertificate(t, orders.certificateId);
    expect(pending).toMatchObject({ status: 'PENDING', currentVersion: null, versions: [] });

    await t.runner.runDue();
    const cert = await getCertificate(t, orders.certificateId);
    expect(cert).toMatchObject({
      id: orders.certificateId,
      status: 'ACTIVE',
      currentVersion: 1,
      versionCount: 1,
      notBefore: '2025-02-28T23:55:00.000Z',
      notAfter: '2025-04-15T00:00:00.000Z',
      renewAt: '2025-03-31T00:00:00.000Z',
      failure: null,
      alerts: [],
    });
    // The mesh named a CA Meshdeck did not have: Meshdeck made it (1 year by default).
    expect(cert.authority).toMatchObject({
      id: 'ocid1.certificateauthority.oc1..retail',
      status: 'ACTIVE',
      notBefore: '2025-02-28T23:55:00.000Z',
      notAfter: '2026-03-01T00:00:00.000Z',
    });
    const version = cert.versions[0];
    const leaf = await parseAndVerify(version?.certificatePem ?? '', cert.authority.certificatePem);
    expect(leaf).toMatchObject({
      notBefore: '2025-02-28T23:55:00.000Z',
      notAfter: '2025-04-15T00:00:00.000Z',
      subject: 'CN=orders, O=Meshdeck',
      issuer: 'CN=retail-mesh CA, O=Meshdeck',
      serialNumber: version?.serialNumber,
      dnsNames: ['orders.retail.svc', 'orders.retail.svc.cluster.local'],
    });
  });

  it('issues a leaf for an ingress gateway too', async () => {
    const t = createCertTestApp();
    const { ca, mesh } = await meshOnLongCa(t);
    const gw = await createGateway(t, mesh.id, 'edge-gw');
    await t.runner.runDue();
    const cert = await getCertificate(t, gw.certificateId);
    expect(cert).toMatchObject({ status: 'ACTIVE', notAfter: '2025-04-15T00:00:00.000Z' });
    const leaf = await parseAndVerify(cert.versions[0]?.certificatePem ?? '', ca.certificatePem);
    expect(leaf.dnsNames).toEqual(['shop.example.com']);
  });

  it.each([
    [45, '2025-04-15T00:00:00.000Z', '2025-03-31T00:00:00.000Z', 30 * DAY],
    [60, '2025-04-30T00:00:00.000Z', '2025-04-10T00:00:00.000Z', 40 * DAY],
    [90, '2025-05-30T00:00:00.000Z', '2025-04-30T00:00:00.000Z', 60 * DAY],
    [50, '2025-04-20T00:00:00.000Z', '2025-04-03T08:00:00.000Z', (33 * 24 + 8) * 60 * 60 * 1000],
  ])(
    'a %i-day leaf lives to %s, renews at %s, and its renewal is a new version with a new key',
    async (days, notAfter, renewAt, renewAfterMs) => {
      const t = createCertTestApp();
      const { ca, mesh } = await meshOnLongCa(t);
      const vs = await createService(t, mesh.id, 'orders', { mtls: { maximumValidity: days } });
      await t.runner.runDue();
      const first = await getCertificate(t, vs.certificateId);
      expect(first).toMatchObject({ notAfter, renewAt });
      expect(Date.parse(renewAt) - Date.parse('2025-03-01T00:00:00.000Z')).toBe(renewAfterMs);
      const v1 = await parseAndVerify(first.versions[0]?.certificatePem ?? '', ca.certificatePem);
      expect(v1.notAfter).toBe(notAfter);

      // One millisecond early: nothing.
      await runAt(t, new Date(Date.parse(renewAt) - 1).toISOString());
      expect((await getCertificate(t, vs.certificateId)).versionCount).toBe(1);

      await runAt(t, renewAt);
      const second = await getCertificate(t, vs.certificateId);
      const nextNotAfter = new Date(Date.parse(renewAt) + days * DAY).toISOString();
      expect(second).toMatchObject({
        currentVersion: 2,
        versionCount: 2,
        notBefore: new Date(Date.parse(renewAt) - 5 * 60 * 1000).toISOString(),
        notAfter: nextNotAfter,
        renewAt: new Date(Date.parse(renewAt) + renewAfterMs).toISOString(),
      });
      expect(second.versions.map((v) => [v.version, v.status])).toEqual([
        [2, 'CURRENT'],
        [1, 'SUPERSEDED'],
      ]);
      const v2 = await parseAndVerify(second.versions[0]?.certificatePem ?? '', ca.certificatePem);
      expect(v2.notAfter).toBe(nextNotAfter);
      expect(v2.serialNumber).not.toBe(v1.serialNumber);
      expect(v2.publicKeyPem).not.toBe(v1.publicKeyPem);
    },
  );

  it('caps the lifetime at the CA notAfter, renews at 2/3 of the capped lifetime, and stops before the CA instead of renewing in a burst', async () => {
    const t = createCertTestApp();
    // CA valid to 2025-05-01T00:00Z.
    const ca = await createAuthority(t, { validityDays: 61 });
    expect(ca.notAfter).toBe('2025-05-01T00:00:00.000Z');
    const mesh = await createMeshWithCa(t, 'retail-mesh', ca.id);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    await runAt(t, '2025-03-31T00:00:00.000Z');

    const capped = await getCertificate(t, vs.certificateId);
    // 45 days would end 2025-05-15; the CA ends 2025-05-01: 31 days, renewal at 20 d 16 h.
    expect(capped).toMatchObject({
      currentVersion: 2,
      notAfter: '2025-05-01T00:00:00.000Z',
      renewAt: '2025-04-20T16:00:00.000Z',
      cappedByCa: true,
    });
    const leaf = await parseAndVerify(capped.versions[0]?.certificatePem ?? '', ca.certificatePem);
    expect(leaf.notAfter).toBe(ca.notAfter);

    // A renewal now could only end on 2025-05-01 again: it is refused, visibly, and not looped.
    await runAt(t, '2025-04-20T16:00:00.000Z');
    for (let h = 1; h <= 24; h += 1) {
      await runAt(
        t,
        new Date(Date.parse('2025-04-20T16:00:00.000Z') + h * 3_600_000).toISOString(),
      );
    }
    const after = await getCertificate(t, vs.certificateId);
    expect(after).toMatchObject({
      status: 'FAILED',
      currentVersion: 2,
      versionCount: 2,
      failure: {
        code: 'CA_EXPIRING',
        message: 'mesh CA expires on 2025-05-01: a renewal cannot outlast it; renew the mesh CA',
      },
    });
  });

  it('honours the CA maximum leaf validity', async () => {
    const t = createCertTestApp();
    const ca = await createAuthority(t, { validityDays: 3650, maximumLeafValidity: 60 });
    const mesh = await createMeshWithCa(t, 'retail-mesh', ca.id);
    const vs = await createService(t, mesh.id, 'orders', { mtls: { maximumValidity: 90 } });
    await t.runner.runDue();
    const cert = await getCertificate(t, vs.certificateId);
    expect(cert).toMatchObject({
      notAfter: '2025-04-30T00:00:00.000Z',
      renewAt: '2025-04-10T00:00:00.000Z',
    });
  });

  it('issues nothing from an expired CA', async () => {
    const t = createCertTestApp();
    const ca = await createAuthority(t, { validityDays: 30 });
    const mesh = await createMeshWithCa(t, 'retail-mesh', ca.id);
    t.clock.set('2025-04-01T00:00:00.000Z');
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    const cert = await getCertificate(t, vs.certificateId);
    expect(cert).toMatchObject({
      status: 'FAILED',
      currentVersion: null,
      versionCount: 0,
      versions: [],
      failure: { code: 'CA_EXPIRED', message: 'mesh CA expired on 2025-03-31' },
    });
    const summary = (await t.http.get(`/api/meshes/${mesh.id}`)).body.summary;
    expect(summary.certificates.authority).toMatchObject({
      expired: true,
      warning: 'CA expired on 2025-03-31; no certificates can be issued',
    });
  });

  it('carries new hosts and maximumValidity into the next version', async () => {
    const t = createCertTestApp();
    const { ca, mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    updateService(t, vs.id, { hosts: ['orders.shop.internal'], mtls: { maximumValidity: 60 } });
    await runAt(t, '2025-03-31T00:00:00.000Z');
    const cert = await getCertificate(t, vs.certificateId);
    expect(cert).toMatchObject({ currentVersion: 2, notAfter: '2025-05-30T00:00:00.000Z' });
    const leaf = await parseAndVerify(cert.versions[0]?.certificatePem ?? '', ca.certificatePem);
    expect(leaf.dnsNames).toEqual(['orders.shop.internal']);
  });

  it('retires the certificate of a deleted virtual service and renews it no more', async () => {
    const t = createCertTestApp();
    const { mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    deleteService(t, vs.id);
    await runAt(t, '2025-04-01T00:00:00.000Z');
    const cert = await getCertificate(t, vs.certificateId);
    expect(cert).toMatchObject({ status: 'RETIRED', versionCount: 1 });
    const list = await t.http.get(`/api/certificates?meshId=${mesh.id}`);
    expect(list.body.items).toEqual([]);
  });

  it('leaves the certificates of a mesh on an external CA to that CA', async () => {
    const t = createCertTestApp();
    const backend = createBackend(t.db, t.clock);
    const mesh = backend.services.Mesh.create(
      {
        compartmentId: COMPARTMENT_ID,
        displayName: 'theirs',
        certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1.iad.theirs' }],
      },
      { overrides: { caExternal: true } },
    ).record;
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    expect(await getCertificate(t, vs.certificateId)).toMatchObject({
      status: 'EXTERNAL',
      versions: [],
      authority: null,
    });
    const summary = (await t.http.get(`/api/meshes/${mesh.id}`)).body.summary;
    expect(summary.certificates.authority).toMatchObject({ status: 'EXTERNAL', notAfter: null });
  });
});

describe('version cap', () => {
  it('renews from 29 to 30 versions, fails visibly at 30 keeping the current one, and renews again once old versions are deleted and the job retried', async () => {
    const t = createCertTestApp('2021-01-01T00:00:00.000Z');
    const { mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'ledger');
    await t.runner.runDue();
    const at29 = await renew(t, vs.certificateId, 28);
    expect(at29).toMatchObject({ status: 'ACTIVE', currentVersion: 29, versionCount: 29 });

    const at30 = await renew(t, vs.certificateId, 1);
    expect(at30).toMatchObject({ status: 'ACTIVE', currentVersion: 30, versionCount: 30 });
    expect(at30.alerts.map((a) => a.code)).toContain('VERSION_LIMIT_NEAR');

    await runAt(t, at30.renewAt as string);
    const failed = await getCertificate(t, vs.certificateId);
    expect(failed).toMatchObject({
      status: 'FAILED',
      currentVersion: 30,
      versionCount: 30,
      notAfter: at30.notAfter,
      renewAt: at30.renewAt,
      failure: { code: 'VERSION_LIMIT', message: 'version limit reached: delete old versions' },
    });
    expect(failed.alerts[0]).toMatchObject({
      code: 'RENEWAL_FAILED',
      message: 'version limit reached: delete old versions',
    });
    // A failed job is not retried by itself: a day later, still 30.
    await runAt(t, new Date(Date.parse(at30.renewAt as string) + DAY).toISOString());
    expect((await getCertificate(t, vs.certificateId)).versionCount).toBe(30);

    // Retrying without room fails the same way.
    const again = await t.http.post(`/api/certificates/${vs.certificateId}/retry`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'FAILED', versionCount: 30, currentVersion: 30 });

    const current = await t.http.delete(`/api/certificates/${vs.certificateId}/versions/30`);
    expect(current.status).toBe(409);
    expect(current.body.message).toBe(
      'version 30 is the current version of ledger and stays in use',
    );
    // Only plain decimal numbers name a version: these must not delete version 1 or 2.
    for (const odd of ['0x1', '2.0', '2e0', '%2B2', '02', '0b10']) {
      const res = await t.http.delete(`/api/certificates/${vs.certificateId}/versions/${odd}`);
      expect(res.status, odd).toBe(400);
    }
    const oldest = await t.http.delete(`/api/certificates/${vs.certificateId}/versions/1`);
    expect(oldest.status).toBe(200);
    expect(oldest.body).toMatchObject({ versionCount: 29, status: 'FAILED' });
    expect((await t.http.delete(`/api/certificates/${vs.certificateId}/versions/1`)).status).toBe(
      404,
    );

    const retried = await t.http.post(`/api/certificates/${vs.certificateId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      status: 'ACTIVE',
      currentVersion: 31,
      versionCount: 30,
      failure: null,
    });
    expect(Date.parse(retried.body.renewAt)).toBeGreaterThan(t.clock.now().getTime());

    const pruned = await t.http.delete(`/api/certificates/${vs.certificateId}/versions`);
    expect(pruned.body).toMatchObject({ versionCount: 1, currentVersion: 31 });
  });

  it('answers 409 to a retry of a certificate that has not failed', async () => {
    const t = createCertTestApp();
    const { mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    const res = await t.http.post(`/api/certificates/${vs.certificateId}/retry`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      'certificate orders is ACTIVE; only a failed certificate is retried',
    );
  });
});

describe('behaviour cases', () => {
  it('E1: 45/60/90-day leaves issued 2025-03-01 renew on 03-31, 04-10 and 04-30; the renewed 45-day leaf lives to 05-15 and renews on 04-30', async () => {
    const t = createCertTestApp();
    const { ca, mesh } = await meshOnLongCa(t);
    const expected: [number, string, string][] = [
      [45, '2025-04-15T00:00:00.000Z', '2025-03-31T00:00:00.000Z'],
      [60, '2025-04-30T00:00:00.000Z', '2025-04-10T00:00:00.000Z'],
      [90, '2025-05-30T00:00:00.000Z', '2025-04-30T00:00:00.000Z'],
    ];
    const ids: string[] = [];
    for (const [days] of expected) {
      const vs = await createService(t, mesh.id, `orders-${days}`, {
        mtls: { maximumValidity: days },
      });
      ids.push(vs.certificateId);
    }
    await t.runner.runDue();
    for (const [i, [, notAfter, renewAt]] of expected.entries()) {
      const cert = await getCertificate(t, ids[i] as string);
      expect(cert).toMatchObject({ notAfter, renewAt });
      const leaf = await parseAndVerify(cert.versions[0]?.certificatePem ?? '', ca.certificatePem);
      expect(leaf.notAfter).toBe(notAfter);
    }

    await runAt(t, '2025-03-31T00:00:00.000Z');
    const renewed = await getCertificate(t, ids[0] as string);
    expect(renewed).toMatchObject({
      currentVersion: 2,
      notAfter: '2025-05-15T00:00:00.000Z',
      renewAt: '2025-04-30T00:00:00.000Z',
    });
    const leaf = await parseAndVerify(renewed.versions[0]?.certificatePem ?? '', ca.certificatePem);
    expect(leaf.notAfter).toBe('2025-05-15T00:00:00.000Z');
    expect((await getCertificate(t, ids[1] as string)).versionCount).toBe(1);
    expect((await getCertificate(t, ids[2] as string)).versionCount).toBe(1);
  });

  it('E3: at the renewal time a 27-version certificate gets exactly one new version, and 24 simulated hours of the scheduler add none', async () => {
    // Version 27 is issued at 2025-03-01T00:00Z: start 26 renewals (26 × 30 days) earlier.
    const start = new Date(Date.parse('2025-03-01T00:00:00.000Z') - 26 * 30 * DAY).toISOString();
    const t = createCertTestApp(start);
    const { mesh } = await meshOnLongCa(t, 'payments-mesh');
    const ledger = await createService(t, mesh.id, 'ledger');
    await t.runner.runDue();
    const at27 = await renew(t, ledger.certificateId, 26);
    expect(at27).toMatchObject({
      versionCount: 27,
      renewAt: '2025-03-31T00:00:00.000Z',
      notAfter: '2025-04-15T00:00:00.000Z',
    });

    await runAt(t, '2025-03-31T00:00:00.000Z');
    const runsAtDueTime = certificateRuns(t, ledger.certificateId);
    for (let minute = 1; minute <= 24 * 60; minute += 1) {
      t.clock.advance(60_000);
      await t.runner.runDue();
    }
    // No attempt while the next renewal is later than now.
    expect(certificateRuns(t, ledger.certificateId)).toBe(runsAtDueTime);
    const after = await getCertificate(t, ledger.certificateId);
    expect(after).toMatchObject({
      versionCount: 28,
      currentVersion: 28,
      renewAt: '2025-04-30T00:00:00.000Z',
      notAfter: '2025-05-15T00:00:00.000Z',
    });
    const renewals = t.db
      .prepare("SELECT COUNT(*) FROM job_runs WHERE subject_id = ? AND note LIKE 'renewed%'")
      .pluck()
      .get(ledger.certificateId);
    expect(renewals).toBe(27);
  });

  it('E6: catalog (60 d) and edge-gw (90 d) get their own lifetimes on the first issue and on renewal', async () => {
    const t = createCertTestApp();
    const mesh = await createMeshWithCa(t, 'retail-mesh', 'ocid1.certificateauthority.oc1..retail');
    const catalog = await createService(t, mesh.id, 'catalog', { mtls: { maximumValidity: 60 } });
    const edge = await createGateway(t, mesh.id, 'edge-gw', 90);
    await t.runner.runDue();
    const c1 = await getCertificate(t, catalog.certificateId);
    const g1 = await getCertificate(t, edge.certificateId);
    expect(c1).toMatchObject({
      notAfter: '2025-04-30T00:00:00.000Z',
      renewAt: '2025-04-10T00:00:00.000Z',
    });
    expect(g1).toMatchObject({
      notAfter: '2025-05-30T00:00:00.000Z',
      renewAt: '2025-04-30T00:00:00.000Z',
    });
    for (const cert of [c1, g1]) {
      const leaf = await parseAndVerify(
        cert.versions[0]?.certificatePem ?? '',
        cert.authority.certificatePem,
      );
      expect(leaf.notAfter).toBe(cert.notAfter);
    }

    await runAt(t, '2025-04-10T00:00:00.000Z');
    await runAt(t, '2025-04-30T00:00:00.000Z');
    const c2 = await getCertificate(t, catalog.certificateId);
    const g2 = await getCertificate(t, edge.certificateId);
    expect(c2).toMatchObject({ currentVersion: 2, notAfter: '2025-06-09T00:00:00.000Z' });
    expect(g2).toMatchObject({ currentVersion: 2, notAfter: '2025-07-29T00:00:00.000Z' });
    const leaf = await parseAndVerify(
      c2.versions[0]?.certificatePem ?? '',
      c2.authority.certificatePem,
    );
    expect(Date.parse(leaf.notAfter) - Date.parse('2025-04-10T00:00:00.000Z')).toBe(60 * DAY);
  });

  it('E7: a renewal due after the mesh CA expired fails with "mesh CA expired on 2025-06-30" and adds no version; mesh and service show it', async () => {
    const t = createCertTestApp('2024-06-30T00:00:00.000Z');
    const ca = await createAuthority(t, { name: 'payments CA', validityDays: 365 });
    expect(ca.notAfter).toBe('2025-06-30T00:00:00.000Z');
    t.clock.set('2025-05-20T00:00:00.000Z');
    const mesh = await createMeshWithCa(t, 'payments-mesh', ca.id);
    const ledger = await createService(t, mesh.id, 'ledger');
    await t.runner.runDue();
    const before = await getCertificate(t, ledger.certificateId);
    expect(before).toMatchObject({ versionCount: 1, notAfter: '2025-06-30T00:00:00.000Z' });

    // The BFF was down over the due time and the CA's expiry; it comes back on 2025-07-01.
    await runAt(t, '2025-07-01T00:00:00.000Z');
    const after = await getCertificate(t, ledger.certificateId);
    expect(after).toMatchObject({
      status: 'FAILED',
      versionCount: 1,
      currentVersion: 1,
      failure: { code: 'CA_EXPIRED', message: 'mesh CA expired on 2025-06-30' },
    });
    expect(after.alerts.map((a) => a.code)).toEqual(['RENEWAL_FAILED', 'EXPIRED', 'CA_EXPIRED']);
    const retried = await t.http.post(`/api/certificates/${ledger.certificateId}/retry`);
    expect(retried.body).toMatchObject({ status: 'FAILED', versionCount: 1 });

    const summary = (await t.http.get(`/api/meshes/${mesh.id}`)).body.summary;
    expect(summary.certificates).toMatchObject({
      authority: {
        notAfter: '2025-06-30T00:00:00.000Z',
        expired: true,
        warning: 'CA expired on 2025-06-30; no certificates can be issued',
      },
      counts: { failed: 1 },
    });
  });

  it('E9: the mesh page always shows the CA expiry, and warns on 2025-04-05 (86 days left, under the 90-day leaf) but not on 2025-03-15', async () => {
    const t = createCertTestApp('2024-06-30T00:00:00.000Z');
    const ca = await createAuthority(t, { name: 'payments CA', validityDays: 365 });
    t.clock.set('2025-03-01T00:00:00.000Z');
    const mesh = await createMeshWithCa(t, 'payments-mesh', ca.id);
    await createService(t, mesh.id, 'ledger', { mtls: { maximumValidity: 90 } });
    await createService(t, mesh.id, 'payments');
    await t.runner.runDue();

    t.clock.set('2025-03-15T00:00:00.000Z');
    const early = await t.http.get(`/api/meshes/${mesh.id}`);
    expect(early.body.summary.certificates.authority).toMatchObject({
      notAfter: '2025-06-30T00:00:00.000Z',
      warning: null,
    });

    t.clock.set('2025-04-05T00:00:00.000Z');
    const late = await t.http.get('/api/meshes');
    const summary = late.body.items.find((m: { id: string }) => m.id === mesh.id);
    expect(summary.certificates.authority).toMatchObject({
      notAfter: '2025-06-30T00:00:00.000Z',
      warning: 'CA expires 2025-06-30; new leaf certificates will be capped',
    });
  });
});

describe('restart in the middle of a job', () => {
  async function dueLedger() {
    const t = createCertTestApp();
    const { ca, mesh } = await meshOnLongCa(t);
    const ledger = await createService(t, mesh.id, 'ledger');
    await t.runner.runDue();
    t.clock.set('2025-03-31T00:00:00.000Z');
    return { t, ca, ledger };
  }

  it('renews exactly once when the runner died before the new version was stored', async () => {
    const { t, ca, ledger } = await dueLedger();
    // A runner claims the renewal and dies (its handler never returns).
    const crashed = createJobRunner({
      db: t.db,
      clock: t.clock,
      logger: silentLogger,
      owner: 'crashed',
    });
    crashed.register('certificate', () => new Promise(() => {}));
    void crashed.runDue();

    // While its lease holds, nobody else renews.
    const claimed = certificateRuns(t, ledger.certificateId);
    await t.runner.runDue();
    expect(certificateRuns(t, ledger.certificateId)).toBe(claimed);
    t.clock.advance(31_000);
    await t.runner.runDue();
    expect(certificateRuns(t, ledger.certificateId)).toBe(claimed + 1);

    const cert = await getCertificate(t, ledger.certificateId);
    expect(cert).toMatchObject({ versionCount: 2, renewAt: '2025-04-30T00:00:31.000Z' });
    expect(cert.runs.map((r) => r.outcome).slice(0, 2)).toEqual(['RESCHEDULED', 'ABANDONED']);
    const serials = new Set(cert.versions.map((v) => v.serialNumber));
    expect(serials.size).toBe(2);
    await parseAndVerify(cert.versions[0]?.certificatePem ?? '', ca.certificatePem);
  });

  it('adds nothing when the runner died after the new version was stored', async () => {
    const { t, ledger } = await dueLedger();
    const backend = createBackend(t.db, t.clock);
    const service = createCertificateService({
      db: t.db,
      clock: t.clock,
      repository: backend.certificates,
      jobs: backend.jobs,
      keyring: createKeyring(SECRET_KEY),
    });
    const crashed = createJobRunner({
      db: t.db,
      clock: t.clock,
      logger: silentLogger,
      owner: 'crashed',
    });
    let stored!: () => void;
    const committed = new Promise<void>((resolve) => (stored = resolve));
    crashed.register<{ certificateId: string }>('certificate', async (ctx) => {
      await service.processCertificate(ctx.payload.certificateId, ctx.transaction);
      stored();
      return new Promise(() => {});
    });
    void crashed.runDue();
    await committed;
    expect((await getCertificate(t, ledger.certificateId)).versionCount).toBe(2);

    t.clock.advance(31_000);
    await t.runner.runDue();
    await runAt(t, '2025-04-29T00:00:00.000Z');
    const cert = await getCertificate(t, ledger.certificateId);
    expect(cert).toMatchObject({ versionCount: 2, renewAt: '2025-04-30T00:00:00.000Z' });
  });
});

describe('private keys', () => {
  it('never appear in a response or a log, and are stored encrypted', async () => {
    const t = createCertTestApp();
    const { ca, mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    await runAt(t, '2025-03-31T00:00:00.000Z');
    const responses = await Promise.all([
      t.http.get(`/api/certificates?meshId=${mesh.id}`),
      t.http.get(`/api/certificates/${vs.certificateId}`),
      t.http.get('/api/certificate-authorities'),
      t.http.get(`/api/certificate-authorities/${ca.id}`),
      t.http.get(`/api/meshes/${mesh.id}`),
      t.http.get(`/api/jobs?subjectId=${vs.certificateId}`),
      t.http.get(`/20220615/virtualServices/${vs.id}`),
    ]);
    const sealed = t.db
      .prepare(
        'SELECT private_key FROM certificate_versions UNION ALL SELECT private_key FROM certificate_authorities',
      )
      .pluck()
      .all() as string[];
    expect(sealed).toHaveLength(3);
    for (const text of [...responses.map((r) => r.text), ...t.bodies, ...t.logs]) {
      expect(text).not.toMatch(/PRIVATE KEY|privateKey|private_key/);
      for (const s of sealed) expect(text).not.toContain(s.split(':')[3]?.slice(0, 24));
    }
    for (const s of sealed) {
      expect(s).toMatch(/^v1:/);
      expect(s).not.toContain('BEGIN');
    }

    // The sealed key opens with the configured key and belongs to the certificate.
    const cert = await getCertificate(t, vs.certificateId);
    const row = t.db
      .prepare(
        'SELECT private_key FROM certificate_versions WHERE certificate_id = ? AND version = 2',
      )
      .pluck()
      .get(vs.certificateId) as string;
    const pkcs8 = createKeyring(SECRET_KEY).open(row, `certificate:${vs.certificateId}:2`);
    expect(() =>
      createKeyring(Buffer.alloc(32, 1)).open(row, `certificate:${vs.certificateId}:2`),
    ).toThrow();
    expect(() =>
      createKeyring(SECRET_KEY).open(row, `certificate:${vs.certificateId}:1`),
    ).toThrow();
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
    const { X509Certificate } = await import('node:crypto');
    const spki = new X509Certificate(cert.versions[0]?.certificatePem ?? '').publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const publicKey = await webcrypto.subtle.importKey('spki', spki, alg, false, ['verify']);
    const data = new TextEncoder().encode('meshdeck');
    const signature = await webcrypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      privateKey,
      data,
    );
    expect(
      await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, data),
    ).toBe(true);
  });
});

describe('certificate API', () => {
  it('makes a CA on request that a mesh can then name', async () => {
    const t = createCertTestApp();
    const ca = await createAuthority(t, { name: 'shop CA', validityDays: 730 });
    expect(ca).toMatchObject({
      status: 'ACTIVE',
      notBefore: '2025-02-28T23:55:00.000Z',
      notAfter: '2027-03-01T00:00:00.000Z',
      maximumLeafValidity: 90,
    });
    const list = await t.http.get('/api/certificate-authorities');
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([ca.id]);
    const mesh = await createMeshWithCa(t, 'shop', ca.id);
    await t.runner.runDue();
    const again = await t.http.get('/api/certificate-authorities');
    expect(again.body.items).toHaveLength(1);
    const summary = (await t.http.get(`/api/meshes/${mesh.id}`)).body.summary;
    expect(summary.certificates.authority).toMatchObject({ id: ca.id, status: 'ACTIVE' });
  });

  it('rejects a CA with a bad validity', async () => {
    const t = createCertTestApp();
    const res = await t.http.post('/api/certificate-authorities').send({
      compartmentId: COMPARTMENT_ID,
      name: 'x',
      validityDays: 0,
      maximumLeafValidity: 30,
    });
    expect(res.status).toBe(400);
    expect(res.body.details.fieldErrors).toEqual({
      validityDays: ['validityDays must be between 1 and 3650'],
      maximumLeafValidity: ['maximumLeafValidity must be between 45 and 90 days'],
    });
  });

  it('lists a mesh inventory ordered by next renewal, and needs a meshId', async () => {
    const t = createCertTestApp();
    const { mesh } = await meshOnLongCa(t);
    await createService(t, mesh.id, 'slow', { mtls: { maximumValidity: 90 } });
    await createService(t, mesh.id, 'fast');
    await t.runner.runDue();
    const res = await t.http.get(`/api/certificates?meshId=${mesh.id}`);
    expect(res.body.items.map((c: { resource: { name: string } }) => c.resource.name)).toEqual([
      'fast',
      'slow',
    ]);
    expect((await t.http.get('/api/certificates')).status).toBe(400);
    expect((await t.http.get('/api/certificates/ocid1.certificate.oc1..nope')).status).toBe(404);
  });

  it('shows a certificate job and its runs for the console', async () => {
    const t = createCertTestApp();
    const { mesh } = await meshOnLongCa(t);
    const vs = await createService(t, mesh.id, 'orders');
    await t.runner.runDue();
    const jobs = await t.http.get(`/api/jobs?subjectId=${vs.certificateId}`);
    expect(jobs.body.items).toHaveLength(1);
    expect(jobs.body.items[0]).toMatchObject({
      type: 'certificate',
      status: 'PENDING',
      runAt: '2025-03-31T00:00:00.000Z',
    });
    const job = await t.http.get(`/api/jobs/${jobs.body.items[0].id}`);
    expect(job.body.runs).toEqual([
      expect.objectContaining({ outcome: 'RESCHEDULED', note: 'issued version 1', attempt: 1 }),
    ]);
    expect((await t.http.get('/api/jobs?status=NOPE')).status).toBe(400);
  });
});
