import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMPARTMENT_ID, CA_ID, createTestApp, type TestApp } from '../testing/test-app.ts';
import { ociSignedHeaders, registerClientKey, type ClientKey } from '../testing/oci-signing.ts';
import { fingerprintOf, generateApiKeyPair, readPublicKey } from './api-key-crypto.ts';
import { createApiKeyRepository } from './api-keys.repository.ts';
import { EMPTY_BODY_SHA256 } from './request-signature.ts';

const MESH_BODY = JSON.stringify({
  compartmentId: COMPARTMENT_ID,
  displayName: 'signed-mesh',
  certificateAuthorities: [{ id: CA_ID }],
});
const LIST = `/20220615/meshes?compartmentId=${COMPARTMENT_ID}`;

function signedApp(): { t: TestApp; key: ClientKey } {
  // The SDK signs with the real time; the app's clock must agree within five minutes.
  const t = createTestApp({ config: { ociAuth: 'signature' } });
  t.clock.set(new Date());
  return { t, key: registerClientKey(t.db, t.clock) };
}

function meshCount(t: TestApp): number {
  return t.db.prepare('SELECT COUNT(*) FROM meshes').pluck().get() as number;
}

async function postMesh(t: TestApp, headers: Record<string, string>, body = MESH_BODY) {
  return t.http.post('/20220615/meshes').set(headers).send(body);
}

function expectRefused(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ code: 'NotAuthenticated', message: expect.any(String) });
}

describe('OCI request signatures', () => {
  it('accepts reads and writes signed by oci-common with a registered key', async () => {
    const { t, key } = signedApp();
    const created = await postMesh(
      t,
      await ociSignedHeaders({ key, method: 'POST', path: '/20220615/meshes', body: MESH_BODY }),
    );
    expect(created.status, created.text).toBe(200);
    const list = await t.http
      .get(LIST)
      .set(await ociSignedHeaders({ key, method: 'GET', path: LIST }));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    await t.settle();
    const path = `/20220615/meshes/${created.body.id}`;
    const update = await t.http
      .put(path)
      .set(await ociSignedHeaders({ key, method: 'PUT', path }))
      .send();
    expect(update.status).toBe(202);
  });

  it('refuses unsigned requests with 401 NotAuthenticated and creates nothing', async () => {
    const { t } = signedApp();
    expectRefused(await t.http.get(LIST));
    expectRefused(
      await t.http.post('/20220615/meshes').set('content-type', 'application/json').send(MESH_BODY),
    );
    expectRefused(await t.http.get('/20220615/proxyDetails'));
    expect(meshCount(t)).toBe(0);
  });

  it('refuses a body changed after signing and creates nothing', async () => {
    const { t, key } = signedApp();
    const headers = await ociSignedHeaders({
      key,
      method: 'POST',
      path: '/20220615/meshes',
      body: MESH_BODY,
    });
    const tampered = MESH_BODY.replace('signed-mesh', 'evil-mesh!!');
    expect(tampered.length).toBe(MESH_BODY.length);
    expectRefused(await postMesh(t, headers, tampered));
    expect(meshCount(t)).toBe(0);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'request not authenticated',
        reason: 'the body does not match x-content-sha256',
      }),
    );
  });

  it('accepts the SDK signature of a query it sends in another encoding (non-ASCII, | { })', async () => {
    const { t, key } = signedApp();
    const asGiven = `${LIST}&displayName=café|{x}`;
    // What fetch puts on the wire for the URL the SDK built and signed.
    const onWire = new URL(`http://127.0.0.1${asGiven}`);
    const headers = await ociSignedHeaders({ key, method: 'GET', path: asGiven });
    const res = await t.http.get(`${onWire.pathname}${onWire.search}`).set(headers);
    expect(res.status, res.text).toBe(200);
    expect(onWire.search).toContain('caf%C3%A9|{x}');
  });

  it('refuses a query changed after signing', async () => {
    const { t, key } = signedApp();
    const headers = await ociSignedHeaders({ key, method: 'GET', path: LIST });
    expectRefused(await t.http.get(`${LIST}&limit=1`).set(headers));
  });

  it('refuses a wrong key: another private key, an unknown fingerprint, a revoked key', async () => {
    const { t, key } = signedApp();
    const other = generateApiKeyPair();
    const impostor = { ...key, privateKeyPem: other.privateKeyPem };
    const unknown = { ...key, fingerprint: other.fingerprint, privateKeyPem: other.privateKeyPem };
    const otherTenancy = { ...key, tenancyId: 'ocid1.tenancy.oc1..other' };
    for (const wrong of [impostor, unknown, otherTenancy]) {
      const headers = await ociSignedHeaders({
        key: wrong,
        method: 'POST',
        path: '/20220615/meshes',
        body: MESH_BODY,
      });
      expectRefused(await postMesh(t, headers));
    }
    createApiKeyRepository(t.db, t.clock).revokeKey(key.userId, key.fingerprint);
    expectRefused(
      await postMesh(
        t,
        await ociSignedHeaders({ key, method: 'POST', path: '/20220615/meshes', body: MESH_BODY }),
      ),
    );
    expect(meshCount(t)).toBe(0);
  });

  it('refuses a date more than five minutes from the server clock, either way', async () => {
    const { t, key } = signedApp();
    const at = (offsetMs: number) => new Date(t.clock.now().getTime() + offsetMs).toUTCString();
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const headers = await ociSignedHeaders({
        key,
        method: 'POST',
        path: '/20220615/meshes',
        body: MESH_BODY,
        xDate: at(offset),
      });
      const res = await postMesh(t, headers);
      expectRefused(res);
      expect(res.body.message).toMatch(/more than 5 minutes from the server clock/);
    }
    expect(meshCount(t)).toBe(0);
    const recent = await ociSignedHeaders({
      key,
      method: 'POST',
      path: '/20220615/meshes',
      body: MESH_BODY,
      xDate: at(-4 * 60_000),
    });
    expect((await postMesh(t, recent)).status).toBe(200);
  });

  it('refuses a POST whose signature leaves the body headers out', async () => {
    const { t, key } = signedApp();
    const date = t.clock.now().toUTCString();
    const text = [
      `x-date: ${date}`,
      '(request-target): post /20220615/meshes',
      'host: 127.0.0.1',
    ].join('\n');
    const signature = sign('sha256', Buffer.from(text), key.privateKeyPem).toString('base64');
    const res = await postMesh(t, {
      host: '127.0.0.1',
      'x-date': date,
      'content-type': 'application/json',
      authorization: `Signature version="1",keyId="${key.tenancyId}/${key.userId}/${key.fingerprint}",algorithm="rsa-sha256",headers="x-date (request-target) host",signature="${signature}"`,
    });
    expectRefused(res);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        reason: 'headers not signed: x-content-sha256, content-length, content-type',
      }),
    );
    expect(meshCount(t)).toBe(0);
  });

  it('refuses malformed authorization headers without a 5xx', async () => {
    const { t } = signedApp();
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Signature',
      'Signature keyId="a/b/c"',
      'Signature keyId="a/b",headers="x-date",signature="AAAA"',
      'Signature version="2",keyId="a/b/c",algorithm="rsa-sha256",headers="x-date",signature="x"',
      'Signature keyId="a/b/c",keyId="a/b/c",headers="x-date",signature="x"',
    ]) {
      expectRefused(await t.http.get(LIST).set('authorization', authorization));
    }
  });

  it('takes unsigned calls when ociAuth is none, and says so in the log', async () => {
    const t = createTestApp({ config: { ociAuth: 'none' } });
    expect((await t.http.get(LIST)).status).toBe(200);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/SIGNATURES ARE OFF/) }),
    );
  });
});

describe('API keys', () => {
  it('computes the OCI fingerprint: MD5 of the public key DER, colon-separated', () => {
    const pair = generateApiKeyPair();
    // The DER is the PEM's base64 body; hash it without going through a KeyObject.
    const der = Buffer.from(pair.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const independent = createHash('md5')
      .update(der)
      .digest('hex')
      .replace(/(..)(?!$)/g, '$1:');
    expect(pair.fingerprint).toBe(independent);
    expect(pair.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(readPublicKey(pair.publicKeyPem).fingerprint).toBe(pair.fingerprint);
    expect(fingerprintOf(readPublicKey(pair.publicKeyPem).key)).toBe(pair.fingerprint);
  });

  it('refuses keys that are not RSA or shorter than 2048 bits', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    for (const key of [ec, short]) {
      const pem = key.export({ type: 'spki', format: 'pem' }).toString();
      expect(() => readPublicKey(pem)).toThrow(/publicKey/);
    }
    expect(() => readPublicKey('not a key')).toThrow(/not a PEM public key/);
  });

  it('registers users and keys through /api and the key then signs requests', async () => {
    const { t } = signedApp();
    expect((await t.http.post('/api/users').send({ name: 'bob' })).status).toBe(201);
    expect((await t.http.post('/api/users').send({ name: 'bob' })).status).toBe(409);
    const generated = await t.http.post('/api/api-keys').send({ user: 'bob' });
    expect(generated.status).toBe(201);
    expect(generated.body.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(generated.body.config).toContain(`fingerprint=${generated.body.fingerprint}`);
    const key: ClientKey = {
      tenancyId: generated.body.tenancyId,
      userId: generated.body.userId,
      fingerprint: generated.body.fingerprint,
      privateKeyPem: generated.body.privateKey,
    };
    expect(generated.body.keyId).toBe(`${key.tenancyId}/${key.userId}/${key.fingerprint}`);
    const sign = () => ociSignedHeaders({ key, method: 'GET', path: LIST });
    expect((await t.http.get(LIST).set(await sign())).status).toBe(200);

    const own = generateApiKeyPair();
    const registered = await t.http
      .post('/api/api-keys')
      .send({ user: 'bob', publicKey: own.publicKeyPem });
    expect(registered.status).toBe(201);
    expect(registered.body.fingerprint).toBe(own.fingerprint);
    expect(registered.body).not.toHaveProperty('privateKey');

    const listed = await t.http.get('/api/api-keys?user=bob');
    expect(listed.body.items.map((k: { fingerprint: string }) => k.fingerprint).sort()).toEqual(
      [key.fingerprint, own.fingerprint].sort(),
    );
    expect(JSON.stringify(listed.body)).not.toContain('PRIVATE KEY');

    const revoked = await t.http.delete(`/api/api-keys/${key.userId}/${key.fingerprint}`);
    expect(revoked.status).toBe(204);
    expectRefused(await t.http.get(LIST).set(await sign()));
  });

  it('hashes an empty body as the SDK does', async () => {
    const { t, key } = signedApp();
    const headers = await ociSignedHeaders({ key, method: 'PUT', path: '/20220615/meshes/nope' });
    expect(headers['x-content-sha256']).toBe(EMPTY_BODY_SHA256);
    const res = await t.http.put('/20220615/meshes/nope').set(headers).send();
    expect(res.status).toBe(404);
  });
});
