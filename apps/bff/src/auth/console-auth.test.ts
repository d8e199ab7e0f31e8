import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { registerClientKey, ociSignedHeaders } from '../testing/oci-signing.ts';
import {
  COMPARTMENT_ID,
  CA_ID,
  createMesh,
  createTestApp,
  type TestApp,
} from '../testing/test-app.ts';
import { hashPassword, verifyPassword } from './password.ts';

const TOKEN = 'setup-token-for-tests';
const PASSWORD = 'correct horse battery staple';

function count(t: TestApp, table: string): number {
  return t.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

function cookieOf(res: request.Response): string {
  const header = res.headers['set-cookie'] as unknown as string[];
  return (header[0] as string).split(';')[0] as string;
}

/** The first admin through the first-run setup; returns its cookie and CSRF token. */
async function setUp(t: TestApp, name = 'alice') {
  const res = await t.anonymous.post('/api/setup').send({ token: TOKEN, name, password: PASSWORD });
  expect(res.status, res.text).toBe(201);
  return { cookie: cookieOf(res), csrf: res.body.csrfToken as string };
}

async function signIn(t: TestApp, name: string, password = PASSWORD) {
  return t.anonymous.post('/api/session').send({ name, password });
}

const meshBody = (displayName: string) => ({
  compartmentId: COMPARTMENT_ID,
  displayName,
  certificateAuthorities: [{ id: CA_ID }],
});

describe('passwords', () => {
  it('are scrypt hashes with a random salt, verified in constant time', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, undefined)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'not a hash')).toBe(false);
  });
});

describe('first-run setup', () => {
  it('prints a setup token at start, takes only that token, and works once', async () => {
    const t = createTestApp({ config: { setupToken: TOKEN } });
    const line = t.logs.find((l) => String(l.msg).startsWith('FIRST RUN'));
    expect(line?.setupToken).toBe(TOKEN);
    expect((await t.anonymous.get('/api/session')).body).toEqual({
      signedIn: false,
      setupRequired: true,
    });
    const users = count(t, 'users');
    const wrong = await t.anonymous
      .post('/api/setup')
      .send({ token: 'not-the-token', name: 'mallory', password: PASSWORD });
    expect(wrong.status).toBe(403);
    expect(count(t, 'users')).toBe(users);
    const short = await t.anonymous
      .post('/api/setup')
      .send({ token: TOKEN, name: 'alice', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.details.fieldErrors.password).toEqual(['must be at least 12 characters']);

    const res = await t.anonymous
      .post('/api/setup')
      .send({ token: TOKEN, name: 'alice', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ signedIn: true, user: { name: 'alice', role: 'admin' } });
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(cookie).toMatch(/^meshdeck_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain http here; https requests get Secure
    const stored = t.db
      .prepare("SELECT password_hash FROM users WHERE name = 'alice'")
      .pluck()
      .get() as string;
    expect(stored).toMatch(/^scrypt\$/);

    const again = await t.anonymous
      .post('/api/setup')
      .send({ token: TOKEN, name: 'bob', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(t.db.prepare("SELECT 1 FROM users WHERE name = 'bob'").get()).toBeUndefined();
  });
});

describe('sessions', () => {
  it('sign in, read the CSRF token, write with it, sign out; only the id hash is stored', async () => {
    const t = createTestApp({ config: { setupToken: TOKEN } });
    await setUp(t);
    const wrong = await signIn(t, 'alice', 'wrong password!!');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      code: 'NotAuthenticated',
      message: 'wrong user name or password',
    });
    const unknown = await signIn(t, 'nobody');
    expect(unknown.body).toEqual(wrong.body);

    const res = await signIn(t, 'alice');
    expect(res.status).toBe(201);
    const cookie = cookieOf(res);
    const id = cookie.split('=')[1] as string;
    expect(JSON.stringify(t.db.prepare('SELECT * FROM sessions').all())).not.toContain(id);

    const session = await t.anonymous.get('/api/session').set('Cookie', cookie);
    expect(session.body).toMatchObject({
      signedIn: true,
      user: { name: 'alice', role: 'admin' },
      permissions: ['read', 'write', 'admin'],
    });
    const csrf = session.body.csrfToken as string;
    const created = await t.anonymous
      .post('/api/meshes')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send(meshBody('signed-in-mesh'));
    expect(created.status, created.text).toBe(201);

    const out = await t.anonymous
      .delete('/api/session')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf);
    expect(out.status).toBe(204);
    const after = await t.anonymous.get('/api/meshes').set('Cookie', cookie);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({
      code: 'NotAuthenticated',
      message: 'sign in first (POST /api/session)',
    });
  });

  it('end after the idle time and after the absolute time', async () => {
    const t = createTestApp({
      config: { setupToken: TOKEN, session: { idleSeconds: 60, absoluteSeconds: 150 } },
    });
    const { cookie } = await setUp(t);
    const get = () => t.anonymous.get('/api/meshes').set('Cookie', cookie);
    t.clock.advance(50_000);
    expect((await get()).status).toBe(200);
    t.clock.advance(50_000); // 50 s since the last use: still alive
    expect((await get()).status).toBe(200);
    t.clock.advance(51_000); // 151 s since sign-in: past the absolute expiry
    expect((await get()).status).toBe(401);

    const { body } = await signIn(t, 'alice');
    expect(body.signedIn).toBe(true);
    const second = cookieOf(await signIn(t, 'alice'));
    t.clock.advance(61_000); // idle
    expect((await t.anonymous.get('/api/meshes').set('Cookie', second)).status).toBe(401);
  });

  it('of a disabled user stop working, and the user cannot sign in', async () => {
    const t = createTestApp({ config: { setupToken: TOKEN } });
    await setUp(t);
    const created = await t.http
      .post('/api/users')
      .send({ name: 'olga', role: 'operator', password: PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'olga', role: 'operator', hasPassword: true });
    expect(JSON.stringify(created.body)).not.toContain('scrypt');
    const cookie = cookieOf(await signIn(t, 'olga'));
    expect((await t.anonymous.get('/api/meshes').set('Cookie', cookie)).status).toBe(200);
    const disabled = await t.http.patch('/api/users/olga').send({ disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect((await t.anonymous.get('/api/meshes').set('Cookie', cookie)).status).toBe(401);
    expect((await signIn(t, 'olga')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a write without the token, with a wrong one, or from another site; nothing is stored', async () => {
    const t = createTestApp();
    const admin = t.http;
    const meshes = count(t, 'meshes');
    const attempts = [
      request(t.app).post('/api/meshes').set('Cookie', admin.cookie),
      request(t.app).post('/api/meshes').set('Cookie', admin.cookie).set('x-csrf-token', 'nope'),
      request(t.app)
        .post('/api/meshes')
        .set('Cookie', admin.cookie)
        .set('x-csrf-token', admin.csrfToken)
        .set('Origin', 'https://evil.example'),
      request(t.app)
        .post('/api/meshes')
        .set('Cookie', admin.cookie)
        .set('x-csrf-token', admin.csrfToken)
        .set('Sec-Fetch-Site', 'cross-site'),
    ];
    for (const attempt of attempts) {
      const res = await attempt.send(meshBody('csrf-mesh'));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NotAuthorized');
    }
    expect(count(t, 'meshes')).toBe(meshes);
    const refused = await t.http.get('/api/audit?outcome=REFUSED');
    expect(refused.body.items).toHaveLength(4);
    expect(refused.body.items[0]).toMatchObject({
      actor: 'test-admin',
      action: 'POST /api/meshes',
    });
    const ok = await t.http
      .post('/api/meshes')
      .set('Origin', 'http://127.0.0.1')
      .send(meshBody('x'));
    expect(ok.status).toBe(403); // an Origin that is not this host
  });
});

describe('roles', () => {
  it('viewers read, operators write mesh resources, only admins manage users; refusals are audited', async () => {
    const t = createTestApp();
    const viewer = t.as('viewer');
    const operator = t.as('operator');
    expect((await viewer.get('/api/meshes')).status).toBe(200);
    const refused = await viewer.post('/api/meshes').send(meshBody('by-viewer'));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      code: 'NotAuthorized',
      message: 'the viewer role cannot change anything',
    });
    expect(count(t, 'meshes')).toBe(0);
    expect((await operator.post('/api/meshes').send(meshBody('by-operator'))).status).toBe(201);
    expect((await operator.get('/api/users')).status).toBe(403);
    expect((await operator.post('/api/users').send({ name: 'eve', role: 'admin' })).status).toBe(
      403,
    );
    expect(t.db.prepare("SELECT 1 FROM users WHERE name = 'eve'").get()).toBeUndefined();
    expect((await t.http.get('/api/users')).status).toBe(200);

    const audit = (await t.http.get('/api/audit')).body.items as Record<string, unknown>[];
    expect(audit.filter((e) => e.outcome === 'REFUSED').map((e) => [e.actor, e.action])).toEqual([
      ['test-operator', 'POST /api/users'],
      ['test-operator', 'GET /api/users'],
      ['test-viewer', 'POST /api/meshes'],
    ]);
    const created = audit.find((e) => e.action === 'CREATE') as Record<string, unknown>;
    expect(created).toMatchObject({
      actor: 'test-operator',
      via: 'console',
      kind: 'Mesh',
      outcome: 'SUCCEEDED',
      after: { displayName: 'by-operator', lifecycleState: 'ACTIVE' },
    });
    expect(created.meshId).toBe(created.resourceId);
  });

  it('refuses a user name that differs from a taken one only in case', async () => {
    const t = createTestApp();
    expect((await t.http.post('/api/users').send({ name: 'alice' })).status).toBe(201);
    const res = await t.http.post('/api/users').send({ name: 'ALICE' });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      'a user named alice already exists (names are compared ignoring case)',
    );
    expect(count(t, 'users')).toBe(
      t.db.prepare("SELECT COUNT(*) FROM users WHERE name <> 'ALICE'").pluck().get() as number,
    );
  });

  it('says why a user name is refused: too long, or the wrong characters', async () => {
    const t = createTestApp();
    const before = count(t, 'users');
    const long = await t.http.post('/api/users').send({ name: 'a'.repeat(300) });
    expect(long.status).toBe(400);
    expect(long.body.message).toBe('name: must be at most 128 characters');
    const odd = await t.http.post('/api/users').send({ name: '-alice' });
    expect(odd.status).toBe(400);
    expect(odd.body.message).toBe(
      'name: must start with a letter or digit and hold only letters, digits, . _ @ -',
    );
    expect(count(t, 'users')).toBe(before);
  });

  it('keeps one admin: the last cannot be demoted or disabled', async () => {
    const t = createTestApp();
    const res = await t.http.patch('/api/users/test-admin').send({ role: 'viewer' });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('test-admin is the last admin; make another user admin first');
  });

  it('apply on the OCI face by the API key user’s role; unsigned calls act as the anonymous operator', async () => {
    const signed = createTestApp({ config: { ociAuth: 'signature' } });
    signed.clock.set(new Date());
    const key = registerClientKey(signed.db, signed.clock);
    signed.db.prepare("UPDATE users SET role = 'viewer' WHERE id = ?").run(key.userId);
    const list = `/20220615/meshes?compartmentId=${COMPARTMENT_ID}`;
    const read = await signed.anonymous
      .get(list)
      .set(await ociSignedHeaders({ key, method: 'GET', path: list }));
    expect(read.status).toBe(200);
    const body = JSON.stringify(meshBody('viewer-mesh'));
    const write = await signed.anonymous
      .post('/20220615/meshes')
      .set(await ociSignedHeaders({ key, method: 'POST', path: '/20220615/meshes', body }))
      .send(body);
    expect(write.status).toBe(403);
    expect(count(signed, 'meshes')).toBe(0);
    const audit = (await signed.http.get('/api/audit?outcome=REFUSED')).body.items;
    expect(audit[0]).toMatchObject({ via: 'api', action: 'POST /20220615/meshes', status: 403 });

    const open = createTestApp();
    await createMesh(open, 'anonymous-mesh');
    const events = (await open.http.get('/api/audit?kind=Mesh')).body.items;
    expect(events[0]).toMatchObject({ actor: 'anonymous', via: 'api', action: 'CREATE' });
  });
});

describe('rate limits', () => {
  it('hold an account after 5 failed sign-ins, with 429, Retry-After and a JSON body', async () => {
    const t = createTestApp({ config: { setupToken: TOKEN } });
    await setUp(t);
    for (let i = 0; i < 5; i += 1)
      expect((await signIn(t, 'alice', 'wrong password!')).status).toBe(401);
    const held = await signIn(t, 'alice');
    expect(held.status).toBe(429);
    expect(held.headers['retry-after']).toBe('900');
    expect(held.headers['content-type']).toMatch(/application\/json/);
    expect(held.body).toEqual({
      code: 'TooManyRequests',
      message: 'too many failed sign-ins for this user; wait',
    });
    t.clock.advance(901_000);
    expect((await signIn(t, 'alice')).status).toBe(201);
  });

  it('are lifted when an admin sets a new password (holds live in memory only)', async () => {
    const t = createTestApp({ config: { setupToken: TOKEN } });
    const made = await t.http
      .post('/api/users')
      .send({ name: 'bob', role: 'operator', password: PASSWORD });
    expect(made.status, made.text).toBe(201);
    for (let i = 0; i < 5; i += 1)
      expect((await signIn(t, 'bob', 'wrong password!')).status).toBe(401);
    expect((await signIn(t, 'BOB')).status).toBe(429);
    const fresh = 'a brand new long password';
    expect((await t.http.patch('/api/users/bob').send({ password: fresh })).status).toBe(200);
    expect((await signIn(t, 'bob', fresh)).status).toBe(201);
  });

  it('limit sign-in attempts per address and API requests per session', async () => {
    const t = createTestApp({
      config: {
        rateLimits: {
          signInPerAddress: { limit: 3, windowSeconds: 60 },
          api: { limit: 5, windowSeconds: 60 },
        },
      },
    });
    for (let i = 0; i < 3; i += 1) expect((await signIn(t, `u${i}`, 'whatever!')).status).toBe(401);
    const limited = await signIn(t, 'u9', 'whatever!');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('TooManyRequests');

    const viewer = t.as('viewer');
    for (let i = 0; i < 5; i += 1) expect((await viewer.get('/api/meshes')).status).toBe(200);
    const slow = await viewer.get('/api/meshes');
    expect(slow.status).toBe(429);
    expect(Number(slow.headers['retry-after'])).toBeGreaterThan(0);
    // Another session has its own budget.
    expect((await t.as('operator').get('/api/meshes')).status).toBe(200);
    expect((await t.anonymous.get('/api/health')).status).toBe(200);
  });
});
