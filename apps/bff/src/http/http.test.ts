import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/open-db.ts';
import { COMPARTMENT_ID, createMesh, createTestApp } from '../testing/test-app.ts';

const LEAKS =
  /URIError|SyntaxError|Unexpected token|TypeError|SqliteError|at .*\(|\/work\/|node_modules|\.ts:\d/;

describe('request ids', () => {
  it('echoes the client opc-request-id and makes one when none is sent', async () => {
    const t = createTestApp();
    const echoed = await t.http
      .get('/api/health')
      .set('opc-request-id', 'DE2EE210EF2C-11F1-8EC0-45A6FAD734FA');
    expect(echoed.headers['opc-request-id']).toBe('DE2EE210EF2C-11F1-8EC0-45A6FAD734FA');
    const fresh = await t.http.get('/api/health');
    expect(fresh.body).toEqual({ status: 'ok' });
    expect(fresh.headers['opc-request-id']).toMatch(/^[0-9A-F]{32}$/);
    const error = await t.http.get('/nope');
    expect(error.headers['opc-request-id']).toMatch(/^[0-9A-F]{32}$/);
  });
});

describe('bad requests', () => {
  it('answers unknown routes and methods with 404 NotFound JSON', async () => {
    const t = createTestApp();
    for (const res of [
      await t.http.get('/20220615/nothing'),
      await t.http.patch('/20220615/meshes/x'),
      await t.http.get('/api/nothing'),
      await t.http.get('/elsewhere'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ code: 'NotFound', message: 'no such endpoint' });
    }
  });

  it('answers malformed URLs with a 400 JSON body that leaks nothing (G2)', async () => {
    const t = createTestApp();
    for (const path of [
      '/20220615/meshes/%85',
      '/api/meshes/%85',
      '/api/virtual-services/%E0%A4%A',
    ]) {
      const res = await t.http.get(path);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ code: 'InvalidParameter', message: 'malformed URL' });
      expect(res.text).not.toMatch(LEAKS);
    }
  });

  it('answers a nested-key query attack fast while other requests go on (G7)', async () => {
    const t = createTestApp();
    await createMesh(t, 'm1');
    const started = Date.now();
    const [attack, normal] = await Promise.all([
      t.http.get(
        `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&filter[__proto__]=b&filter[__proto__]&filter[length]=100000000`,
      ),
      t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`),
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attack.status).toBe(400);
    expect(attack.body.message).toMatch(/^filter: give filter once as a plain value/);
    expect(normal.body.items).toHaveLength(1);
    expect(({} as Record<string, unknown>).length).toBeUndefined();
  });

  it('refuses bracket query keys instead of ignoring them and widening a filtered list', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    await createMesh(t, 'm2');
    for (const path of [
      `/api/virtual-services?meshId[$ne]=${mesh.id}`,
      '/api/meshes?limit[]=1',
      '/api/audit?actor[]=x',
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&sort[a]=b`,
    ]) {
      const res = await t.http.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.code).toBe('InvalidParameter');
      expect(res.body.message).toMatch(/give (meshId|limit|actor|sort) once as a plain value/);
    }
    const before = (await t.http.get('/api/meshes')).body.items.length;
    const refused = await t.http
      .post('/api/import?compartmentId[]=a')
      .set('content-type', 'application/json')
      .send({ format: 'meshdeck/oci-json@1', meshes: [] });
    expect(refused.status).toBe(400);
    expect((await t.http.get('/api/meshes')).body.items).toHaveLength(before);
  });

  it('refuses text no store can keep (NUL, unpaired surrogates) in a body or query with 400, storing nothing', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const body = (extra: Record<string, unknown>) => ({
      displayName: 'm2',
      compartmentId: COMPARTMENT_ID,
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..test' }],
      mtls: { minimum: 'PERMISSIVE' },
      ...extra,
    });
    for (const [extra, field] of [
      [{ description: 'a\u0000b' }, 'description'],
      [{ description: 'lone \ud800 half' }, 'description'],
      [{ freeformTags: { 'k\u0000': 'v' } }, 'freeformTags'],
      [{ freeformTags: { k: '\udc00' } }, 'freeformTags.k'],
    ] as const) {
      for (const path of ['/api/meshes', '/20220615/meshes']) {
        const res = await t.http.post(path).send(body(extra));
        expect(res.status, `${path} ${JSON.stringify(extra)}`).toBe(400);
        expect(res.body.message).toBe(
          `${field} must not contain a NUL character or an unpaired surrogate`,
        );
      }
    }
    const query = await t.http.get('/api/meshes?name=a%00b');
    expect(query.status).toBe(400);
    expect(query.body.message).toMatch(/name.*must not contain a NUL character/);
    expect((await t.http.get('/api/meshes')).body.items.map((m: { id: string }) => m.id)).toEqual([
      mesh.id,
    ]);
    // A surrogate pair (an emoji) is ordinary text.
    const emoji = await t.http.post('/api/meshes').send(body({ description: 'ok \ud83d\ude00' }));
    expect(emoji.status).toBe(201);
  });

  it('echoes at most 100 characters of an unknown id, with control characters escaped', async () => {
    const t = createTestApp();
    const long = await t.http.get(`/20220615/meshes/${'x'.repeat(5000)}`);
    expect(long.status).toBe(404);
    expect(long.body.message).toBe(`mesh ${'x'.repeat(100)}… not found`);
    const nul = await t.http.get('/api/meshes/a%00b');
    expect(nul.status).toBe(404);
    expect(nul.body.message).toBe('mesh a\\u0000b not found');
  });

  it('refuses a repeated list parameter instead of guessing', async () => {
    const t = createTestApp();
    const res = await t.http.get(
      `/20220615/meshes?compartmentId=${COMPARTMENT_ID}&limit=1&limit=2`,
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('limit: must be given once');
  });

  it('refuses a body sent as another media type than JSON with 415', async () => {
    const t = createTestApp();
    const res = await t.http
      .post('/20220615/meshes')
      .set('content-type', 'text/plain')
      .send('displayName=x');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UnsupportedMediaType');
  });

  it('says a bare JSON value is no object, not that it is malformed', async () => {
    const t = createTestApp();
    for (const body of ['null', '"x"', '42', 'true']) {
      const res = await t.http
        .post('/20220615/meshes')
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status, body).toBe(400);
      expect(res.body.message).toBe('the body must be a JSON object, not a bare value');
    }
    const broken = await t.http
      .post('/20220615/meshes')
      .set('content-type', 'application/json')
      .send('{"displayName": ');
    expect(broken.body.message).toBe('malformed JSON');
  });

  it('refuses a JSON body that is not an object', async () => {
    const t = createTestApp();
    const res = await t.http.post('/20220615/meshes').send([1, 2]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidParameter');
  });
});

describe('a failing store (G6)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function fileApp(busyTimeoutMs = 50) {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-g6-'));
    dirs.push(dir);
    const path = join(dir, 'meshdeck.db');
    return { t: createTestApp({ db: openDb(path, { busyTimeoutMs }) }), path };
  }

  it('answers three list calls promptly with JSON 500s while the store fails, then recovers', async () => {
    const { t } = fileApp();
    await createMesh(t, 'm1');
    t.db.exec('ALTER TABLE meshes RENAME TO meshes_away');
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ code: 'InternalServerError', message: 'internal error' });
      expect(res.text).not.toMatch(LEAKS);
      const requestId = res.headers['opc-request-id'] as string;
      expect(requestId).toBeTruthy();
      expect(t.logs).toContainEqual(expect.objectContaining({ level: 'error', requestId }));
    }
    t.db.exec('ALTER TABLE meshes_away RENAME TO meshes');
    const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['m1']);
  });

  it('answers 503 with Retry-After while another connection holds the write lock, then writes', async () => {
    const { t, path } = fileApp();
    const other = openDb(path);
    other.exec('BEGIN IMMEDIATE');
    const body = {
      compartmentId: COMPARTMENT_ID,
      displayName: 'm1',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..x' }],
    };
    const locked = await t.http.post('/20220615/meshes').send(body);
    expect(locked.status).toBe(503);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.body).toEqual({
      code: 'ServiceUnavailable',
      message: 'the store is unavailable; retry later',
    });
    other.exec('COMMIT');
    other.close();
    expect((await t.http.post('/20220615/meshes').send(body)).status).toBe(200);
  });

  it('answers 503 for writes while the database is read-only, then writes again', async () => {
    const { t } = fileApp();
    await createMesh(t, 'm1');
    t.db.pragma('query_only = ON');
    const refused = await t.http.post('/20220615/meshes').send({
      compartmentId: COMPARTMENT_ID,
      displayName: 'm2',
      certificateAuthorities: [{ id: 'x' }],
    });
    expect(refused.status).toBe(503);
    expect((await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`)).status).toBe(200);
    t.db.pragma('query_only = OFF');
    await createMesh(t, 'm2');
  });

  it('answers 503 once the database is closed and keeps serving other routes', async () => {
    const { t } = fileApp();
    await createMesh(t, 'm1');
    t.db.close();
    const res = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('ServiceUnavailable');
    expect(res.text).not.toMatch(LEAKS);
    // Alive, but not ready: a load balancer takes this process out of rotation.
    expect((await t.http.get('/api/health')).status).toBe(200);
    const ready = await t.anonymous.get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('1');
  });

  it('is ready when the store answers, without a session', async () => {
    const t = createTestApp();
    const ready = await t.anonymous.get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', store: 'ok' });
  });
});

describe('serving the built console', () => {
  it('serves files, falls back to index.html for app paths and keeps API 404s as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-console-'));
    try {
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Meshdeck</title>');
      writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
      const t = createTestApp({ config: { consoleDir: dir } });
      const asset = await t.http.get('/assets/app.js');
      expect(asset.status).toBe(200);
      expect(asset.text).toBe('console.log(1)');
      for (const path of ['/', '/meshes/abc/topology']) {
        const page = await t.http.get(path);
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
      }
      for (const path of ['/api/nothing', '/20220615/nothing', '/assets/missing.js']) {
        const res = await t.http.get(path);
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe('NotFound');
      }
      expect((await t.http.post('/meshes')).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('security headers', () => {
  it('sends a strict content security policy and the usual hardening headers everywhere', async () => {
    const t = createTestApp();
    for (const path of ['/api/health', '/20220615/meshes?compartmentId=c', '/no-such-page']) {
      const res = await t.http.get(path);
      expect(res.headers['content-security-policy'], path).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['x-frame-options'], path).toBe('DENY');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
    }
  });
});
