import { afterEach, describe, expect, it } from 'vitest';
import { COMPARTMENT_ID, CA_ID, createTestApp } from '../testing/test-app.ts';

const LEAK = /at .*\.(ts|js):\d+|node_modules|\/work\/|SyntaxError|Unexpected token|stack/;
const savedEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = savedEnv;
});

describe.each(['production', 'development', 'test'])('hostile input with NODE_ENV=%s', (env) => {
  it('answers JSON 413, 400 malformed, 400 unknown field and __proto__ on both faces; nothing leaks or is stored', async () => {
    process.env.NODE_ENV = env;
    const t = createTestApp({ config: { bodyLimitBytes: 2048 } });
    const big = JSON.stringify({ displayName: 'x'.repeat(4096) });
    const cases = [
      { body: big, status: 413, code: 'PayloadTooLarge' },
      { body: '{"displayName":"m1",', status: 400, code: 'CannotParseRequest' },
      {
        body: JSON.stringify({
          compartmentId: COMPARTMENT_ID,
          displayName: 'm1',
          certificateAuthorities: [{ id: CA_ID }],
          isAdmin: true,
        }),
        status: 400,
        code: 'InvalidParameter',
      },
      {
        body: `{"compartmentId":"${COMPARTMENT_ID}","displayName":"m1","certificateAuthorities":[{"id":"${CA_ID}"}],"__proto__":{"isAdmin":true}}`,
        status: 400,
        code: 'InvalidParameter',
      },
    ];
    for (const path of ['/api/meshes', '/20220615/meshes']) {
      for (const c of cases) {
        const client = path.startsWith('/api') ? t.http : t.anonymous;
        const res = await client.post(path).set('content-type', 'application/json').send(c.body);
        expect(res.status, `${path} ${res.text}`).toBe(c.status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body.code).toBe(c.code);
        expect(res.text).not.toMatch(LEAK);
        expect(res.headers['opc-request-id']).toMatch(/^[A-Za-z0-9]+$/);
      }
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(t.db.prepare('SELECT COUNT(*) FROM meshes').pluck().get()).toBe(0);
    const large = await t.http
      .post('/api/meshes')
      .set('content-type', 'application/json')
      .send(big);
    expect(large.body).toMatchObject({ error: 'payload too large', limitBytes: 2048 });
  });
});

describe('logs', () => {
  it('carry the request id of a refused request', async () => {
    const t = createTestApp();
    const res = await t.as('viewer').post('/api/meshes').send({});
    expect(res.status).toBe(403);
    const requestId = res.headers['opc-request-id'] as string;
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'request refused',
        requestId,
        actor: 'test-viewer',
      }),
    );
    const audit = (await t.http.get('/api/audit?outcome=REFUSED')).body.items;
    expect(audit[0].requestId).toBe(requestId);
  });
});

describe('bodies whose keys are Object.prototype names', () => {
  it('answer 400 with those keys as unknown fields (found by the fuzz suite: valueOf gave a 500)', async () => {
    const t = createTestApp();
    for (const key of ['valueOf', 'toString', 'hasOwnProperty', 'isPrototypeOf']) {
      for (const path of ['/20220615/virtualServices', '/api/virtual-services', '/api/meshes']) {
        const client = path.startsWith('/api') ? t.http : t.anonymous;
        const res = await client
          .post(path)
          .set('content-type', 'application/json')
          .send(`{"${key}":"2n"}`);
        expect(res.status, `${path} ${key} ${res.text}`).toBe(400);
        expect(res.body.details.fieldErrors[key]).toEqual([`unknown field ${key}`]);
      }
    }
  });
});
